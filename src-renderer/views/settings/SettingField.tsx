import { useState } from 'preact/hooks';
import { SettingType } from '../../../src-shared/enums';
import { parseSettingInput, type SettingValue, type SettingView } from '../../../src-shared/model/settings';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useAppState } from '../../store';
import { SettingHistory } from './SettingHistory';
import { UPSTREAM_HOME_SETTINGS, UpstreamHomeChoice } from './UpstreamHomeChoice';

const NUMERIC_TYPES: readonly SettingType[] = [SettingType.INTEGER, SettingType.NUMBER, SettingType.LATITUDE, SettingType.LONGITUDE];

let timezoneNames: string[] | null = null;
const timezones = (): string[] => (timezoneNames ??= Intl.supportedValuesOf('timeZone'));

/**
 * One setting, rendered by its type. What the user typed stays in the field until the hub accepts it: a rejected
 * or failed save shows why and keeps the draft.
 */
export function SettingField({ setting }: { setting: SettingView }) {
  const bridge = useBridge();
  const applySettingView = useAppState((s) => s.applySettingView);
  const [draft, setDraft] = useState<SettingValue | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const id = `${setting.subsystem}.${setting.key}`;
  const type = SettingType.fromName(setting.type);
  const check = draft === null ? null : parseSettingInput(setting, draft);
  const message = saveError ?? (check && !check.ok ? check.message : null);

  const save = async (value: SettingValue) => {
    const parsed = parseSettingInput(setting, value);
    if (!parsed.ok) return;
    setSaving(true);
    setSaveError(null);
    try {
      applySettingView(await bridge.invoke('settings.update', { subsystem: setting.subsystem, key: setting.key, value: parsed.value }));
      setDraft(null);
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const edit = (value: SettingValue | null) => {
    setDraft(value);
    setSaveError(null);
  };
  const cancel = () => edit(null);

  const inputProps = {
    id: `setting-${id}`,
    'data-testid': `setting-input-${id}`,
    'aria-invalid': message !== null,
    'aria-describedby': message ? `setting-error-${id}` : undefined,
  };

  let control;
  if (type === SettingType.BOOLEAN) {
    control = (
      <input
        {...inputProps}
        type="checkbox"
        role="switch"
        class="switch"
        checked={setting.value === true}
        disabled={saving}
        onChange={(e) => void save((e.currentTarget as HTMLInputElement).checked)}
      />
    );
  } else if (type === SettingType.ENUM) {
    control = (
      <select {...inputProps} value={String(setting.value)} disabled={saving} onChange={(e) => void save((e.currentTarget as HTMLSelectElement).value)}>
        {(setting.options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    const secret = type === SettingType.SECRET;
    const numeric = NUMERIC_TYPES.includes(type);
    control = (
      <form
        class="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft !== null) void save(draft);
        }}
      >
        <input
          {...inputProps}
          type={secret ? 'password' : 'text'}
          inputMode={numeric ? 'decimal' : undefined}
          autoComplete="off"
          list={type === SettingType.TIMEZONE ? 'timezone-names' : undefined}
          placeholder={secret ? (setting.hasValue ? 'Set — type to replace' : 'Not set') : type === SettingType.TIME_OF_DAY ? 'HH:MM' : undefined}
          value={draft === null ? (secret ? '' : String(setting.value ?? '')) : String(draft)}
          onInput={(e) => edit((e.currentTarget as HTMLInputElement).value)}
        />
        {type === SettingType.TIMEZONE && (
          <datalist id="timezone-names">
            {timezones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        )}
        <button type="submit" data-testid={`setting-save-${id}`} disabled={draft === null || saving || (check !== null && !check.ok)}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {draft !== null && (
          <button type="button" class="secondary" data-testid={`setting-cancel-${id}`} onClick={cancel}>
            Cancel
          </button>
        )}
        {secret && setting.hasValue && draft === null && (
          <button type="button" class="secondary" data-testid={`setting-clear-${id}`} onClick={() => void save('')}>
            Clear
          </button>
        )}
      </form>
    );
  }

  return (
    <div class="setting-field" data-testid={`setting-${id}`} data-default={setting.isDefault ? 'true' : 'false'}>
      <div class="setting-label">
        <label for={`setting-${id}`}>{setting.label}</label>
        <p class="muted">{setting.description}</p>
      </div>
      <div class="setting-control">
        {control}
        {UPSTREAM_HOME_SETTINGS[id] && <UpstreamHomeChoice setting={setting} field={UPSTREAM_HOME_SETTINGS[id]} disabled={saving} onChoose={(value) => void save(value)} />}
        {message && (
          <p class="field-error" id={`setting-error-${id}`} role="alert" data-testid={`setting-error-${id}`}>
            {message}
          </p>
        )}
        <button type="button" class="link-button" data-testid={`setting-history-${id}`} onClick={() => setShowHistory(!showHistory)}>
          {showHistory ? 'Hide history' : 'History'}
        </button>
        {showHistory && <SettingHistory setting={setting} />}
      </div>
    </div>
  );
}
