import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { IpcError } from '../../../src-shared/ipc/errors';
import { MAX_UPLOAD_BYTES } from '../../../src-shared/model/attribute';
import { createLogger } from '../../util/log';
import type { CpuWork } from '../../workers/cpu-workers';
import { SvgRejectedError } from '../location/svg-sanitizer';

const log = createLogger('files');

export const FILES_DIR = 'files';
export const THUMBNAILS_DIR = 'thumbnails';
export const UPLOADS_DIR = 'uploads';
const MAX_OPEN_UPLOADS = 20;
const UPLOAD_TTL_MS = 30 * 60_000;
const THUMBNAIL_PX = 320;

interface Upload {
  id: string;
  /** The panel that began it: its uploads go when it goes. */
  panelId: string;
  originalName: string;
  size: number;
  received: number;
  tempFile: string;
}

export interface StoredFile {
  fileName: string;
  originalName: string;
  mimeType: string;
  size: number;
  thumbnailName: string | null;
}

interface FileKind {
  mimeType: string;
  extension: string;
}

const startsWith = (data: Buffer, bytes: number[], offset = 0) => bytes.every((b, i) => data[offset + i] === b);

/** What a file really is, from its first bytes; the name and the browser's claim are not trusted. */
export function detectFileKind(data: Buffer): FileKind | null {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { mimeType: 'application/pdf', extension: 'pdf' };
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mimeType: 'image/png', extension: 'png' };
  if (startsWith(data, [0xff, 0xd8, 0xff])) return { mimeType: 'image/jpeg', extension: 'jpg' };
  if (startsWith(data, [0x47, 0x49, 0x46, 0x38])) return { mimeType: 'image/gif', extension: 'gif' };
  if (startsWith(data, [0x52, 0x49, 0x46, 0x46]) && startsWith(data, [0x57, 0x45, 0x42, 0x50], 8)) return { mimeType: 'image/webp', extension: 'webp' };
  if (data.includes(0)) return null;
  const text = data.toString('utf8');
  if (text.includes('\uFFFD')) return null;
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) return { mimeType: 'image/svg+xml', extension: 'svg' };
  return { mimeType: 'text/plain', extension: 'txt' };
}

/**
 * Receives uploads in chunks into <data>/uploads, checks what they are, and keeps accepted files under
 * <data>/files with a thumbnail for images. Unfinished uploads expire; their temp files are removed.
 */
export class FileStore {
  private readonly uploads = new LRUCache<string, Upload>({
    max: MAX_OPEN_UPLOADS,
    ttl: UPLOAD_TTL_MS,
    // An upload whose panel vanished without a word still leaves no partial file for long.
    ttlAutopurge: true,
    dispose: (upload) => rmSync(upload.tempFile, { force: true }),
  });

  constructor(
    private readonly dataDir: string,
    private readonly cpu: CpuWork,
  ) {}

  start(): void {
    // Leftovers of a crash mid-upload.
    rmSync(this.dir(UPLOADS_DIR), { recursive: true, force: true });
    for (const dir of [UPLOADS_DIR, FILES_DIR, path.join(FILES_DIR, THUMBNAILS_DIR)]) mkdirSync(this.dir(dir), { recursive: true });
  }

  stop(): void {
    this.uploads.clear();
  }

  begin(originalName: string, size: number, panelId: string): { uploadId: string } {
    if (size === 0) throw IpcError.invalidArgument(`${originalName} is empty (0 bytes); choose a file that has something in it.`);
    if (size > MAX_UPLOAD_BYTES) {
      throw IpcError.invalidArgument(`${originalName} is ${formatMegabytes(size)}; files can be at most ${formatMegabytes(MAX_UPLOAD_BYTES)}.`);
    }
    const id = randomBytes(16).toString('hex');
    const tempFile = path.join(this.dir(UPLOADS_DIR), id);
    writeFileSync(tempFile, Buffer.alloc(0));
    this.uploads.set(id, { id, originalName, size, received: 0, tempFile, panelId });
    return { uploadId: id };
  }

  /** Drops an unfinished upload and what arrived of it; one already gone (finished, expired, cancelled) is left be. */
  cancel(uploadId: string): void {
    this.uploads.delete(uploadId);
  }

