import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const repoRoot = path.join(__dirname, '..', '..', '..');

/** The fuses the packaged kiosk must have flipped, as electron-builder's `electronFuses` names them. */
const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

function builderConfig(): Record<string, unknown> {
  const config = load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8'));
  if (typeof config !== 'object' || config === null) throw new Error('electron-builder.yml is not a mapping');
  return config as Record<string, unknown>;
}

describe('electron-builder.yml', () => {
  it('flips every fuse of the security checklist', () => {
    expect(builderConfig().electronFuses).toMatchObject(REQUIRED_FUSES);
  });

  it("names only fuses electron-builder knows, so that none is silently ignored", () => {
    const scheme = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    const fuses = builderConfig().electronFuses as Record<string, unknown>;
    for (const name of Object.keys(fuses)) expect(known, name).toContain(name);
    for (const value of Object.values(fuses)) expect(typeof value).toBe('boolean');
  });
});
