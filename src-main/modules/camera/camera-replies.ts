// The two hosts' answers as a CameraReply: the panel server writes to a ServerResponse, the kiosk's app:// protocol
// returns a web Response whose body is a stream.
import type { ServerResponse } from 'node:http';
import type { CameraReply } from './camera-stream-proxy';

/** A reply on the panel server's response; a HEAD gets the headers only. */
export function serverResponseReply(res: ServerResponse, headOnly = false): CameraReply {
  let closed = false;
  res.once('close', () => (closed = true));
  return {
    get gone() {
      return closed || res.destroyed;
    },
    send(status, headers, body) {
      res.writeHead(status, headers);
      res.end(headOnly ? undefined : body);
    },
    begin(headers) {
      res.writeHead(200, headers);
      if (headOnly) res.end();
      // Each frame goes out as it comes; no Nagle delay on a live picture.
      res.socket?.setNoDelay(true);
    },
    write(bytes) {
      if (!headOnly && !res.writableEnded) res.write(bytes);
    },
    end() {
      if (!res.writableEnded) res.end();
    },
    backlog: () => res.writableLength,
    onGone(listener) {
      if (closed || res.destroyed) queueMicrotask(listener);
      else res.once('close', listener);
    },
  };
}

/** A reply as a web Response (the kiosk's protocol handler); `response` resolves once the answer has started. */
export function webResponseReply(extraHeaders: Record<string, string>, headOnly = false): { reply: CameraReply; response: Promise<Response> } {
  let resolveResponse!: (response: Response) => void;
  const response = new Promise<Response>((resolve) => (resolveResponse = resolve));
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let gone = false;
  const goneListeners: (() => void)[] = [];
  const markGone = () => {
    if (gone) return;
    gone = true;
    for (const listener of goneListeners.splice(0)) listener();
  };
  const reply: CameraReply = {
    get gone() {
      return gone;
    },
    send(status, headers, body) {
      resolveResponse(new Response(headOnly ? null : body, { status, headers: { ...extraHeaders, ...headers } }));
      markGone();
    },
    begin(headers) {
      if (headOnly) {
        resolveResponse(new Response(null, { status: 200, headers: { ...extraHeaders, ...headers } }));
        markGone();
        return;
      }
      // Counted in bytes with no high-water mark: desiredSize is then minus the bytes not yet read.
      const body = new ReadableStream<Uint8Array>(
        {
          start: (c) => {
            controller = c;
          },
          cancel: markGone,
        },
        new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
      );
      resolveResponse(new Response(body, { status: 200, headers: { ...extraHeaders, ...headers } }));
    },
    write(bytes) {
      if (!gone && controller) controller.enqueue(bytes);
    },
    end() {
      if (!gone && controller) controller.close();
      markGone();
    },
    backlog: () => (controller ? Math.max(0, -(controller.desiredSize ?? 0)) : 0),
    onGone(listener) {
      if (gone) queueMicrotask(listener);
      else goneListeners.push(listener);
    },
  };
  return { reply, response };
}
