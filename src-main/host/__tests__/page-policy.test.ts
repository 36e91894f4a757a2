import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-shared/csp';
import { inlineScriptHashes, rendererPolicy } from '../page-policy';

const EARLY = 'window.opened=1;';
const PAGE = `<!doctype html><html><head><meta charset="utf-8" /><script>${EARLY}</script><script type="module" src="./assets/app.js"></script></head><body></body></html>`;
const sha256 = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

describe("the page's Content-Security-Policy", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const rendererWith = (html: string | null) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hi-policy-'));
    dirs.push(dir);
    if (html !== null) writeFileSync(path.join(dir, 'index.html'), html);
    return dir;
  };

  it('hashes each inline script, and no script that has a source', () => {
    expect(inlineScriptHashes(PAGE)).toEqual([sha256(EARLY)]);
    expect(inlineScriptHashes('<script src="x.js"></script>')).toEqual([]);
  });

  it("allows the built page's inline script by its hash and nothing else inline", () => {
    const policy = rendererPolicy(rendererWith(PAGE));
    const scriptSrc = policy.split('; ').find((directive) => directive.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' '${sha256(EARLY)}'`);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy.replace(` '${sha256(EARLY)}'`, '')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('stays strict when the page cannot be read', () => {
    expect(rendererPolicy(rendererWith(null))).toBe(CONTENT_SECURITY_POLICY);
  });
});