  /** A panel went away: nobody will finish its uploads. */
  panelClosed(panelId: string): void {
    const abandoned = [...this.uploads.values()].filter((upload) => upload.panelId === panelId);
    for (const upload of abandoned) this.uploads.delete(upload.id);
  }

  chunk(uploadId: string, offset: number, base64: string): { received: number } {
    const upload = this.requireUpload(uploadId);
    if (offset !== upload.received) {
      throw IpcError.invalidArgument(`Chunk at byte ${offset} does not follow the ${upload.received} bytes received so far.`);
    }
    const data = Buffer.from(base64, 'base64');
    if (upload.received + data.length > upload.size) {
      this.uploads.delete(uploadId);
      throw IpcError.invalidArgument(`${upload.originalName} is larger than the ${upload.size} bytes announced; the upload was cancelled.`);
    }
    appendFileSync(upload.tempFile, data);
    upload.received += data.length;
    return { received: upload.received };
  }

  /**
   * Completes an upload as an attachment: checked, renamed to a random name, thumbnailed when it is an image. The
   * sanitising and the thumbnail run on a worker thread.
   */
  async finish(uploadId: string): Promise<StoredFile> {
    const { upload, data } = this.complete(uploadId);
    const kind = detectFileKind(data);
    if (!kind) throw IpcError.invalidArgument(`${upload.originalName} is not a PDF, an image or a text file.`);
    let content = data;
    if (kind.mimeType === 'image/svg+xml') {
      try {
        // The upload's bytes move to the worker; only the clean copy comes back.
        content = (await this.cpu.sanitizeSvg(data)).svg;
      } catch (error) {
        if (error instanceof SvgRejectedError) throw IpcError.invalidArgument(`${upload.originalName}: ${error.message}`);
        throw error;
      }
    }
    const fileName = `${randomBytes(12).toString('hex')}.${kind.extension}`;
    writeFileSync(this.dir(FILES_DIR, fileName), content, { mode: 0o644 });
    const thumbnailName = kind.mimeType.startsWith('image/') ? await this.thumbnail(fileName) : null;
    return { fileName, originalName: upload.originalName, mimeType: kind.mimeType, size: content.length, thumbnailName };
  }

  /** Completes an upload that is read as text by its consumer (a floor plan) and not kept as a file. */
  takeText(uploadId: string): { originalName: string; text: string } {
    const { upload, data } = this.complete(uploadId);
    return { originalName: upload.originalName, text: data.toString('utf8') };
  }

  /** The thumbnail made for a stored file, if there is one. */
  thumbnailOf(fileName: string): string | null {
    const name = thumbnailNameOf(fileName);
    return existsSync(this.dir(FILES_DIR, THUMBNAILS_DIR, name)) ? name : null;
  }

  private complete(uploadId: string): { upload: Upload; data: Buffer } {
    const upload = this.requireUpload(uploadId);
    if (upload.received !== upload.size) {
      throw IpcError.invalidArgument(`${upload.originalName} arrived incomplete (${upload.received} of ${upload.size} bytes); please upload it again.`);
    }
    const data = readFileSync(upload.tempFile);
    this.uploads.delete(uploadId);
    return { upload, data };
  }

  private async thumbnail(fileName: string): Promise<string | null> {
    const thumbnailName = thumbnailNameOf(fileName);
    const target = this.dir(FILES_DIR, THUMBNAILS_DIR, thumbnailName);
    try {
      await this.cpu.thumbnail(this.dir(FILES_DIR, fileName), `${target}.partial`, THUMBNAIL_PX);
      renameSync(`${target}.partial`, target);
      return thumbnailName;
    } catch (error) {
      // A picture the decoder cannot read is still kept; it just has no thumbnail.
      log.warn(`No thumbnail for ${fileName}`, error);
      rmSync(`${target}.partial`, { force: true });
      return null;
    }
  }

  private requireUpload(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload || !existsSync(upload.tempFile) || statSync(upload.tempFile).size !== upload.received) {
      throw IpcError.notFound('That upload has expired or was cancelled; please start it again.');
    }
    return upload;
  }

  private dir(...parts: string[]): string {
    return path.join(this.dataDir, ...parts);
  }
}

function thumbnailNameOf(fileName: string): string {
  return `${path.parse(fileName).name}.webp`;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
