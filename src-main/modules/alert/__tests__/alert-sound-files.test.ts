import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingDescriptor } from '../../../../src-shared/model/settings';
import { ALERT_SOUNDS, DEFAULT_ALERT_SOUND, SILENT_SOUND, SOUNDING_LEVELS } from '../../../../src-shared/model/alert-sound';
import { makeTempDir } from '../../../test-support/test-hub';
import { alertSettings } from '../settings';

const repoRoot = path.resolve(__dirname, '../../../..');
const soundsDir = path.join(repoRoot, 'src-renderer', 'assets', 'sounds');

/** The format fields of a WAV header, as a browser reads them. */
function wavFormat(bytes: Buffer) {
  return {
    riff: bytes.toString('ascii', 0, 4),
    wave: bytes.toString('ascii', 8, 12),
    format: bytes.readUInt16LE(20),
    channels: bytes.readUInt16LE(22),
    sampleRate: bytes.readUInt32LE(24),
    bitsPerSample: bytes.readUInt16LE(34),
    dataBytes: bytes.readUInt32LE(40),
    totalBytes: bytes.length,
  };
}

let tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

describe('the alert sound files', () => {
  it('has one committed file for every sound in the catalogue, and no other', () => {
    const files = readdirSync(soundsDir).sort();
    expect(files).toEqual([...ALERT_SOUNDS.map((s) => `${s.name}.wav`), `${SILENT_SOUND}.wav`].sort());
  });

  it('are small PCM WAV files a browser plays', () => {
    for (const file of readdirSync(soundsDir)) {
      const format = wavFormat(readFileSync(path.join(soundsDir, file)));
      expect(format, file).toMatchObject({ riff: 'RIFF', wave: 'WAVE', format: 1, channels: 1, sampleRate: 22_050, bitsPerSample: 16 });
      expect(format.totalBytes, file).toBe(44 + format.dataBytes);
      expect(format.totalBytes, file).toBeLessThan(200_000);
    }
  });

  it('are what scripts/generate-sounds.mjs makes, byte for byte', () => {
    const out = makeTempDir('hi-sounds-');
    tempDirs.push(out);
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'generate-sounds.mjs'), '--out', out], { stdio: 'pipe' });
    const generated = readdirSync(out).sort();
    expect(generated).toEqual(readdirSync(soundsDir).sort());
    for (const file of generated) expect(readFileSync(path.join(out, file)).equals(readFileSync(path.join(soundsDir, file))), file).toBe(true);
  });

  it('differ from level to level', () => {
    const defaults = SOUNDING_LEVELS.map((level) => readFileSync(path.join(soundsDir, `${DEFAULT_ALERT_SOUND[level]}.wav`)));
    expect(new Set(defaults.map((b) => b.toString('base64'))).size).toBe(SOUNDING_LEVELS.length);
  });
});

describe('the alert sound settings', () => {
  it('offer every sound for every level, with at least two made for it, defaulting to a distinct one per level', () => {
    const settings: readonly SettingDescriptor[] = alertSettings.settings;
    for (const level of SOUNDING_LEVELS) {
      const setting = settings.find((s) => s.key === `sound_${level}`)!;
      expect(setting.type).toBe('enum');
      expect(setting.defaultValue).toBe(DEFAULT_ALERT_SOUND[level]);
      expect(setting.options!.map((o) => o.value).sort()).toEqual(ALERT_SOUNDS.map((s) => s.name).sort());
      expect(ALERT_SOUNDS.filter((s) => s.madeFor === level).length).toBeGreaterThanOrEqual(2);
      const volume = settings.find((s) => s.key === `volume_${level}`)!;
      expect(volume).toMatchObject({ type: 'integer', min: 0, max: 100 });
    }
    expect(new Set(SOUNDING_LEVELS.map((level) => DEFAULT_ALERT_SOUND[level])).size).toBe(SOUNDING_LEVELS.length);
  });
});
