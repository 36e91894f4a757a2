// Nothing in this file may import sharp: it checks when the hub loads it.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../../test-support/test-hub';

/** sharp's native addon, which both its CommonJS and its ES module entries load with require. */
const sharpLoaded = () => Object.keys(createRequire(__filename).cache).some((file) => /sharp[^/\\]*\.node$/.test(file));

const PLAN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect x="1" y="1" width="98" height="48"/></svg>';

describe('loading sharp', () => {
  let testHub: TestHub | null = null;
  afterEach(async () => {
    await testHub?.close();
    testHub = null;
  });

  it('waits for the first worker thread: the hub starts without it, and it is in this thread before any worker runs', async () => {
    testHub = await createTestHub();
    expect(sharpLoaded()).toBe(false);
    const clean = await testHub.hub.cpu.sanitizeSvg(PLAN);
    expect(clean.svg.toString('utf8')).toContain('<rect');
    expect(sharpLoaded()).toBe(true);
  });
});
