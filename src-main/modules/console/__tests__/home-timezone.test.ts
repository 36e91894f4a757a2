import { afterEach, describe, expect, it } from 'vitest';
import { settingsRegistry } from '../../settings-registry';
import { createTestHub, makeTempDir, type TestHub } from '../../../test-support/test-hub';
import { systemTimezone, withHomeTimezoneDefault } from '../home-timezone';
import { consoleSettings } from '../settings';
import { rmSync } from 'node:fs';

const view = (t: TestHub, key: string) =>
  t.hub.settings
    .sections()
    .find((s) => s.subsystem === 'console')!
    .settings.find((s) => s.key === key)!;

describe('the home time zone default', () => {
  it('is the machine zone when that is a known IANA zone, and UTC otherwise', () => {
    expect(systemTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(systemTimezone('UTC')).toBe('UTC');
    // Node answers undefined for a TZ it cannot resolve.
    expect(systemTimezone(undefined)).toBe('UTC');
    expect(systemTimezone('')).toBe('UTC');
    expect(systemTimezone('Etc/Unknown')).toBe('UTC');
    expect(systemTimezone('Mars/Olympus_Mons')).toBe('UTC');
  });

  it('reads the machine zone when given none', () => {
    expect(systemTimezone()).toBe(systemTimezone(Intl.DateTimeFormat().resolvedOptions().timeZone));
  });

  it('changes only the default of the console zone, and refuses a default that is no zone', () => {
    const registry = withHomeTimezoneDefault(settingsRegistry, 'Asia/Tokyo');
    const console = registry.find((d) => d.subsystem === 'console')!;
    expect(console.settings.find((s) => s.key === 'timezone')!.defaultValue).toBe('Asia/Tokyo');
    expect(console.settings.filter((s) => s.key !== 'timezone')).toEqual(consoleSettings.settings.filter((s) => s.key !== 'timezone'));
    expect(registry.filter((d) => d.subsystem !== 'console')).toEqual(settingsRegistry.filter((d) => d.subsystem !== 'console'));
    expect(() => withHomeTimezoneDefault(settingsRegistry, 'Mars/Olympus_Mons')).toThrow(/not a time zone/);
  });
});

describe('a hub on a fresh data dir', () => {
  const dirs: string[] = [];
  const hubs: TestHub[] = [];
  const open = async (dataDir: string, systemTimezone: string) => {
    const t = await createTestHub({ dataDir, systemTimezone });
    hubs.push(t);
    return t;
  };
  afterEach(async () => {
    for (const t of hubs.splice(0)) await t.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = () => {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir;
  };

  it('takes its machine zone as the home zone and metric units', async () => {
    const t = await open(dataDir(), 'Europe/Berlin');
    expect(view(t, 'timezone')).toMatchObject({ value: 'Europe/Berlin', defaultValue: 'Europe/Berlin', isDefault: true });
    expect(view(t, 'units')).toMatchObject({ value: 'metric', isDefault: true });
  });

  it('keeps a stored zone when the machine zone changes, whether it was a default or a choice', async () => {
    const dir = dataDir();
    const first = await open(dir, 'America/Chicago');
    await first.stop();
    const moved = await open(dir, 'Asia/Tokyo');
    // The zone written on the first start stays: the hub cannot tell a default from a deliberate choice of it.
    expect(view(moved, 'timezone')).toMatchObject({ value: 'America/Chicago', defaultValue: 'Asia/Tokyo', isDefault: false });
    await moved.hub.settings.update('console', 'timezone', 'Europe/Lisbon');
    await moved.stop();
    const again = await open(dir, 'UTC');
    expect(again.hub.settings.value(consoleSettings, 'timezone')).toBe('Europe/Lisbon');
  });
});
