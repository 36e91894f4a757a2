import type { SettingValue, SettingView } from '../../../src-shared/model/settings';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';

/** The console settings that a connected integration can fill in with one tap. */
export const UPSTREAM_HOME_SETTINGS: Readonly<Record<string, 'timeZone' | 'unitSystem'>> = {
  'console.timezone': 'timeZone',
  'console.units': 'unitSystem',
};

/** "Use Home Assistant's zone: Europe/Berlin", for each connected integration whose value differs from the setting's. */
export function UpstreamHomeChoice({
  setting,
  field,
  disabled,
  onChoose,
}: {
  setting: SettingView;
  field: 'timeZone' | 'unitSystem';
  disabled: boolean;
  onChoose(value: SettingValue): void;
}) {
  // Asked again whenever an integration connects or drops.
  const healthKey = useAppState((s) =>
    Object.values(s.integrationHealth)
      .map((h) => `${h.key}:${h.health}`)
      .join(','),
  );
  const { data: upstreams } = useHubQuery('console.upstream_home.get', {}, healthKey);
  if (!upstreams) return null;
  const offers = upstreams.flatMap((upstream) => {
    const value = upstream[field];
    return value !== null && value !== setting.value ? [{ upstream, value }] : [];
  });
  return (
    <>
      {offers.map(({ upstream, value }) => (
        <button
          key={upstream.integration}
          type="button"
          class="secondary"
          disabled={disabled}
          data-testid={`setting-upstream-${setting.subsystem}.${setting.key}-${upstream.integration}`}
          onClick={() => onChoose(value)}
        >
          {field === 'timeZone'
            ? `Use ${upstream.label}'s zone: ${value}`
            : `Use ${upstream.label}'s units: ${setting.options?.find((o) => o.value === value)?.label ?? value}`}
        </button>
      ))}
    </>
  );
}
