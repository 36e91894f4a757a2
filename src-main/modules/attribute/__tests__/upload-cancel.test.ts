import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, callFails, countRows, pdfFixture, PLAIN_PLAN, storedFiles, unfinishedUploads } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

describe('a cancelled or abandoned upload', () => {
  let t: TestHub;

  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  /** Begins an upload of `data` and sends its first half, as a panel would before the person cancels. */
  const halfUpload = async (fileName: string, data: Buffer) => {
    const { uploadId } = await call(t, 'file.upload.begin', { fileName, size: data.length });
    const half = data.subarray(0, Math.floor(data.length / 2));
    await call(t, 'file.upload.chunk', { uploadId, offset: 0, data: half.toString('base64') });
    expect(unfinishedUploads(t)).toEqual([uploadId]);
    return { uploadId, sent: half.length };
  };

  it('leaves no partial file and no attachment when the panel cancels it', async () => {
    await call(t, 'edit.begin', {});
    const home = await call(t, 'location.create', { name: 'Home' });
    const dishwasher = await call(t, 'entity.create', { name: 'Dishwasher', type: 'dishwasher', locationViewId: home.views[0]!.id });
    const data = pdfFixture();
    const { uploadId, sent } = await halfUpload('manual.pdf', data);

    expect(await call(t, 'file.upload.cancel', { uploadId })).toEqual({ ok: true });

    expect(unfinishedUploads(t)).toEqual([]);
    // Nothing can go on from where it stopped, or be kept as an attachment or a floor plan.
    const more = await callFails(t, 'file.upload.chunk', { uploadId, offset: sent, data: data.subarray(sent).toString('base64') });
    expect(more.code).toBe('not_found');
    const attached = await callFails(t, 'attribute.create', { owner: { kind: 'entity', id: dishwasher.id }, name: 'Manual', valueType: 'file', uploadId });
    expect(attached.code).toBe('not_found');
    expect((await callFails(t, 'location.background.set', { locationId: home.id, uploadId })).code).toBe('not_found');
    expect(countRows(t, 'entity_attribute')).toBe(0);
    expect(storedFiles(t)).toEqual([]);
    // Cancelling again (a second tap, a retry after a lost answer) is not an error.
    expect(await call(t, 'file.upload.cancel', { uploadId })).toEqual({ ok: true });
  });

  it('keeps the other uploads going when one is cancelled', async () => {
    const plan = Buffer.from(PLAIN_PLAN);
    const kept = await halfUpload('ground.svg', plan);
    const { uploadId: dropped } = await call(t, 'file.upload.begin', { fileName: 'upper.svg', size: plan.length });
    await call(t, 'file.upload.cancel', { uploadId: dropped });
    expect(unfinishedUploads(t)).toEqual([kept.uploadId]);
    const rest = plan.subarray(kept.sent);
    expect(await call(t, 'file.upload.chunk', { uploadId: kept.uploadId, offset: kept.sent, data: rest.toString('base64') })).toEqual({ received: plan.length });
  });
});
