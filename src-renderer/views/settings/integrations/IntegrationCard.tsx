import { useEffect, useRef, useState } from 'preact/hooks';
import { IntegrationHealth } from '../../../../src-shared/enums';
import type { IntegrationHealthView, IntegrationView, SyncReport } from '../../../../src-shared/model/integration';
import { useBridge } from '../../../bridge-context';
import { errorMessage, formatTime, useHomeTimezone } from '../../../components/format';
import { integrationHealthText } from '../../../components/integration-health';
import { useAppState } from '../../../store';
import { useWhenFormatter } from '../../detail/format';
import { ImportPicker } from './ImportPicker';
import { namedRemovals, removalQuestion, secretAgainNote, secretsNeededAgain, unreadableNote } from './integration-form';
import { PlacementStep } from './PlacementStep';

type Field = IntegrationView['fields'][number];
type Drafts = Readonly<Record<string, string>>;

const INPUT_TYPES: Record<Field['type'], string> = { url: 'url', text: 'text', secret: 'password' };

const REPORT_COUNTS: readonly { label: string; count(report: SyncReport): number; attr: string }[] = [
  { label: 'created', count: (r) => r.created.length, attr: 'data-created' },
  { label: 'updated', count: (r) => r.updated, attr: 'data-updated' },
  { label: 'reconnected', count: (r) => r.reconnected.length, attr: 'data-reconnected' },
  { label: 'detached', count: (r) => r.detached.length, attr: 'data-detached' },
  { label: 'removed', count: (r) => r.removed.length, attr: 'data-removed' },
  { label: 'awaiting your answer', count: (r) => r.pendingRemovals.length, attr: 'data-pending' },
];

interface FieldInputProps {
  integrationKey: string;
  field: Field;
  draft: string | undefined;
  /** A saved secret that the changed address needs typed again. */
  neededAgain: boolean;
  onInput(value: string): void;
}

function FieldInput({ integrationKey, field, draft, neededAgain, onInput }: FieldInputProps) {
  const id = `integration-field-${integrationKey}-${field.key}`;
  const secret = field.type === 'secret';
  const required = field.required || neededAgain;
  return (
    <label class="form-field" for={id}>
      <span>
        {field.label}
        {required && <span class="muted"> (required)</span>}
      </span>
      <input
        id={id}
        type={INPUT_TYPES[field.type]}
        autoComplete={secret ? 'new-password' : 'off'}
        spellcheck={false}
        placeholder={secret ? (field.hasValue && !neededAgain ? 'set — type to replace' : 'not set') : undefined}
        value={draft ?? (secret ? '' : (field.value ?? ''))}
        aria-required={required ? 'true' : undefined}
        aria-invalid={neededAgain ? 'true' : undefined}
        data-testid={id}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {neededAgain && (
        <span class="field-error" data-testid={`${id}-again`}>
          {secretAgainNote(field)}
        </span>
      )}
      <span class="muted">{field.description}</span>
    </label>
  );
}

interface RemovalQuestionProps {
  label: string;
  report: SyncReport;
  disabled: boolean;
  onKeep(): void;
  onRemove(): void;
}

/** Asks before a sync removes the many items upstream stopped listing; keeping them leaves everything as it is. */
export function RemovalQuestion({ label, report, disabled, onKeep, onRemove }: RemovalQuestionProps) {
  const { names, more } = namedRemovals(report);
  return (
    <section class="integration-subpanel" role="alertdialog" aria-labelledby="integration-removals-question" data-testid="integration-removals-confirm" data-count={report.pendingRemovals.length}>
      <h3 id="integration-removals-question">{removalQuestion(label, report)}</h3>
      <p>
        {names.join(', ')}
        {more > 0 && ` and ${more} more`}.
      </p>
      <p class="muted">If {label} is only having trouble, keep them. Items you placed on a plan or annotated stay there, disconnected; the rest are removed with their history.</p>
      <div class="form-actions">
        <button type="button" class="secondary" data-testid="integration-removals-keep" disabled={disabled} onClick={onKeep}>
          Keep them
        </button>
        <button type="button" class="danger" data-testid="integration-removals-remove" disabled={disabled} onClick={onRemove}>
          Remove them
        </button>
      </div>
    </section>
  );
}

