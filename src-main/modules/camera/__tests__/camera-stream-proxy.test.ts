import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cameraPath, MAX_STREAMS_PER_PANEL } from '../../../../src-shared/mjpeg/camera-paths';
import { boundaryFromContentType, MultipartJpegParser } from '../../../../src-shared/mjpeg/multipart-parser';
import { HOME_ASSISTANT_KEY } from '../../../integrations/home_assistant/gateway';
import { HaSimulator } from '../../../simulator/ha-simulator';
import { call } from '../../../test-support/home-helpers';
import { serveTestHub, type ServedHub } from '../../../test-support/served-hub';
import type { CameraReply } from '../camera-stream-proxy';

const TOKEN = 'camera-proxy-secret-token-4711';
const CAMERA = 'camera.front_door';
const WAIT_MS = 8_000;

/** Polls every 20 ms, at most WAIT_MS: the hub talks to a real server here. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > WAIT_MS) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

interface Viewing {
  status: number;
  headers: Headers;
  frames: Uint8Array[];
  /** Every byte the panel received, to search for secrets. */
  text(): string;
  /** Reads until `count` frames have come or the stream ends. */
  readFrames(count: number): Promise<'enough' | 'ended'>;
  leftover(): number;
  close(): void;
}

async function view(url: string): Promise<Viewing> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  const parser = boundary ? new MultipartJpegParser({ boundary }) : null;
  const frames: Uint8Array[] = [];
  const received: Uint8Array[] = [];
  const reader = response.body!.getReader();
  return {
    status: response.status,
    headers: response.headers,
    frames,
    text: () => Buffer.concat(received).toString('latin1'),
    async readFrames(count) {
      const deadline = AbortSignal.timeout(WAIT_MS);
      while (frames.length < count) {
        if (deadline.aborted) throw new Error(`only ${frames.length} of ${count} frames came`);
        const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (done) return 'ended';
        received.push(value);
        if (parser) frames.push(...parser.push(value));
      }
      return 'enough';
    },
    leftover: () => parser?.bufferedBytes ?? 0,
    close: () => controller.abort(),
  };
}

