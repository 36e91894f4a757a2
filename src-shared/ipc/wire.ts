import { z } from 'zod';
import { ipcErrorSchema } from './errors';

/** The WebSocket framing of the IPC contract between a browser panel and the panel server. */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('req'), id: z.number().int().nonnegative(), name: z.string(), arg: z.unknown() }),
  z.object({ t: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { t: 'res'; id: number | null; ok: true; value: unknown }
  | { t: 'res'; id: number | null; ok: false; error: z.infer<typeof ipcErrorSchema> }
  | { t: 'evt'; name: string; payload: unknown }
  | { t: 'pong' };

export { PANEL_SOCKET_PATH } from './panel-socket';
/** Largest message either side accepts; bigger payloads (files) travel over plain HTTP. */
export const MAX_SOCKET_MESSAGE_BYTES = 1024 * 1024;
export const PAIRING_COOKIE = 'hi_pair';
