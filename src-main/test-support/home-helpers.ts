import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { RequestArg, RequestName, RequestResult } from '../../src-shared/ipc/contract';
import type { IpcErrorData, IpcResponse } from '../../src-shared/ipc/errors';
import type { LocationSummary, PlacedEntity } from '../../src-shared/model/location';
import type { PanelSession } from '../ipc/panel-sessions';
import { FILES_DIR, THUMBNAILS_DIR, UPLOADS_DIR } from '../modules/attribute/file-store';
import type { TestHub } from './test-hub';

/** The value of a successful envelope; a failure throws with the hub's code and message. */
export function unwrap<T>(response: IpcResponse<unknown>, what = 'request'): T {
  if (!response.ok) throw new Error(`${what} failed: ${response.error.code}: ${response.error.message}`);
  return response.value as T;
}

/** The error of a failed envelope; a success throws. */
export function failure(response: IpcResponse<unknown>, what = 'request'): IpcErrorData {
  if (response.ok) throw new Error(`${what} succeeded but was expected to fail: ${JSON.stringify(response.value)}`);
  return response.error;
}

/** A typed call through the router that must succeed. */
export async function call<N extends RequestName>(t: TestHub, name: N, arg: RequestArg<N>, panel?: PanelSession): Promise<RequestResult<N>> {
  return unwrap<RequestResult<N>>(await t.invoke(name, arg, panel), name);
}

/** A call through the router that must fail; answers its error. */
export async function callFails(t: TestHub, name: string, arg: unknown, panel?: PanelSession): Promise<IpcErrorData> {
  return failure(await t.invoke(name, arg, panel), name);
}

/** Rows of a table, optionally filtered by one column, straight from SQLite. */
export function rows<T = Record<string, unknown>>(t: TestHub, table: string, where?: Record<string, number | string | null>): T[] {
  const entries = Object.entries(where ?? {});
  const clause = entries.length === 0 ? '' : ` where ${entries.map(([column, value]) => (value === null ? `${column} is null` : `${column} = ?`)).join(' and ')}`;
  const params = entries.map(([, value]) => value).filter((value) => value !== null);
  return t.hub.store.sqlite.prepare(`select * from ${table}${clause} order by id`).all(...params) as T[];
}

export function countRows(t: TestHub, table: string, where?: Record<string, number | string | null>): number {
  return rows(t, table, where).length;
}

const MAX_CHUNKS = 1_000;

/**
 * Uploads a buffer through the real chunked protocol (file.upload.begin, then file.upload.chunk at each offset) and
 * answers the upload id. `announce` overrides the size told to begin; `chunkBytes` the size of each chunk.
 */
export async function uploadBuffer(
  t: TestHub,
  fileName: string,
  data: Buffer,
  options: { chunkBytes?: number; announce?: number; stopAfter?: number } = {},
): Promise<string> {
  const begun = await call(t, 'file.upload.begin', { fileName, size: options.announce ?? data.length });
  const chunkBytes = Math.min(options.chunkBytes ?? begun.chunkBytes, begun.chunkBytes);
  const end = Math.min(options.stopAfter ?? data.length, data.length);
  let offset = 0;
  for (let i = 0; offset < end && i < MAX_CHUNKS; i += 1) {
    const piece = data.subarray(offset, Math.min(offset + chunkBytes, end));
    const answer = await call(t, 'file.upload.chunk', { uploadId: begun.uploadId, offset, data: piece.toString('base64') });
    offset += piece.length;
    if (answer.received !== offset) throw new Error(`hub received ${answer.received} bytes, sent ${offset}`);
  }
  if (offset !== end) throw new Error(`upload of ${fileName} did not finish in ${MAX_CHUNKS} chunks`);
  return begun.uploadId;
}

/** A real PNG, drawn by sharp: a two-colour picture of the given size. */
export async function pngFixture(width = 64, height = 48): Promise<Buffer> {
  const half = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i += 1) {
    const left = i % width < width / 2;
    half[i * 3] = left ? 200 : 20;
    half[i * 3 + 1] = 80;
    half[i * 3 + 2] = left ? 20 : 200;
  }
  return sharp(half, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** A minimal valid one-page PDF, written by hand with a correct cross-reference table. */
export function pdfFixture(text = 'Dishwasher manual'): Buffer {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 18 Tf 20 50 Td (${escaped}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A small, clean floor plan. */
export const PLAIN_PLAN = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300">
  <rect id="hall" x="10" y="10" width="380" height="280" fill="#f4f1ea" stroke="#333"/>
  <text x="40" y="40">Hall</text>
</svg>
`;

/** A floor plan with a script, event handlers and a javascript: link. */
export const HOSTILE_PLAN = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500 250" onload="alert(1)">
  <script type="text/javascript">alert(document.cookie)</script>
  <rect x="0" y="0" width="500" height="250" fill="#eee" onclick="steal()"/>
  <a href="javascript:alert(2)"><circle cx="50" cy="50" r="10"/></a>
</svg>
`;

/** Uploads begun and not finished, as the hub keeps them on disk. */
export const unfinishedUploads = (t: TestHub): string[] => readdirSync(path.join(t.dataDir, UPLOADS_DIR));

/** Files the hub stores for attachments and plans, thumbnails aside. */
export const storedFiles = (t: TestHub): string[] => readdirSync(path.join(t.dataDir, FILES_DIR)).filter((name) => name !== THUMBNAILS_DIR);

/** Edit mode on, one location, and a refrigerator and a washer on its first view. */
export async function homeWithTwoAppliances(t: TestHub): Promise<{ home: LocationSummary; viewId: number; fridge: PlacedEntity; washer: PlacedEntity }> {
  await call(t, 'edit.begin', {});
  const home = await call(t, 'location.create', { name: 'Home' });
  const viewId = home.views[0]!.id;
  const fridge = await call(t, 'entity.create', { name: 'Refrigerator', type: 'refrigerator', locationViewId: viewId });
  const washer = await call(t, 'entity.create', { name: 'Washer', type: 'clothes_washer', locationViewId: viewId });
  return { home, viewId, fridge, washer };
}
