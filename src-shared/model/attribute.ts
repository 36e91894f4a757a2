import { z } from 'zod';

export const attributeOwnerSchema = z.object({ kind: z.enum(['entity', 'location']), id: z.number().int().positive() }).strict();
export type AttributeOwner = z.infer<typeof attributeOwnerSchema>;

export const storedFileSchema = z.object({
  /** URL path below the data root, served by both hosts. */
  url: z.string(),
  originalName: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  thumbnailUrl: z.string().nullable(),
});
export type StoredFileView = z.infer<typeof storedFileSchema>;

export const attributeViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  valueType: z.string(),
  /** Null for secrets: they never reach a panel. NOTE values are sanitised HTML. */
  value: z.string().nullable(),
  hasValue: z.boolean(),
  choices: z.array(z.string()).nullable(),
  file: storedFileSchema.nullable(),
  order: z.number().int(),
  updatedAt: z.number(),
  deletedAt: z.number().nullable(),
});
export type AttributeView = z.infer<typeof attributeViewSchema>;

export const attributeHistoryEntrySchema = z.object({
  id: z.number().int(),
  value: z.string().nullable(),
  file: storedFileSchema.nullable(),
  changedAt: z.number(),
});
export type AttributeHistoryEntry = z.infer<typeof attributeHistoryEntrySchema>;

/** Uploads travel in chunks over the IPC contract, so that the kiosk window and browser panels upload alike. */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
