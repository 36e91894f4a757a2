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
});
