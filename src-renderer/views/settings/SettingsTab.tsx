import { useState } from 'preact/hooks';
import type { SettingSection } from '../../../src-shared/model/settings';
import { useBridge } from '../../bridge-context';
import { useAppState } from '../../store';
import { NOTIFY_SUBSYSTEM, NotifyTestButton } from './NotifyTestButton';
import { SettingField } from './SettingField';

function Section({ section }: { section: SettingSection }) {
  const bridge = useBridge();
  const applySettingsChanged = useAppState((s) => s.applySettingsChanged);
  const [error, setError] = useState<string | null>(null);
  const restoreDefaults = async () => {
    setError(null);
    try {
      const restored = await bridge.invoke('settings.defaults.restore', { subsystem: section.subsystem });
      applySettingsChanged({ settings: restored.settings });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section class="settings-section" data-testid={`settings-section-${section.subsystem}`}>
      <header>
        <div>
          <h2>{section.label}</h2>
          <p class="muted">{section.description}</p>
        </div>
        <button type="button" class="secondary" data-testid={`restore-defaults-${section.subsystem}`} onClick={() => void restoreDefaults()}>
          Restore defaults
        </button>
      </header>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {section.settings.map((setting) => (
        <SettingField key={setting.key} setting={setting} />
      ))}
      {section.subsystem === NOTIFY_SUBSYSTEM && <NotifyTestButton />}
    </section>
  );
}

export function SettingsTab() {
  const sections = useAppState((s) => s.settingSections);
  if (sections.length === 0) return <p class="muted">Loading settings…</p>;
  return (
    <div class="settings-tab">
      {sections.map((section) => (
        <Section key={section.subsystem} section={section} />
      ))}
    </div>
  );
}
