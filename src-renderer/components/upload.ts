import type { Bridge } from '../bridge';

/** btoa takes a string of byte-valued characters; build it in slices to stay clear of argument-count limits. */
function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  const SLICE = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return btoa(binary);
}

/**
 * Uploads a file over the IPC contract in the hub's chunk size (the kiosk window and browser panels alike) and
 * resolves with the upload id that a later request (a background, an attachment) refers to.
 */
export async function uploadFile(bridge: Bridge, file: File, onProgress?: (sentBytes: number, totalBytes: number) => void): Promise<string> {
  const { uploadId, chunkBytes } = await bridge.invoke('file.upload.begin', { fileName: file.name, size: file.size });
  if (!(chunkBytes > 0)) throw new Error('The hub offered no chunk size for the upload.');
  onProgress?.(0, file.size);
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    const data = toBase64(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    await bridge.invoke('file.upload.chunk', { uploadId, offset, data });
    onProgress?.(Math.min(offset + chunkBytes, file.size), file.size);
  }
  return uploadId;
}
