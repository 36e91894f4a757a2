import { render } from 'preact-render-to-string';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingSection, SettingView } from '../../../src-shared/model/settings';
import { appStore } from '../../store';
import { formatDate, formatDateTime, formatStateValue, formatTime, knownTimezone, useHomeTimezone, useUnitSystem } from '../format';

// 12:05 UTC on a winter day: 13:05 in Berlin, 21:05 in Tokyo, 06:05 in Chicago.
const INSTANT = Date.UTC(2026, 0, 15, 12, 5, 30);

/** The text as a 24-hour clock, whatever hour cycle the test machine's locale uses. */
function as24Hour(text: string): string {
  const match = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?/i.exec(text);
  if (!match) throw new Error(`no time in '${text}'`);
  let hour = Number(match[1]) % 12;
  if (!match[4]) hour = Number(match[1]);
  else if (match[4].toUpperCase() === 'PM') hour += 12;
  return [String(hour).padStart(2, '0'), match[2], ...(match[3] ? [match[3]] : [])].join(':');
}

function consoleSection(values: Record<string, string>): SettingSection {
  const setting = (key: string, value: string): SettingView => ({
    subsystem: 'console',
    key,
    label: key,
    description: '',
    type: key === 'timezone' ? 'timezone' : 'enum',
    value,
    defaultValue: value,
    hasValue: true,
    isDefault: true,
    updatedAt: 0,
  });
  return { subsystem: 'console', label: 'Console', description: '', settings: Object.entries(values).map(([key, value]) => setting(key, value)) };
}

function HomeTime({ at }: { at: number }) {
  const zone = useHomeTimezone();
  const units = useUnitSystem();
  return (
    <p>
      <time>{formatTime(at, zone)}</time> <span>{formatStateValue('temperature', '20', '°C', units)}</span>
    </p>
  );
}

describe('times in the home zone', () => {
  afterEach(() => appStore.setState({ settingSections: [] }));

  it('shows one instant as each zone reads it', () => {
    expect(as24Hour(formatTime(INSTANT, 'Europe/Berlin'))).toBe('13:05');
    expect(as24Hour(formatTime(INSTANT, 'Asia/Tokyo'))).toBe('21:05');
    expect(as24Hour(formatTime(INSTANT, 'America/Chicago', true))).toBe('06:05:30');
    // Late evening in Chicago is already the next day in Tokyo.
    const evening = Date.UTC(2026, 0, 16, 3, 0);
    expect(formatDate(evening, 'America/Chicago')).toContain('15');
    expect(formatDate(evening, 'Asia/Tokyo')).toContain('16');
    expect(formatDateTime(evening, 'Asia/Tokyo')).toContain('16');
  });

  it('screens take the zone and units from the settings in the store', () => {
    appStore.setState({ settingSections: [consoleSection({ timezone: 'Europe/Berlin', units: 'metric' })] });
    const berlin = render(<HomeTime at={INSTANT} />);
    expect(as24Hour(/<time>(.*?)<\/time>/.exec(berlin)![1]!)).toBe('13:05');
    expect(berlin).toContain('20 °C');

    appStore.setState({ settingSections: [consoleSection({ timezone: 'Asia/Tokyo', units: 'imperial' })] });
    const tokyo = render(<HomeTime at={INSTANT} />);
    expect(as24Hour(/<time>(.*?)<\/time>/.exec(tokyo)![1]!)).toBe('21:05');
    expect(tokyo).toContain('68.0 °F');
  });

  it('an invalid stored zone falls back to the panel zone rather than failing', () => {
    appStore.setState({ settingSections: [consoleSection({ timezone: 'Mars/Olympus_Mons', units: 'metric' })] });
    expect(render(<HomeTime at={INSTANT} />)).toMatch(/<time>\d/);
    expect(knownTimezone('Mars/Olympus_Mons')).toBeUndefined();
    expect(knownTimezone('Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});
