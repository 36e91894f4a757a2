import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { IpcError } from '../../../src-shared/ipc/errors';
import { sanitizeSvg, SvgRejectedError } from '../../modules/location/svg-sanitizer';
import { pngFixture } from '../../test-support/home-helpers';
import { hugePlan } from '../../test-support/huge-plan';
import { makeTempDir } from '../../test-support/test-hub';
import { testCpuWorkerScript } from '../../test-support/worker-bundles';
import { CpuWorkers, type CpuWorkersOptions } from '../cpu-workers';

const FIXTURES = path.join(__dirname, '..', '..', 'modules', 'location', '__tests__', 'fixtures');
const fixtureFiles = ['hostile', 'plans'].flatMap((dir) => readdirSync(path.join(FIXTURES, dir)).map((name) => path.join(FIXTURES, dir, name)));

/** What the sanitiser gives in this thread: its result, or its refusal's class and words. */
function inProcess(input: Buffer): unknown {
  try {
    const clean = sanitizeSvg(input);
    return { ...clean, svg: Buffer.from(clean.svg, 'utf8') };
  } catch (error) {
    return error;
  }
}

describe('CpuWorkers', () => {
  const opened: CpuWorkers[] = [];
  const workers = (options?: CpuWorkersOptions): CpuWorkers => {
    const created = new CpuWorkers(testCpuWorkerScript(), options);
    opened.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((w) => w.close()));
  });

  it('sanitises every plan and hostile fixture exactly as the sanitiser does in the hub thread', async () => {
    const cpu = workers();
    expect(fixtureFiles.length).toBeGreaterThan(50);
    for (const file of fixtureFiles) {
      const expected = inProcess(readFileSync(file));
      const actual = await cpu.sanitizeSvg(readFileSync(file)).catch((error: unknown) => error);
      if (expected instanceof SvgRejectedError) {
        expect(actual, path.basename(file)).toBeInstanceOf(SvgRejectedError);
        expect((actual as Error).message, path.basename(file)).toBe(expected.message);
      } else {
        expect(actual, path.basename(file)).toEqual(expected);
      }
    }
  });

  it('takes text as well as bytes, and moves the bytes to the worker rather than copying them', async () => {
    const cpu = workers();
    const text = readFileSync(path.join(FIXTURES, 'plans', 'cottage-inkscape.svg'), 'utf8');
    const fromText = await cpu.sanitizeSvg(text);
    const bytes = Buffer.from(text, 'utf8');
    const byteLength = bytes.buffer.byteLength;
    expect(byteLength).toBeGreaterThan(8192);
    const fromBytes = await cpu.sanitizeSvg(bytes);
    expect(bytes.buffer.byteLength).toBe(0);
    expect(fromBytes).toEqual(fromText);
    expect(fromText.svg.toString('utf8')).toBe(sanitizeSvg(text).svg);
  });

  it('refuses a plan that takes longer than the job timeout in words for the person who uploaded it', async () => {
    const cpu = workers({ jobTimeoutMs: 50 });
    const refusal = await cpu.sanitizeSvg(hugePlan(300_000)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SvgRejectedError);
    expect((refusal as Error).message).toBe('Checking the drawing took longer than 0.05 s; simplify it or export it again as plain SVG.');
  });

  it('answers rate_limited when more plans wait than the queue holds', async () => {
    const cpu = workers({ size: 1, maxQueued: 0 });
    const first = cpu.sanitizeSvg(hugePlan(10));
    const second = await cpu.sanitizeSvg(hugePlan(10)).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(IpcError);
    expect((second as IpcError).toData()).toEqual({ code: 'rate_limited', message: 'The hub is busy with other files; try again in a moment.' });
    expect((await first).elementCount).toBe(11);
  });

  it('writes a WebP thumbnail no larger than asked, keeping the picture upright and its proportions', async () => {
    const cpu = workers();
    const dir = makeTempDir();
    try {
      const source = path.join(dir, 'photo.png');
      await sharp(await pngFixture(640, 480)).toFile(source);
      const target = path.join(dir, 'photo.webp');
      await cpu.thumbnail(source, target, 320);
      expect(await sharp(target).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });

      const notAPicture = path.join(dir, 'notes.png');
      writeFileSync(notAPicture, 'not a picture');
      await expect(cpu.thumbnail(notAPicture, path.join(dir, 'notes.webp'), 320)).rejects.toThrow(/image.thumbnail failed in a worker/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
