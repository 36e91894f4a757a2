import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttributeOwner, AttributeView } from '../../../../src-shared/model/attribute';
import { MAX_UPLOAD_BYTES } from '../../../../src-shared/model/attribute';
import { KeyFileCipher } from '../../../store/secret-cipher';
import { call, callFails, countRows, HOSTILE_PLAN, pdfFixture, pngFixture, rows, uploadBuffer } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { FILES_DIR, THUMBNAILS_DIR } from '../file-store';

interface AttributeRow {
  id: number;
  value: string;
  value_type_str: string;
  file_name: string | null;
  file_mime_type: string | null;
  thumbnail_name: string | null;
  deleted_at: number | null;
}

describe('attributes through a hub', () => {
  let t: TestHub;
  let entity: AttributeOwner;
  let location: AttributeOwner;

  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
    const home = await call(t, 'location.create', { name: 'Home' });
    const dishwasher = await call(t, 'entity.create', { name: 'Dishwasher', type: 'dishwasher', locationViewId: home.views[0]!.id });
    await call(t, 'edit.end', {});
    entity = { kind: 'entity', id: dishwasher.id };
    location = { kind: 'location', id: home.id };
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (owner: AttributeOwner, name: string, valueType: string, value?: string, extra: Record<string, unknown> = {}) =>
    call(t, 'attribute.create', { owner, name, valueType: valueType as 'text', ...(value !== undefined ? { value } : {}), ...extra });
  const createFails = (owner: AttributeOwner, name: string, valueType: string, value?: string, extra: Record<string, unknown> = {}) =>
    callFails(t, 'attribute.create', { owner, name, valueType, ...(value !== undefined ? { value } : {}), ...extra });
  const list = (owner: AttributeOwner, deleted?: boolean) => call(t, 'attribute.list', { owner, ...(deleted !== undefined ? { deleted } : {}) });
  const stored = (owner: AttributeOwner, id: number) => rows<AttributeRow>(t, `${owner.kind}_attribute`, { id })[0]!;
  const storedFile = (url: string) => path.join(t.dataDir, url.replace(/^data\//, ''));
  const storedFiles = () => readdirSync(path.join(t.dataDir, FILES_DIR)).filter((f) => f !== THUMBNAILS_DIR);

  describe('values', () => {
    it.each([
      ['integer', '3.5', /whole number/],
      ['integer', 'twelve', /whole number/],
      ['integer', '', /whole number/],
      ['float', 'abc', /number/],
      ['float', '', /number/],
      ['float', 'Infinity', /number/],
      ['boolean', 'maybe', /yes or no/],
      ['link', 'javascript:alert(1)', /web address/],
      ['link', 'file:///etc/passwd', /web address/],
      ['link', 'not a url', /web address/],
      ['text', 'x'.repeat(10_001), /at most 10000 characters/],
    ])('refuses a bad %s value %j with a message, storing nothing', async (valueType, value, message) => {
      const error = await createFails(entity, 'Bad', valueType, value);
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toMatch(message);
      expect(error.issues?.[0]?.path).toEqual(['value']);
      expect(countRows(t, 'entity_attribute')).toBe(0);
    });

    it('refuses a choice that is not offered, and a choice attribute without choices', async () => {
      const error = await createFails(entity, 'Colour', 'enum', 'purple', { choices: ['white', 'black'] });
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toContain('white, black');
      const none = await createFails(entity, 'Colour', 'enum', 'white', { choices: ['  ', ''] });
      expect(none.code).toBe('invalid_argument');
      expect(none.issues?.[0]?.path).toEqual(['choices']);
      expect((await createFails(entity, 'Colour', 'enum', 'white', { choices: [] })).code).toBe('invalid_argument');
      expect(countRows(t, 'entity_attribute')).toBe(0);
    });

    it('refuses an unknown value type and an empty name', async () => {
      expect((await createFails(entity, 'X', 'colour', 'red')).code).toBe('invalid_argument');
      expect((await createFails(entity, '   ', 'text', 'red')).code).toBe('invalid_argument');
      expect(countRows(t, 'entity_attribute')).toBe(0);
    });

    it('stores valid values in their normal form', async () => {
      expect((await create(entity, 'Count', 'integer', ' 042 ')).value).toBe('42');
      expect((await create(entity, 'Ratio', 'float', ' 3.50 ')).value).toBe('3.5');
      expect((await create(entity, 'Enabled', 'boolean', 'true')).value).toBe('true');
      expect((await create(entity, 'Manual', 'link', ' https://example.com/manual ')).value).toBe('https://example.com/manual');
      expect((await create(entity, 'Support', 'link', 'mailto:help@example.com')).value).toBe('mailto:help@example.com');
      const colour = await create(entity, 'Colour', 'enum', 'black', { choices: [' white ', 'black', 'white'] });
      expect(colour).toMatchObject({ value: 'black', choices: ['white', 'black'] });
      expect((await create(entity, 'Model', 'text', 'DW-60')).value).toBe('DW-60');
      expect((await list(entity)).map((a) => [a.name, a.valueType, a.order])).toEqual([
        ['Count', 'integer', 0],
        ['Ratio', 'float', 1],
        ['Enabled', 'boolean', 2],
        ['Manual', 'link', 3],
        ['Support', 'link', 4],
        ['Colour', 'enum', 5],
        ['Model', 'text', 6],
      ]);
    });

    it('checks an update against the type and the stored choices, changing nothing when it fails', async () => {
      const colour = await create(entity, 'Colour', 'enum', 'black', { choices: ['white', 'black'] });
      const error = await callFails(t, 'attribute.update', { owner: entity, attributeId: colour.id, value: 'purple' });
      expect(error.code).toBe('invalid_argument');
      const count = await create(entity, 'Count', 'integer', '1');
      expect((await callFails(t, 'attribute.update', { owner: entity, attributeId: count.id, value: '1.5' })).code).toBe('invalid_argument');
      expect(stored(entity, colour.id).value).toBe('black');
      expect(stored(entity, count.id).value).toBe('1');
      expect(countRows(t, 'entity_attribute_history')).toBe(0);
      expect((await call(t, 'attribute.update', { owner: entity, attributeId: colour.id, value: 'white' })).value).toBe('white');
    });

    it('sanitises notes: script, handlers and script links go; simple formatting and web links stay', async () => {
      const html = [
        '<p>Clean the <b>filter</b> <i>monthly</i>.</p>',
        '<script>alert(1)</script>',
        '<img src="x" onerror="alert(2)">',
        '<ul><li onclick="alert(3)">Rinse</li><li>Dry</li></ul>',
        '<a href="javascript:alert(4)">bad link</a>',
        '<a href="https://example.com/manual" target="_self" rel="opener" onmouseover="alert(5)">manual</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(https://evil.example/x)">styled</p>',
      ].join('');
      const note = await create(entity, 'Care', 'note', html);
      const value = note.value!;
      expect(value).not.toMatch(/<script|alert|onerror|onclick|onmouseover|javascript:|<img|<iframe|style=/i);
      expect(value).toContain('<p>Clean the <b>filter</b> <i>monthly</i>.</p>');
      expect(value).toContain('<ul><li>Rinse</li><li>Dry</li></ul>');
      expect(value).toMatch(/<a [^>]*>bad link<\/a>/);
      const link = /<a ([^>]*)>manual<\/a>/.exec(value)?.[1] ?? '';
      expect(link).toContain('href="https://example.com/manual"');
      expect(link).toContain('rel="noopener noreferrer"');
      expect(link).toContain('target="_blank"');
      expect(link).not.toContain('_self');
      expect(stored(entity, note.id).value).toBe(value);
    });

    it('never sends a secret back, and keeps it encrypted at rest', async () => {
      const secret = await create(entity, 'Wi-Fi password', 'secret', 'hunter2-correct-horse');
      expect(secret).toMatchObject({ value: null, hasValue: true, valueType: 'secret' });
      expect((await list(entity))[0]).toMatchObject({ value: null, hasValue: true });
      const row = stored(entity, secret.id);
      expect(row.value).not.toContain('hunter2');
      expect(row.value).toMatch(/^aesgcm1:/);
      expect(new KeyFileCipher(path.join(t.dataDir, 'secret.key')).decrypt(row.value)).toBe('hunter2-correct-horse');

      t.clock.advance(1_000);
      const updated = await call(t, 'attribute.update', { owner: entity, attributeId: secret.id, value: 'new-password' });
      expect(updated.value).toBeNull();
      const history = await call(t, 'attribute.history.get', { owner: entity, attributeId: secret.id });
      expect(history).toHaveLength(1);
      expect(history[0]!.value).toBeNull();
      expect(JSON.stringify(await call(t, 'entity.detail.get', { entityId: entity.id }))).not.toMatch(/hunter2|new-password|aesgcm1/);
      expect(JSON.stringify(await call(t, 'attribute.history.get', { owner: entity, attributeId: secret.id }))).not.toMatch(/aesgcm1/);
      const empty = await create(entity, 'PIN', 'secret', '');
      expect(empty).toMatchObject({ value: null, hasValue: false });
    });

    it('keeps each replaced value in history, newest first, and restores one, which is itself recorded', async () => {
      const model = await create(entity, 'Model', 'text', 'DW-1');
      for (const value of ['DW-2', 'DW-3']) {
        t.clock.advance(1_000);
        const updated = await call(t, 'attribute.update', { owner: entity, attributeId: model.id, value });
        expect(updated).toMatchObject({ value, updatedAt: t.clock.now() });
      }
      const history = await call(t, 'attribute.history.get', { owner: entity, attributeId: model.id });
      expect(history.map((h) => h.value)).toEqual(['DW-2', 'DW-1']);
      expect(history[0]!.changedAt).toBe(t.clock.now());

      t.clock.advance(1_000);
      const restored = await call(t, 'attribute.history.restore', { owner: entity, historyId: history[1]!.id });
      expect(restored.value).toBe('DW-1');
      expect(stored(entity, model.id).value).toBe('DW-1');
      const after = await call(t, 'attribute.history.get', { owner: entity, attributeId: model.id });
      expect(after.map((h) => h.value)).toEqual(['DW-3', 'DW-2', 'DW-1']);
      expect(after[0]!.changedAt).toBe(t.clock.now());
      expect((await callFails(t, 'attribute.history.restore', { owner: entity, historyId: 9999 })).code).toBe('not_found');
      // A history entry of an entity attribute is not one of the location's.
      expect((await callFails(t, 'attribute.history.restore', { owner: location, historyId: history[1]!.id })).code).toBe('not_found');
    });

    it('renaming an attribute keeps its value', async () => {
      const model = await create(entity, 'Model', 'text', 'DW-60');
      const renamed = await call(t, 'attribute.update', { owner: entity, attributeId: model.id, name: 'Model number' });
      expect(renamed).toMatchObject({ name: 'Model number', value: 'DW-60' });
      const count = await create(entity, 'Racks', 'integer', '3');
      expect(await call(t, 'attribute.update', { owner: entity, attributeId: count.id, name: 'Rack count' })).toMatchObject({ name: 'Rack count', value: '3' });
      const secret = await create(entity, 'Code', 'secret', '1234');
      await call(t, 'attribute.update', { owner: entity, attributeId: secret.id, name: 'Door code' });
      expect(new KeyFileCipher(path.join(t.dataDir, 'secret.key')).decrypt(stored(entity, secret.id).value)).toBe('1234');
    });

    it('soft-deletes: hidden from the list, shown among deleted, restorable', async () => {
      const a = await create(entity, 'A', 'text', 'a');
      const b = await create(entity, 'B', 'text', 'b');
      t.clock.advance(1_000);
      const deleted = await call(t, 'attribute.delete', { owner: entity, attributeId: a.id });
      expect(deleted.deletedAt).toBe(t.clock.now());
      expect((await list(entity)).map((x) => x.id)).toEqual([b.id]);
      expect((await list(entity, true)).map((x) => [x.id, x.value])).toEqual([[a.id, 'a']]);
      expect(countRows(t, 'entity_attribute')).toBe(2);
      expect((await callFails(t, 'attribute.delete', { owner: entity, attributeId: a.id })).code).toBe('conflict');
      expect((await callFails(t, 'attribute.update', { owner: entity, attributeId: a.id, value: 'x' })).code).toBe('not_found');
      // Still in the entity detail? No: deleted attributes are hidden there too.
      expect((await call(t, 'entity.detail.get', { entityId: entity.id })).attributes.map((x) => x.id)).toEqual([b.id]);

      const restored = await call(t, 'attribute.restore', { owner: entity, attributeId: a.id });
      expect(restored).toMatchObject({ id: a.id, value: 'a', deletedAt: null });
      expect((await list(entity)).map((x) => x.id)).toEqual([a.id, b.id]);
      expect(await list(entity, true)).toEqual([]);
      expect((await callFails(t, 'attribute.restore', { owner: entity, attributeId: a.id })).code).toBe('conflict');
    });

    it('reorders attributes, and refuses an order that does not list each exactly once', async () => {
      const [a, b, c] = [await create(entity, 'A', 'text', 'a'), await create(entity, 'B', 'text', 'b'), await create(entity, 'C', 'text', 'c')];
      await call(t, 'attribute.reorder', { owner: entity, attributeIds: [c.id, a.id, b.id] });
      expect((await list(entity)).map((x) => x.name)).toEqual(['C', 'A', 'B']);
      for (const attributeIds of [[c.id, a.id], [c.id, a.id, b.id, b.id], [c.id, a.id, 9999]]) {
        expect((await callFails(t, 'attribute.reorder', { owner: entity, attributeIds })).code, JSON.stringify(attributeIds)).toBe('invalid_argument');
      }
      // Deleted attributes are not part of the order.
      await call(t, 'attribute.delete', { owner: entity, attributeId: a.id });
      await call(t, 'attribute.reorder', { owner: entity, attributeIds: [b.id, c.id] });
      expect((await list(entity)).map((x) => x.name)).toEqual(['B', 'C']);
      expect((await list(location)).length).toBe(0);
    });

    it('works the same on locations, kept apart from entity attributes', async () => {
      const paint = await create(location, 'Wall paint', 'text', 'Swiss coffee');
      const count = await create(location, 'Rooms', 'integer', '7');
      expect((await createFails(location, 'Rooms', 'integer', 'seven')).code).toBe('invalid_argument');
      expect(countRows(t, 'location_attribute')).toBe(2);
      expect(countRows(t, 'entity_attribute')).toBe(0);
      expect(await list(entity)).toEqual([]);
      t.clock.advance(1_000);
      await call(t, 'attribute.update', { owner: location, attributeId: paint.id, value: 'Chantilly lace' });
      const history = await call(t, 'attribute.history.get', { owner: location, attributeId: paint.id });
      expect(history.map((h) => h.value)).toEqual(['Swiss coffee']);
      expect(countRows(t, 'location_attribute_history')).toBe(1);
      await call(t, 'attribute.history.restore', { owner: location, historyId: history[0]!.id });
      expect((await list(location)).find((a) => a.id === paint.id)!.value).toBe('Swiss coffee');
      await call(t, 'attribute.delete', { owner: location, attributeId: count.id });
      expect((await list(location)).map((a) => a.id)).toEqual([paint.id]);
      expect((await list(location, true)).map((a) => a.id)).toEqual([count.id]);
      // Addressing a location attribute as the entity's is not found.
      expect((await callFails(t, 'attribute.update', { owner: entity, attributeId: paint.id, value: 'x' })).code).toBe('not_found');
      expect((await callFails(t, 'attribute.list', { owner: { kind: 'location', id: 9999 } })).code).toBe('not_found');
      expect((await callFails(t, 'attribute.create', { owner: { kind: 'entity', id: 9999 }, name: 'x', valueType: 'text', value: 'y' })).code).toBe('not_found');
    });
  });

  describe('files', () => {
    const attach = async (owner: AttributeOwner, fileName: string, data: Buffer, chunkBytes?: number): Promise<AttributeView> =>
      create(owner, 'Document', 'file', undefined, { uploadId: await uploadBuffer(t, fileName, data, { chunkBytes }) });

    it('stores an uploaded PNG under <data>/files with a thumbnail', async () => {
      const png = await pngFixture(640, 480);
      const photo = await attach(entity, 'dishwasher.png', png, 1_000);
      expect(photo.value).toBe('dishwasher.png');
      expect(photo.file).toMatchObject({ originalName: 'dishwasher.png', mimeType: 'image/png', size: png.length });
      expect(photo.file!.url).toMatch(new RegExp(`^data/${FILES_DIR}/[0-9a-f]{24}\\.png$`));
      expect(readFileSync(storedFile(photo.file!.url)).equals(png)).toBe(true);
      expect(photo.file!.thumbnailUrl).toMatch(new RegExp(`^data/${FILES_DIR}/${THUMBNAILS_DIR}/[0-9a-f]{24}\\.webp$`));
      const thumbnail = await sharp(storedFile(photo.file!.thumbnailUrl!)).metadata();
      expect(thumbnail).toMatchObject({ format: 'webp', width: 320, height: 240 });
      expect(stored(entity, photo.id)).toMatchObject({ file_mime_type: 'image/png', file_name: path.basename(photo.file!.url) });
      // The temp upload is gone.
      expect(readdirSync(path.join(t.dataDir, 'uploads'))).toEqual([]);
    });

    it('stores a PDF as application/pdf without a thumbnail, whatever its name says', async () => {
      const pdf = pdfFixture();
      const manual = await attach(entity, 'manual.png', pdf);
      expect(manual.file).toMatchObject({ mimeType: 'application/pdf', size: pdf.length, thumbnailUrl: null, originalName: 'manual.png' });
      expect(manual.file!.url).toMatch(/\.pdf$/);
      expect(readFileSync(storedFile(manual.file!.url)).equals(pdf)).toBe(true);
      expect(readdirSync(path.join(t.dataDir, FILES_DIR, THUMBNAILS_DIR))).toEqual([]);
    });

    it('stores plain text as text/plain', async () => {
      const text = await attach(location, 'paint.txt', Buffer.from('Living room: Swiss coffee, eggshell\n'));
      expect(text.file).toMatchObject({ mimeType: 'text/plain', thumbnailUrl: null });
      expect(text.file!.url).toMatch(/\.txt$/);
    });

    it('sanitises an SVG attachment', async () => {
      const drawing = await attach(entity, 'wiring.svg', Buffer.from(HOSTILE_PLAN));
      expect(drawing.file!.mimeType).toBe('image/svg+xml');
      const content = readFileSync(storedFile(drawing.file!.url), 'utf8');
      expect(content).not.toMatch(/<script|onload|onclick|javascript:|alert/i);
      expect(content).toContain('<circle');
      const broken = await createFails(entity, 'Drawing', 'file', undefined, {
        uploadId: await uploadBuffer(t, 'broken.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g></svg>')),
      });
      expect(broken.code).toBe('invalid_argument');
      expect(broken.message).toContain('broken.svg');
    });

    it('refuses a file announced bigger than the limit at begin', async () => {
      const error = await callFails(t, 'file.upload.begin', { fileName: 'video.mov', size: MAX_UPLOAD_BYTES + 1 });
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toContain('video.mov');
      expect(error.message).toMatch(/at most 50\.0 MB/);
      expect(readdirSync(path.join(t.dataDir, 'uploads'))).toEqual([]);
      expect((await call(t, 'file.upload.begin', { fileName: 'ok.pdf', size: MAX_UPLOAD_BYTES })).uploadId).toMatch(/^[0-9a-f]{32}$/);
    });

    it('refuses an empty file at begin, with a message', async () => {
      // Regression: a 0-byte upload was accepted and kept as an empty text file.
      const error = await callFails(t, 'file.upload.begin', { fileName: 'manual.pdf', size: 0 });
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toBe('manual.pdf is empty (0 bytes); choose a file that has something in it.');
      expect(readdirSync(path.join(t.dataDir, 'uploads'))).toEqual([]);
    });

    it('refuses a chunk at the wrong offset, and a chunk past the announced size', async () => {
      const data = pdfFixture();
      const { uploadId } = await call(t, 'file.upload.begin', { fileName: 'manual.pdf', size: data.length });
      const chunk = (offset: number, piece: Buffer) => t.invoke('file.upload.chunk', { uploadId, offset, data: piece.toString('base64') });
      expect(await chunk(0, data.subarray(0, 100))).toEqual({ ok: true, value: { received: 100 } });
      for (const offset of [0, 50, 101]) {
        const error = await callFails(t, 'file.upload.chunk', { uploadId, offset, data: data.subarray(offset, offset + 10).toString('base64') });
        expect(error.code, `offset ${offset}`).toBe('invalid_argument');
        expect(error.message).toMatch(/does not follow the 100 bytes/);
      }
      // The upload goes on from where it really is.
      expect(await chunk(100, data.subarray(100))).toEqual({ ok: true, value: { received: data.length } });
      const manual = await create(entity, 'Manual', 'file', undefined, { uploadId });
      expect(readFileSync(storedFile(manual.file!.url)).equals(data)).toBe(true);

      const small = await call(t, 'file.upload.begin', { fileName: 'small.txt', size: 4 });
      const over = await callFails(t, 'file.upload.chunk', { uploadId: small.uploadId, offset: 0, data: Buffer.from('hello').toString('base64') });
      expect(over.code).toBe('invalid_argument');
      expect(over.message).toContain('small.txt');
      expect((await callFails(t, 'file.upload.chunk', { uploadId: small.uploadId, offset: 0, data: 'aGk=' })).code).toBe('not_found');
    });

    it('refuses to finish an incomplete upload, naming the file', async () => {
      const data = pdfFixture();
      const uploadId = await uploadBuffer(t, 'warranty.pdf', data, { stopAfter: 200 });
      const error = await createFails(entity, 'Warranty', 'file', undefined, { uploadId });
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toContain('warranty.pdf');
      expect(error.message).toContain(`200 of ${data.length} bytes`);
      expect(countRows(t, 'entity_attribute')).toBe(0);
      expect(storedFiles()).toEqual([]);
    });

    it('refuses a binary file that is not a PDF, an image or text', async () => {
      const blob = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x10]);
      const error = await createFails(entity, 'Firmware', 'file', undefined, { uploadId: await uploadBuffer(t, 'firmware.bin', blob) });
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toBe('firmware.bin is not a PDF, an image or a text file.');
      expect(countRows(t, 'entity_attribute')).toBe(0);
      expect(storedFiles()).toEqual([]);
    });

    it('answers not_found for an unknown or already used upload, and asks for a file when there is none', async () => {
      expect((await createFails(entity, 'Manual', 'file', undefined, { uploadId: 'no-such-upload' })).code).toBe('not_found');
      expect((await callFails(t, 'file.upload.chunk', { uploadId: 'no-such-upload', offset: 0, data: 'aGk=' })).code).toBe('not_found');
      const uploadId = await uploadBuffer(t, 'manual.pdf', pdfFixture());
      await create(entity, 'Manual', 'file', undefined, { uploadId });
      expect((await createFails(entity, 'Manual again', 'file', undefined, { uploadId })).code).toBe('not_found');
      const none = await createFails(entity, 'Manual', 'file');
      expect(none.code).toBe('invalid_argument');
      expect(none.message).toMatch(/Choose a file/);
    });

    it('replaces a file, keeps the old one in history, and restores it with its thumbnail', async () => {
      const png = await pngFixture();
      const photo = await attach(entity, 'front.png', png);
      const firstUrl = photo.file!.url;
      const firstThumbnail = photo.file!.thumbnailUrl;
      expect(firstThumbnail).not.toBeNull();

      t.clock.advance(1_000);
      const pdf = pdfFixture('Receipt');
      const replaced = await call(t, 'attribute.update', { owner: entity, attributeId: photo.id, uploadId: await uploadBuffer(t, 'receipt.pdf', pdf) });
      expect(replaced).toMatchObject({ value: 'receipt.pdf', file: { mimeType: 'application/pdf', thumbnailUrl: null, size: pdf.length } });
      expect(existsSync(storedFile(firstUrl))).toBe(true);

      const history = await call(t, 'attribute.history.get', { owner: entity, attributeId: photo.id });
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ value: 'front.png', file: { url: firstUrl, mimeType: 'image/png', size: png.length, originalName: 'front.png' } });

      t.clock.advance(1_000);
      const restored = await call(t, 'attribute.history.restore', { owner: entity, historyId: history[0]!.id });
      expect(restored).toMatchObject({ value: 'front.png', file: { url: firstUrl, mimeType: 'image/png', size: png.length, thumbnailUrl: firstThumbnail } });
      expect(stored(entity, photo.id)).toMatchObject({ file_name: path.basename(firstUrl), file_mime_type: 'image/png' });
      const after = await call(t, 'attribute.history.get', { owner: entity, attributeId: photo.id });
      expect(after.map((h) => [h.value, h.file?.mimeType])).toEqual([
        ['receipt.pdf', 'application/pdf'],
        ['front.png', 'image/png'],
      ]);
    });

    it('attaches files to locations too', async () => {
      const plan = await attach(location, 'survey.pdf', pdfFixture('Survey'));
      expect(plan.file!.mimeType).toBe('application/pdf');
      expect(stored(location, plan.id)).toMatchObject({ value_type_str: 'file', file_mime_type: 'application/pdf' });
      expect(countRows(t, 'entity_attribute')).toBe(0);
    });
  });
});
