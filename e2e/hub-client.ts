import WebSocket from 'ws';
import type { RequestArg, RequestName, RequestResult } from '../src-shared/ipc/contract';
import type { ServerMessage } from '../src-shared/ipc/wire';

const CALL_TIMEOUT_MS = 15_000;

/** The IPC contract over the panel server's WebSocket, for setting a hub up from a test as another panel would. */
export class HubClient {
  private nextId = 1;
  private readonly pending = new Map<number, (message: ServerMessage) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.t === 'res' && message.id !== null) this.pending.get(message.id)?.(message);
    });
  }

  static connect(url: string): Promise<HubClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url.replace('http:', 'ws:')}/ws`);
      socket.once('open', () => resolve(new HubClient(socket)));
      socket.once('error', reject);
    });
  }

  call<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<RequestResult<N>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name} timed out`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (message.t === 'res' && message.ok) resolve(message.value as RequestResult<N>);
        else reject(new Error(`${name}: ${message.t === 'res' && !message.ok ? message.error.message : 'bad answer'}`));
      });
      this.socket.send(JSON.stringify({ t: 'req', id, name, arg }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
