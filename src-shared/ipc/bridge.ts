import type { IpcResponse } from './errors';
import type { EventName, EventPayload, RequestArg, RequestName, RequestResult } from './contract';

/**
 * What `window.hi` is, in Electron (exposed by the preload) and in a browser panel (the WebSocket client):
 * requests answer with an envelope, because errors thrown across contextBridge lose their fields.
 */
export interface HiTransport {
  invoke<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<IpcResponse<RequestResult<N>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}
