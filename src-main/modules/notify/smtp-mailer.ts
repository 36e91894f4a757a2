import nodemailer from 'nodemailer';
import { SmtpSecurity } from './enums';
import type { ComposedMail } from './mail-composer';

export interface SmtpConfig {
  host: string;
  port: number;
  security: SmtpSecurity;
  /** Empty: the server needs no sign-in. */
  user: string;
  password: string;
  from: string;
  to: readonly string[];
}

/** How long one try may wait on the server: a hung server must not hold the outbox for nodemailer's minutes. */
const CONNECTION_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 30_000;
const MAX_SERVER_TEXT_LENGTH = 300;

/** A mail the server did not take, with the reason in plain words for the panel and the health. */
export class MailDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

/** The fields nodemailer sets on its errors (see NodemailerError in its errors.d.ts). */
interface SmtpFailure {
  code?: string | undefined;
  originalCode?: string | undefined;
  response?: string | undefined;
  message?: string | undefined;
}

/** The server's reply is upstream text: one bounded line without control characters. */
function serverText(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  const clean = (text ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length <= MAX_SERVER_TEXT_LENGTH ? clean : `${clean.slice(0, MAX_SERVER_TEXT_LENGTH - 1)}…`;
}

/** Nodemailer's error as a sentence a person can act on, with the server's own words where it gave any. */
export function describeSmtpFailure(error: unknown, config: Pick<SmtpConfig, 'host' | 'port'>): string {
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? (error as SmtpFailure) : { message: String(error) };
  const server = `${config.host}:${config.port}`;
  const reply = serverText(failure.response);
  const detail = reply || serverText(failure.message);
  const systemCode = failure.originalCode ?? failure.code;
  if (systemCode === 'ECONNREFUSED') return `The mail server at ${server} refused the connection: is the host and port right?`;
  if (systemCode === 'ENOTFOUND' || systemCode === 'EAI_AGAIN' || failure.code === 'EDNS') return `The mail server's name ${config.host} could not be found.`;
  switch (failure.code) {
    case 'EAUTH':
      return reply ? `The mail server refused the sign-in: ${reply}` : `The sign-in to the mail server failed: ${detail}`;
    case 'ENOAUTH':
      return 'The mail server needs a sign-in: set the user name and the password.';
    case 'ETIMEDOUT':
      return `The mail server at ${server} did not answer in time.`;
    case 'ETLS':
      return `Could not set up an encrypted connection with the mail server: ${detail}. Check the encryption setting and the port.`;
    case 'EENVELOPE':
      return `The mail server refused the sender or a recipient: ${detail}`;
    case 'EMESSAGE':
      return `The mail server refused the mail: ${detail}`;
    case 'ECONNECTION':
    case 'ESOCKET':
      return `The connection to the mail server at ${server} failed: ${detail}`;
    default:
      return `The mail could not be sent: ${detail || 'no reason given'}`;
  }
}

/** Sends one mail through the configured server; rejects with a MailDeliveryError in plain words. */
export async function deliverMail(config: SmtpConfig, mail: ComposedMail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === SmtpSecurity.TLS,
    requireTLS: config.security === SmtpSecurity.STARTTLS,
    ignoreTLS: config.security === SmtpSecurity.NONE,
    auth: config.user === '' ? undefined : { user: config.user, pass: config.password },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    dnsTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // The mail is built here from text only: nodemailer must never read a file or fetch a URL for it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail({ from: config.from, to: [...config.to], subject: mail.subject, text: mail.text, html: mail.html });
  } catch (error) {
    throw new MailDeliveryError(describeSmtpFailure(error, config));
  } finally {
    transport.close();
  }
}
