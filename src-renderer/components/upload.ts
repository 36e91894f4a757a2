import { useEffect, useRef, useState } from 'preact/hooks';
import type { Bridge } from '../bridge';

/** The person stopped the upload; the hub has been told to drop what it received. */
export class UploadCancelledError extends Error {
  constructor() {
    super('Upload cancelled.');
    this.name = 'UploadCancelledError';
  }
}

export interface UploadOptions {
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Aborting it stops the upload after the chunk in flight and throws UploadCancelledError. */
  signal?: AbortSignal;
}

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
 * resolves with the upload id that a later request (a background, an attachment) refers to. An upload that is
 * cancelled or fails part-way is dropped by the hub, so nothing half-sent is left behind.
 */
export async function uploadFile(bridge: Bridge, file: File, { onProgress, signal }: UploadOptions = {}): Promise<string> {
  if (signal?.aborted) throw new UploadCancelledError();
  const { uploadId, chunkBytes } = await bridge.invoke('file.upload.begin', { fileName: file.name, size: file.size });
  if (!(chunkBytes > 0)) throw new Error('The hub offered no chunk size for the upload.');
  try {
    onProgress?.(0, file.size);
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      if (signal?.aborted) throw new UploadCancelledError();
      const data = toBase64(await file.slice(offset, offset + chunkBytes).arrayBuffer());
      await bridge.invoke('file.upload.chunk', { uploadId, offset, data });
      onProgress?.(Math.min(offset + chunkBytes, file.size), file.size);
    }
    if (signal?.aborted) throw new UploadCancelledError();
  } catch (error) {
    // When even this fails (the connection is gone), the hub drops the upload as the panel disconnects.
    await bridge.invoke('file.upload.cancel', { uploadId }).catch(() => undefined);
    throw error;
  }
  return uploadId;
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * An upload that shows how far it got and can be cancelled: `progress` is null when none is running, and clears
 * however it ends. Leaving the screen cancels a running upload.
 */
export function useCancellableUpload(bridge: Bridge) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const upload = async (file: File): Promise<string> => {
    const own = new AbortController();
    controller.current = own;
    try {
      return await uploadFile(bridge, file, { signal: own.signal, onProgress: (sent, total) => setProgress({ sent, total }) });
    } finally {
      if (controller.current === own) controller.current = null;
      setProgress(null);
    }
  };
  const cancel = () => controller.current?.abort();
  return { progress, upload, cancel };
}
