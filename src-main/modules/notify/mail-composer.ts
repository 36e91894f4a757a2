import { AlarmLevel, alarmPriority } from '../../../src-shared/enums/alert';
import { isValidTimezone } from '../../../src-shared/model/settings';
import type { MailContent, MailedAlert } from './models';

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export interface CompositionContext {
  /** The home's time zone: every time in the mail is given in it. */
  timeZone: string;
  /** HI_BASE_URL_FOR_EMAIL_LINKS; without it the mail has no links. */
  baseUrl: string | null;
}

const MAX_SUBJECT_LENGTH = 160;
const MAX_TITLE_LENGTH = 200;
const SIGNATURE = 'Sent by Home Information. Choose what is mailed, and when, under Settings → E-mail.';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Titles come from upstream names: no control characters (a newline would break a header line), bounded. */
function oneLine(text: string, maxLength: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length <= maxLength ? clean : `${clean.slice(0, maxLength - 1)}…`;
}

/** `<base>/#/alert/<id>`: the panel's route that opens that alert. */
export function alertLink(baseUrl: string, alertId: number): string {
  return `${baseUrl.replace(/\/+$/, '')}/#/alert/${alertId}`;
}

function formatTime(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: isValidTimezone(timeZone) ? timeZone : 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(epochMs);
}

const levelLabel = (alert: MailedAlert): string => AlarmLevel.fromNameSafe(alert.level).label;

function byImportance(a: MailedAlert, b: MailedAlert): number {
  return alarmPriority(AlarmLevel.fromNameSafe(b.level)) - alarmPriority(AlarmLevel.fromNameSafe(a.level)) || a.openedAt - b.openedAt || a.id - b.id;
}

function headline(alert: MailedAlert): string {
  const title = oneLine(alert.title, MAX_TITLE_LENGTH);
  return alert.count > 1 ? `${title} (${alert.count})` : title;
}

function subjectOf(alerts: readonly MailedAlert[], total: number): string {
  const first = alerts[0];
  if (!first) return 'Home Information: new alerts';
  const text = total === 1 ? `${levelLabel(first)}: ${headline(first)}` : `${total} new alerts – ${levelLabel(first)}: ${headline(first)} and ${total - 1} more`;
  return oneLine(`Home Information – ${text}`, MAX_SUBJECT_LENGTH);
}

/** One mail listing a batch of new alerts, the most important first, each with a link that opens it on the panel. */
export function composeAlertMail(content: MailContent, context: CompositionContext): ComposedMail {
  const alerts = [...content.alerts].sort(byImportance);
  const total = alerts.length + content.omitted;
  const intro = total === 1 ? 'A new alert at home:' : `${total} new alerts at home:`;
  const textItems = alerts.map((alert) => {
    const lines = [`${levelLabel(alert)} – ${headline(alert)}`, `  Opened ${formatTime(alert.openedAt, context.timeZone)}`];
    if (context.baseUrl !== null) lines.push(`  Open on the panel: ${alertLink(context.baseUrl, alert.id)}`);
    return lines.join('\n');
  });
  const more = content.omitted > 0 ? `…and ${content.omitted} more; the panel lists them all.` : null;
  const text = [intro, '', ...textItems.flatMap((item) => [item, '']), ...(more ? [more, ''] : []), '-- ', SIGNATURE, ''].join('\n');

  const htmlItems = alerts.map((alert) => {
    const title = escapeHtml(headline(alert));
    const linked = context.baseUrl === null ? title : `<a href="${escapeHtml(alertLink(context.baseUrl, alert.id))}">${title}</a>`;
    return `<li><strong>${escapeHtml(levelLabel(alert))}</strong> – ${linked}<br>Opened ${escapeHtml(formatTime(alert.openedAt, context.timeZone))}</li>`;
  });
  const html = [
    '<!doctype html><html><body>',
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${htmlItems.join('')}</ul>`,
    more ? `<p>${escapeHtml(more)}</p>` : '',
    `<p style="color:#666">${escapeHtml(SIGNATURE)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: subjectOf(alerts, total), text, html };
}

/** The "send test e-mail" mail: says which modes mail alerts, so the household knows what to expect. */
export function composeTestMail(notifyingModes: readonly string[], context: CompositionContext, now: number): ComposedMail {
  const modes = notifyingModes.length === 0 ? 'no security mode (turn one on under Settings → E-mail)' : notifyingModes.join(', ');
  const lines = [
    'This is a test e-mail from Home Information: your mail settings work.',
    '',
    `New alerts are mailed in: ${modes}.`,
    context.baseUrl === null
      ? 'Mails carry no links to the panel, because HI_BASE_URL_FOR_EMAIL_LINKS is not set.'
      : `Links in the mails open the panel at ${context.baseUrl}.`,
    `Sent ${formatTime(now, context.timeZone)}.`,
  ];
  return {
    subject: 'Home Information – test e-mail',
    text: [...lines, '', '-- ', SIGNATURE, ''].join('\n'),
    html: `<!doctype html><html><body>${lines.map((l) => (l === '' ? '' : `<p>${escapeHtml(l)}</p>`)).join('')}<p style="color:#666">${escapeHtml(SIGNATURE)}</p></body></html>`,
  };
}
