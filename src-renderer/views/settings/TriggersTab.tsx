import { useState } from 'preact/hooks';
import { AlarmLevel } from '../../../src-shared/enums/alert';
import { ClauseOperator, EventType } from '../../../src-shared/enums/event';
import { SecurityLevel } from '../../../src-shared/enums/security';
import type { EventDefinitionView, RuleStateOption } from '../../../src-shared/model/event';
import { useBridge } from '../../bridge-context';
import { EnumSelect } from '../../components/EnumSelect';
import { errorMessage, formatTime, useHomeTimezone } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { ConfirmDialog } from '../location/edit/Modal';
import { draftOf, emptyDraft, inputOf, stateLabel, type RuleDraft } from './triggers/rule-form';

function StatePicker({ options, value, testId, label, onChange }: { options: readonly RuleStateOption[]; value: number; testId: string; label: string; onChange(id: number): void }) {
  return (
    <select aria-label={label} data-testid={testId} value={String(value)} onChange={(e) => onChange(Number(e.currentTarget.value))}>
      {options.map((o) => (
        <option key={o.entityStateId} value={String(o.entityStateId)}>
          {stateLabel(o)}
        </option>
      ))}
    </select>
  );
}

/** A value to compare with or set: the state's own values when it has a known list, free text otherwise. */
function ValueInput({ option, value, testId, onChange }: { option: RuleStateOption | undefined; value: string; testId: string; onChange(value: string): void }) {
  if (option?.choices && option.choices.length > 0) {
    return (
      <select aria-label="Value" data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {!option.choices.includes(value) && <option value={value}>{value || 'choose…'}</option>}
        {option.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  }
  return <input aria-label="Value" data-testid={testId} value={value} maxLength={100} onInput={(e) => onChange(e.currentTarget.value)} />;
}

function RuleEditor({ rule, states, onSaved, onCancel }: { rule: EventDefinitionView | null; states: RuleStateOption[]; onSaved(): void; onCancel(): void }) {
  const bridge = useBridge();
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : emptyDraft(states)));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const byId = new Map(states.map((s) => [s.entityStateId, s]));
  const controllable = states.filter((s) => s.controllable);
  const update = (change: Partial<RuleDraft>) => setDraft({ ...draft, ...change });

  const save = async () => {
    const built = inputOf(draft);
    if ('error' in built) return setError(built.error);
    setBusy(true);
    setError(null);
    try {
      if (rule) await bridge.invoke('event.update', { eventDefinitionId: rule.id, definition: built.input });
      else await bridge.invoke('event.create', { definition: built.input });
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="rule-editor" data-testid="rule-editor" onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3>{rule ? `Edit “${rule.name}”` : 'New rule'}</h3>
      <div class="rule-grid">
        <label class="form-field">
          <span>Name</span>
          <input data-testid="rule-name" value={draft.name} required onInput={(e) => update({ name: e.currentTarget.value })} />
        </label>
        <label class="form-field">
          <span>Kind</span>
          <EnumSelect members={EventType.members} value={draft.eventType} label="Kind" testId="rule-type" onChange={(m) => update({ eventType: m.value })} />
        </label>
        <label class="form-field">
          <span>All conditions within (seconds)</span>
          <input type="number" min={1} max={3600} data-testid="rule-window" value={draft.eventWindowSecs} onInput={(e) => update({ eventWindowSecs: Number(e.currentTarget.value) })} />
        </label>
        <label class="form-field">
          <span>At most once every (seconds)</span>
          <input type="number" min={0} data-testid="rule-dedupe" value={draft.dedupeWindowSecs} onInput={(e) => update({ dedupeWindowSecs: Number(e.currentTarget.value) })} />
        </label>
      </div>

      <fieldset>
        <legend>When</legend>
        {draft.clauses.map((clause, index) => (
          <div class="rule-row" key={index} data-testid={`rule-clause-${index}`}>
            <StatePicker
              options={states}
              value={clause.entityStateId}
              label="State"
              testId={`rule-clause-state-${index}`}
              onChange={(entityStateId) => update({ clauses: draft.clauses.map((c, i) => (i === index ? { ...c, entityStateId, value: byId.get(entityStateId)?.choices?.[0] ?? c.value } : c)) })}
            />
            <EnumSelect
              members={ClauseOperator.members}
              value={clause.operator}
              label="Comparison"
              testId={`rule-clause-operator-${index}`}
              onChange={(m) => update({ clauses: draft.clauses.map((c, i) => (i === index ? { ...c, operator: m.value } : c)) })}
            />
            <ValueInput
              option={byId.get(clause.entityStateId)}
              value={clause.value}
              testId={`rule-clause-value-${index}`}
              onChange={(value) => update({ clauses: draft.clauses.map((c, i) => (i === index ? { ...c, value } : c)) })}
            />
            <button type="button" class="secondary" aria-label="Remove condition" disabled={draft.clauses.length === 1} onClick={() => update({ clauses: draft.clauses.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        ))}
        {states.length > 0 && draft.clauses.length < 10 && (
          <button type="button" class="secondary" data-testid="rule-add-clause" onClick={() => update({ clauses: [...draft.clauses, { entityStateId: states[0]!.entityStateId, operator: 'eq', value: states[0]!.choices?.[0] ?? '' }] })}>
            Add a condition
          </button>
        )}
      </fieldset>

      <fieldset>
        <legend>Alarm, by security level</legend>
        {SecurityLevel.members.map((level) => {
          const alarm = draft.alarms[level.value];
          const setAlarm = (change: Partial<typeof alarm>) => update({ alarms: { ...draft.alarms, [level.value]: { ...alarm, ...change } } });
          return (
            <div class="rule-row" key={level.value}>
              <span class="rule-level" title={level.description}>
                {level.label}
              </span>
              <EnumSelect members={AlarmLevel.members} value={alarm.alarmLevel} label={`Alarm at ${level.label}`} testId={`rule-alarm-${level.value}`} onChange={(m) => setAlarm({ alarmLevel: m.value })} />
              {alarm.alarmLevel !== AlarmLevel.NONE.value && (
                <label class="rule-inline">
                  <span>for</span>
                  <input
                    class="rule-minutes"
                    inputMode="decimal"
                    placeholder="until acknowledged"
                    aria-label={`Minutes the alarm at ${level.label} lasts`}
                    data-testid={`rule-alarm-minutes-${level.value}`}
                    value={alarm.lifetimeMinutes}
                    onInput={(e) => setAlarm({ lifetimeMinutes: e.currentTarget.value })}
                  />
                  <span>min</span>
                </label>
              )}
            </div>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>Then set</legend>
        {draft.controlActions.map((control, index) => (
          <div class="rule-row" key={index} data-testid={`rule-control-${index}`}>
            <StatePicker
              options={controllable}
              value={control.entityStateId}
              label="Controlled state"
              testId={`rule-control-state-${index}`}
              onChange={(entityStateId) => update({ controlActions: draft.controlActions.map((c, i) => (i === index ? { entityStateId, value: byId.get(entityStateId)?.choices?.[0] ?? c.value } : c)) })}
            />
            <span>to</span>
            <ValueInput
              option={byId.get(control.entityStateId)}
              value={control.value}
              testId={`rule-control-value-${index}`}
              onChange={(value) => update({ controlActions: draft.controlActions.map((c, i) => (i === index ? { ...c, value } : c)) })}
            />
            <button type="button" class="secondary" aria-label="Remove action" onClick={() => update({ controlActions: draft.controlActions.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        ))}
        {controllable.length > 0 && draft.controlActions.length < 10 && (
          <button
            type="button"
            class="secondary"
            data-testid="rule-add-control"
            onClick={() => update({ controlActions: [...draft.controlActions, { entityStateId: controllable[0]!.entityStateId, value: controllable[0]!.choices?.[0] ?? '' }] })}
          >
            Add an action
          </button>
        )}
      </fieldset>

      <label class="rule-inline">
        <input type="checkbox" class="switch" data-testid="rule-enabled" checked={draft.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} />
        <span>Enabled</span>
      </label>
      {error && (
        <p class="field-error" role="alert" data-testid="rule-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" data-testid="rule-save" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}

function summary(rule: EventDefinitionView): string {
  const when = rule.clauses.map((c) => `${stateLabel(c)} ${ClauseOperator.fromNameSafe(c.operator).label} ${c.value}`).join(' and ');
  const alarms = rule.alarmActions
    .filter((a) => a.alarmLevel !== AlarmLevel.NONE.value)
    .map((a) => `${SecurityLevel.fromNameSafe(a.securityLevel).label}: ${AlarmLevel.fromNameSafe(a.alarmLevel).label}`);
  const controls = rule.controlActions.map((c) => `set ${c.entityName} to ${c.value}`);
  return [`When ${when || 'nothing (its states are gone)'}`, ...(alarms.length > 0 ? [alarms.join(', ')] : []), ...controls].join(' · ');
}

function Firings({ rule }: { rule: EventDefinitionView }) {
  const zone = useHomeTimezone();
  const { data, error } = useHubQuery('event.firings.list', { eventDefinitionId: rule.id }, rule.lastFiredAt);
  if (error) return <p class="field-error">{error}</p>;
  if (!data) return null;
  if (data.length === 0) return <p class="muted">It has not fired yet.</p>;
  return (
    <ol class="rule-firings" data-testid={`rule-firings-${rule.id}`}>
      {data.map((f) => (
        <li key={f.id}>
          <time>{formatTime(f.firedAt, zone, true)}</time> <span>{f.details}</span>
        </li>
      ))}
    </ol>
  );
}

/** Trigger rules: what happens when sensors change, for each security level. */
export function TriggersTab() {
  const bridge = useBridge();
  const [refresh, setRefresh] = useState(0);
  const rules = useHubQuery('event.list', {}, refresh);
  const states = useHubQuery('event.states.list', {}, refresh);
  const [editing, setEditing] = useState<EventDefinitionView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<EventDefinitionView | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const zone = useHomeTimezone();
  const reload = () => setRefresh((n) => n + 1);

  const act = async (work: () => Promise<string>) => {
    try {
      setMessage(await work());
    } catch (e) {
      setMessage(errorMessage(e));
    }
    reload();
  };

  if (rules.error || states.error) return <p class="field-error">{rules.error ?? states.error}</p>;
  if (!rules.data || !states.data) return <p class="muted">Loading…</p>;
  if (editing !== null) {
    return (
      <RuleEditor
        rule={editing === 'new' ? null : editing}
        states={states.data}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
        onCancel={() => setEditing(null)}
      />
    );
  }
  const needle = filter.trim().toLowerCase();
  const shown = rules.data.filter((r) => needle === '' || r.name.toLowerCase().includes(needle) || r.clauses.some((c) => c.entityName.toLowerCase().includes(needle)));

  return (
    <div class="triggers" data-testid="triggers">
      <div class="form-actions triggers-toolbar">
        <input type="search" placeholder="Find a rule or an item" aria-label="Find a rule" data-testid="rule-filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <button type="button" data-testid="rule-new" disabled={states.data.length === 0} onClick={() => setEditing('new')}>
          New rule
        </button>
      </div>
      {states.data.length === 0 && <p class="muted">Rules watch the states of your items; connect an integration or add items first.</p>}
      {message && (
        <p class="muted" role="status" data-testid="rule-message">
          {message}
        </p>
      )}
      {shown.map((rule) => (
        <section key={rule.id} class="rule-card" data-testid={`rule-${rule.id}`} data-enabled={rule.enabled ? 'true' : 'false'}>
          <div class="rule-head">
            <h3>{rule.name}</h3>
            <span class="muted">
              {EventType.fromNameSafe(rule.eventType).label}
              {rule.isDefault && ' · made for its sensor'}
              {!rule.enabled && ' · off'}
              {rule.lastFiredAt !== null && ` · last fired ${formatTime(rule.lastFiredAt, zone)}`}
            </span>
          </div>
          <p>{summary(rule)}</p>
          <div class="form-actions">
            <button type="button" class="secondary" data-testid={`rule-history-${rule.id}`} onClick={() => setOpen(open === rule.id ? null : rule.id)}>
              {open === rule.id ? 'Hide firings' : 'Firings'}
            </button>
            <button type="button" class="secondary" data-testid={`rule-test-${rule.id}`} onClick={() => void act(async () => (await bridge.invoke('event.test', { eventDefinitionId: rule.id })).details)}>
              Fire now
            </button>
            <button type="button" class="secondary" data-testid={`rule-edit-${rule.id}`} onClick={() => setEditing(rule)}>
              Edit
            </button>
            <button type="button" class="danger" data-testid={`rule-delete-${rule.id}`} onClick={() => setDeleting(rule)}>
              Delete
            </button>
          </div>
          {open === rule.id && <Firings rule={rule} />}
        </section>
      ))}
      {deleting && (
        <ConfirmDialog
          title="Delete this rule?"
          message={`“${deleting.name}” will no longer ${deleting.controlActions.length > 0 ? 'run its actions or ' : ''}raise alarms.${deleting.isDefault ? ' It will not be made again for its sensor.' : ''}`}
          confirmLabel="Delete"
          testId="rule-delete-confirm"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const target = deleting;
            setDeleting(null);
            await act(async () => {
              await bridge.invoke('event.delete', { eventDefinitionId: target.id });
              return `Deleted “${target.name}”.`;
            });
          }}
        />
      )}
    </div>
  );
}