describe('the camera stream proxy, against the Home Assistant simulator', () => {
  let sim: HaSimulator;
  let served: ServedHub;
  let cameraId: number;
  let simPort: string;

  const streamUrl = (panel: string) => `${served.url}${cameraPath('live', cameraId, panel)}`;
  const openUpstreams = () => sim.cameraStreams().open[CAMERA] ?? 0;

  beforeEach(async () => {
    sim = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
    const { url } = await sim.start();
    simPort = new URL(url).port;
    sim.setCameraStreamBehaviour({ fps: 20 });
    served = await serveTestHub();
    const t = served.t;
    await call(t, 'integration.configure', { key: HOME_ASSISTANT_KEY, fields: { url, token: TOKEN }, importDomains: ['camera'] });
    await call(t, 'integration.enable', { key: HOME_ASSISTANT_KEY });
    await waitFor(() => t.hub.integrations.healthViews().find((h) => h.key === HOME_ASSISTANT_KEY)?.health === 'ok', 'the connection');
    await call(t, 'integration.sync', { key: HOME_ASSISTANT_KEY });
    const row = await t.hub.store.db.selectFrom('entity').select('id').where('integration_id', '=', CAMERA).executeTakeFirstOrThrow();
    cameraId = row.id;
  });

  afterEach(async () => {
    await served.close();
    await sim.stop();
  });

  function expectNoSecrets(text: string): void {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(`:${simPort}`);
    expect(text).not.toContain('camera_proxy');
    expect(text).not.toContain(CAMERA);
  }

  function headerText(headers: Headers): string {
    return [...headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  }

  it('fans one upstream connection out to every panel watching, and closes it when the last one leaves', async () => {
    const first = await view(streamUrl('panel-a'));
    const second = await view(streamUrl('panel-b'));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('multipart/x-mixed-replace; boundary=hiframe');
    expect(await first.readFrames(3)).toBe('enough');
    expect(await second.readFrames(3)).toBe('enough');
    expect(openUpstreams()).toBe(1);
    expect(sim.cameraStreams().served).toBe(1);
    first.close();
    await sleep(200);
    expect(await second.readFrames(6)).toBe('enough');
    expect(openUpstreams()).toBe(1);
    second.close();
    await waitFor(() => openUpstreams() === 0, 'the upstream to close');
    await waitFor(() => served.t.hub.cameras.stats().upstreams.length === 0, 'the proxy to forget it');
    expect(served.t.hub.cameras.stats().panels).toEqual({});
  });

  it('refuses a fifth stream on one panel with 429 and a sentence, and takes a new one once a stream closed', async () => {
    const open = [];
    for (let i = 0; i < MAX_STREAMS_PER_PANEL; i++) {
      const viewing = await view(streamUrl('busy-panel'));
      expect(viewing.status).toBe(200);
      open.push(viewing);
    }
    const refused = await fetch(streamUrl('busy-panel'));
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/already shows 4 camera streams/);
    const otherPanel = await view(streamUrl('other-panel'));
    expect(otherPanel.status).toBe(200);
    otherPanel.close();
    open.pop()!.close();
    await waitFor(() => (served.t.hub.cameras.stats().panels['hub/busy-panel'] ?? 0) < MAX_STREAMS_PER_PANEL, 'a slot');
    const again = await view(streamUrl('busy-panel'));
    expect(again.status).toBe(200);
    again.close();
    for (const viewing of open) viewing.close();
  });

  it('never sends the token, the upstream address or the entity id to the panel', async () => {
    const viewing = await view(streamUrl('p'));
    await viewing.readFrames(3);
    expectNoSecrets(viewing.text() + headerText(viewing.headers));
    viewing.close();
    const snapshot = await fetch(`${served.url}${cameraPath('snapshot', cameraId)}`);
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await snapshot.arrayBuffer());
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expectNoSecrets(jpeg.toString('latin1') + headerText(snapshot.headers));
    for (const fault of [{ kind: 'server_error' }, { kind: 'auth_failure' }] as const) {
      sim.setFault(fault);
      for (const url of [streamUrl('p'), `${served.url}${cameraPath('snapshot', cameraId)}`]) {
        const failed = await fetch(url);
        expect(failed.status, `${fault.kind} ${url}`).toBe(502);
        const sentence = await failed.text();
        expect(sentence).toMatch(/^The camera /);
        expectNoSecrets(sentence + headerText(failed.headers));
      }
    }
  });

  it('answers 502 with a sentence when the camera cannot be reached, and 404 for an item without video', async () => {
    await sim.stop();
    const failed = await fetch(streamUrl('p'));
    expect(failed.status).toBe(502);
    expect(await failed.text()).toBe('The camera could not be reached. The panel tries again by itself.');
    const missing = await fetch(`${served.url}${cameraPath('live', 999_999)}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('This item has no camera stream.');
    const malformed = await fetch(`${served.url}/stream/abc`);
    expect(malformed.status).toBe(404);
  });

  it('forwards only whole frames: a frame cut off upstream never reaches the panel, and the stream ends', async () => {
    sim.setCameraStreamBehaviour({ fps: 20, truncateAfterFrames: 2 });
    const viewing = await view(streamUrl('p'));
    expect(await viewing.readFrames(10)).toBe('ended');
    expect(viewing.frames).toHaveLength(2);
    // Every part the panel got was whole: as many delimiters as frames, and nothing held but the last CRLF.
    expect(viewing.text().split('--hiframe\r\n')).toHaveLength(3);
    expect(viewing.leftover()).toBeLessThanOrEqual(2);
    await waitFor(() => served.t.hub.cameras.stats().upstreams.length === 0, 'the proxy to close the upstream');
  });

  it('skips frames for a viewer that is backed up instead of buffering them', async () => {
    let written = 0;
    let goneListener: (() => void) | null = null;
    const stuck: CameraReply = {
      gone: false,
      send: () => undefined,
      begin: () => undefined,
      write: () => written++,
      end: () => goneListener?.(),
      backlog: () => 10 * 1024 * 1024,
      onGone: (listener) => (goneListener = listener),
    };
    await served.t.hub.cameras.handle({ mode: 'live', entityId: cameraId, clientKey: 'test', panelKey: 'test/stuck' }, stuck);
    await waitFor(() => (served.t.hub.cameras.stats().upstreams[0]?.framesSkipped ?? 0) >= 5, 'skipped frames');
    expect(written).toBeLessThanOrEqual(1);
    goneListener!();
    await waitFor(() => openUpstreams() === 0, 'the upstream to close');
  });
});