/** Worded as the header and the detail panel's stale note word it. */
export function HealthLine({ view, health }: { view: IntegrationView; health: IntegrationHealthView }) {
  const member = IntegrationHealth.fromNameSafe(health.health);
  const formatWhen = useWhenFormatter();
  const zone = useHomeTimezone();
  return (
    <p class="integration-health" data-testid={`integration-health-${view.key}`} data-health={member.value} title={member.description}>
      <span class="dot" aria-hidden="true" />
      <strong>{integrationHealthText(view.label, health, (ms) => formatTime(ms, zone))}</strong>
      {view.enabled && health.lastSuccessAt === null && <span class="muted"> · never connected</span>}
      {view.lastSyncAt !== null && <span class="muted"> · last sync {formatWhen(view.lastSyncAt)}</span>}
      {health.message && <span class="integration-message"> — {health.message}</span>}
    </p>
  );
}

/**
 * One integration: its health, configuration and actions. What the user typed stays in the fields until a save
 * takes it; every failure shows on the card.
 */
export function IntegrationCard({ view, reload }: { view: IntegrationView; reload(): Promise<void> }) {
  const bridge = useBridge();
  const { key } = view;
  const health = useAppState((s) => s.integrationHealth[key]) ?? view.health;
  const [drafts, setDrafts] = useState<Drafts>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [importing, setImporting] = useState(false);
  const [report, setReport] = useState<SyncReport | null>(null);

  // A health event for this integration: its view (enabled, last sync, messages) may have moved too.
  const seenHealth = useRef(health);
  useEffect(() => {
    if (seenHealth.current === health) return;
    seenHealth.current = health;
    void reload();
  }, [health, reload]);

  const act = async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      await reload();
    }
  };

  const saveDrafts = async () => {
    const sent = drafts;
    await bridge.invoke('integration.configure', { key, fields: sent });
    // Only what was sent is settled: anything typed meanwhile stays a draft.
    setDrafts((current) => Object.fromEntries(Object.entries(current).filter(([name, value]) => sent[name] !== value)));
  };
  const dirty = Object.keys(drafts).length > 0;
  const disabled = busy !== null;
  const neededAgain = secretsNeededAgain(view.fields, drafts);
  // Says on the card what the hub would refuse, instead of sending the call.
  const secretsReady = (): boolean => {
    if (neededAgain.length === 0) return true;
    setError(neededAgain.map(secretAgainNote).join(' '));
    return false;
  };
  const sync = (confirmRemovals: boolean) =>
    act('sync', async () => setReport(await bridge.invoke('integration.sync', confirmRemovals ? { key, confirmRemovals } : { key })));
  const keepPending = () => setReport((current) => current && { ...current, pendingRemovals: [] });

  const disable = (keepItems: boolean) =>
    act('disable', async () => {
      await bridge.invoke('integration.disable', { key, keepItems });
      setConfirmDisable(false);
      setReport(null);
    });

  const placed = (ids: ReadonlySet<number>) =>
    setReport((current) => current && { ...current, unplaced: current.unplaced.filter((u) => !ids.has(u.entityId)) });

  return (
    <article class="integration-card" data-testid={`integration-${key}`} data-health={health.health} data-enabled={view.enabled ? 'true' : 'false'}>
      <header>
        <div>
          <h2>{view.label}</h2>
          <p class="muted">{view.description}</p>
        </div>
      </header>
      <HealthLine view={view} health={health} />
      {error && (
        <p class="field-error" role="alert" data-testid={`integration-error-${key}`}>
          {error}
        </p>
      )}
      <form
        class="integration-fields"
        // The hub checks the fields and says why inline; the browser's own bubbles are not made for a wall panel.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (secretsReady()) void act('save', saveDrafts);
        }}
      >
        {view.fields.map((field) => (
          <FieldInput
            key={field.key}
            integrationKey={key}
            field={field}
            draft={drafts[field.key]}
            neededAgain={neededAgain.includes(field)}
            onInput={(value) => setDrafts((current) => ({ ...current, [field.key]: value }))}
          />
        ))}
        <div class="form-actions">
          <button type="submit" data-testid={`integration-save-${key}`} disabled={!dirty || disabled}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          <button
            type="button"
            class="secondary"
            data-testid={`integration-test-${key}`}
            disabled={disabled}
            onClick={() => {
              if (secretsReady()) void act('test', async () => setTestResult(await bridge.invoke('integration.test', { key, fields: drafts })));
            }}
          >
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
        </div>
      </form>
      {testResult && (
        <p class={testResult.ok ? 'test-result ok' : 'test-result failed'} role="status" data-testid={`integration-test-result-${key}`} data-ok={testResult.ok ? 'true' : 'false'}>
          {testResult.message}
        </p>
      )}
      <div class="form-actions integration-actions">
        {!view.enabled ? (
          <button
            type="button"
            data-testid={`integration-enable-${key}`}
            disabled={disabled}
            onClick={() => {
              if (!secretsReady()) return;
              void act('enable', async () => {
                // Enabling uses the stored settings: what was typed is saved first rather than left behind.
                if (dirty) await saveDrafts();
                await bridge.invoke('integration.enable', { key });
              });
            }}
          >
            {busy === 'enable' ? 'Enabling…' : dirty ? 'Save and enable' : 'Enable'}
          </button>
        ) : (
          <>
            <button
              type="button"
              data-testid={`integration-sync-${key}`}
              disabled={disabled || view.paused}
              onClick={() => void sync(false)}
            >
              {busy === 'sync' ? 'Syncing…' : 'Sync now'}
            </button>
            <button
              type="button"
              class="secondary"
              data-testid={`integration-pause-${key}`}
              disabled={disabled}
              onClick={() => void act('pause', () => bridge.invoke('integration.pause', { key, paused: !view.paused }))}
            >
              {view.paused ? 'Resume' : 'Pause'}
            </button>
          </>
        )}
        <button
          type="button"
          class="secondary"
          data-testid={`integration-import-${key}`}
          aria-expanded={importing}
          disabled={disabled}
          onClick={() => setImporting(!importing)}
        >
          Choose what to import
        </button>
        {view.enabled && (
          <button type="button" class="secondary" data-testid={`integration-disable-${key}`} disabled={disabled} onClick={() => setConfirmDisable(true)}>
            Disable…
          </button>
        )}
      </div>
      {confirmDisable && (
        <section class="integration-subpanel" data-testid={`integration-disable-confirm-${key}`}>
          <h3>Disable {view.label}?</h3>
          <p>Its items can stay on the plan, disconnected (a later sync reconnects them), or be removed with their notes and history.</p>
          <div class="form-actions">
            <button type="button" class="secondary" data-testid="integration-disable-cancel" disabled={disabled} onClick={() => setConfirmDisable(false)}>
              Cancel
            </button>
            <button type="button" data-testid="integration-disable-keep" disabled={disabled} onClick={() => void disable(true)}>
              Keep the items
            </button>
            <button type="button" class="danger" data-testid="integration-disable-remove" disabled={disabled} onClick={() => void disable(false)}>
              Remove the items
            </button>
          </div>
        </section>
      )}
      {importing && (
        <ImportPicker
          view={view}
          onError={setError}
          onClose={() => setImporting(false)}
          onSaved={() => {
            setImporting(false);
            void reload();
          }}
        />
      )}
      {report && (
        <p class="sync-report" role="status" data-testid={`integration-sync-report-${key}`} {...Object.fromEntries(REPORT_COUNTS.map((c) => [c.attr, c.count(report)]))}>
          Sync finished: {REPORT_COUNTS.map((c) => `${c.count(report)} ${c.label}`).join(', ')}.
          {unreadableNote(report) && ` ${unreadableNote(report)}`}
        </p>
      )}
      {report && report.pendingRemovals.length > 0 && (
        <RemovalQuestion label={view.label} report={report} disabled={disabled} onKeep={keepPending} onRemove={() => void sync(true)} />
      )}
      {report && report.unplaced.length > 0 && <PlacementStep integrationKey={key} unplaced={report.unplaced} onError={setError} onPlaced={placed} />}
    </article>
  );
}
