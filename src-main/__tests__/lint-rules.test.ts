import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
let eslint: ESLint;

async function ruleIds(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the layering lint rules', () => {
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
    ["import path from 'path';\nexport const x = path;\n", 'no-restricted-imports'],
    ["import { app } from 'electron';\nexport const x = app;\n", 'no-restricted-imports'],
    ['export const width = window.innerWidth;\n', 'no-restricted-globals'],
    ['export const root = document.body;\n', 'no-restricted-globals'],
    ['export const env = process.env;\n', 'no-restricted-globals'],
  ])('refuses platform code in src-shared: %s', async (code, rule) => {
    expect(await ruleIds(code, 'src-shared/model/lint-probe.ts')).toContain(rule);
  });

  it('refuses electron outside src-main/electron', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await ruleIds(code, 'src-main/modules/config/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src-renderer/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src-main/electron/lint-probe.ts')).toEqual([]);
  });

  it('accepts platform-free code in src-shared and Node code in src-main', async () => {
    expect(await ruleIds("import { z } from 'zod';\nexport const s = z.string();\n", 'src-shared/model/lint-probe.ts')).toEqual([]);
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src-main/store/lint-probe.ts')).toEqual([]);
  });

  it.each([
    ["import { Hub } from '../../src-main/hub';\nexport const x = Hub;\n", 'src-renderer/views/lint-probe.tsx'],
    ["import { PanelServer } from '../../server/panel-server';\nexport const x = PanelServer;\n", 'src-main/modules/config/lint-probe.ts'],
    ["import { PanelServer } from '../../../server/panel-server';\nexport const x = PanelServer;\n", 'src-main/modules/config/__tests__/lint-probe.ts'],
    ["import { x } from '../../electron/main';\nexport const y = x;\n", 'src-main/integrations/home_assistant/lint-probe.ts'],
  ])('refuses a layer reaching into a host or the renderer into main: %s', async (code, file) => {
    expect(await ruleIds(code, file)).toContain('no-restricted-imports');
  });

  it('lets domain code use the hub and the renderer use src-shared', async () => {
    expect(await ruleIds("import { Hub } from '../../hub';\nexport const x = Hub;\n", 'src-main/modules/config/lint-probe.ts')).toEqual([]);
    expect(await ruleIds("import { requests } from '../src-shared/ipc/contract';\nexport const x = requests;\n", 'src-renderer/lint-probe.tsx')).toEqual([]);
  });

  it.each(['src-main/hub.ts', 'src-renderer/main.tsx', 'src-shared/ipc/contract.ts', 'bench/live-latency.ts'])('checks promises and switches with type information in %s', async (file) => {
    const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules: Record<string, unknown[]> };
    for (const rule of ['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises', '@typescript-eslint/switch-exhaustiveness-check']) {
      expect(config.rules[rule]?.[0], rule).toBe(2);
    }
  });
});
