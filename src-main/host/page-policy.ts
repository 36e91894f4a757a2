import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contentSecurityPolicy } from '../../src-shared/csp';

/** A script element with no attributes: the build's only inline script (the early connection, vite.config.ts). */
const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;

/** The CSP source of each inline script in `html`, by the SHA-256 of its text, as a browser computes it. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(([, text]) => `sha256-${createHash('sha256').update(text!, 'utf8').digest('base64')}`);
}

/**
 * The policy of the built renderer: its inline scripts allowed by their hashes, read from the index.html that will be
 * served, so that the policy and the page cannot disagree. Strict (no inline script) when the page cannot be read.
 */
export function rendererPolicy(rendererDir: string): string {
  let html: string;
  try {
    html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  } catch {
    return contentSecurityPolicy();
  }
  return contentSecurityPolicy(inlineScriptHashes(html));
}
