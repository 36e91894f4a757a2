import { UPLOAD_CHUNK_BYTES } from '../../src-shared/model/attribute';
import type { Bridge } from '../bridge';

// String.fromCharCode takes its bytes as arguments; this many stay well below the engines' argument limits.
const BYTES_PER_CALL = 0x8000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += BYTES_PER_CALL) {
    binary += String.fromCharCode(...bytes.subarray(i, i + BYTES_PER_CALL));
  }
  return btoa(binary);
}

/**
 * Sends a file to the hub over the IPC contract in chunks, so the kiosk window and browser panels upload alike.
 * Resolves with the upload id that a request such as `attribute.create` then turns into a stored file.
 */
export async function uploadFile(
  bridge: Bridge,
  file: File,
  onProgress?: (sentBytes: number, totalBytes: number) => void,
): Promise<string> {
  const { uploadId, chunkBytes } = await bridge.invoke('file.upload.begin', { fileName: file.name, size: file.size });
  const step = Math.max(1, Math.min(chunkBytes, UPLOAD_CHUNK_BYTES));
  onProgress?.(0, file.size);
  for (let offset = 0; offset < file.size; offset += step) {
    const bytes = new Uint8Array(await file.slice(offset, offset + step).arrayBuffer());
    await bridge.invoke('file.upload.chunk', { uploadId, offset, data: toBase64(bytes) });
    onProgress?.(offset + bytes.length, file.size);
  }
  return uploadId;
}
