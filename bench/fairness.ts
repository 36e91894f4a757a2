// `npm run bench -- fairness`: does one busy client hold up the other panels? Another panel's hub.snapshot latency,
// idle, while one client floods requests, and while the worst floor plan is uploaded and sanitised.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PanelServerProcess } from '../e2e/panel-server-process';
import type { IpcErrorData } from '../src-shared/ipc/errors';
import { PANEL_SOCKET_PATH, type ServerMessage } from '../src-shared/ipc/wire';
import { hugePlan } from '../src-main/test-support/huge-plan';
import { percentile, runBench } from './bench-support';

const GOAL_P99_MS = 100;
const IDLE_SECONDS = 5;
const FLOOD_SECONDS = 10;
/** Requests the flooding client keeps outstanding: sent at once, and one more for each answer. */
const FLOOD_IN_FLIGHT = 5_000;
const PLAN_ELEMENTS = 300_000;
const PLAN_ROUNDS = 3;
/** The observing panel asks again this long after each answer. */
const SAMPLE_GAP_MS = 5;
const CALL_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 30_000;

type Answer = { ok: true; value: unknown } | { ok: false; error: IpcErrorData };

/** A panel over the real WebSocket wire protocol, as the browser bridge speaks it. */
class WireClient {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.t !== 'res' || message.id === null) return;
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
    });
  }

  static async connect(baseUrl: string): Promise<WireClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${PANEL_SOCKET_PATH}`, { maxPayload: 8 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WireClient(ws);
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** Sends a request and resolves with its answer; a request unanswered after CALL_TIMEOUT_MS fails. */
  call(name: string, arg: unknown = {}): Promise<Answer> {
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name} unanswered after ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.ws.send(JSON.stringify({ t: 'req', id, name, arg }));
    });
  }

  /** A call that must succeed. */
  async value<T>(name: string, arg: unknown = {}): Promise<T> {
    const answer = await this.call(name, arg);
    if (!answer.ok) throw new Error(`${name} failed: ${answer.error.code}: ${answer.error.message}`);
    return answer.value as T;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** The other panel: asks for hub.snapshot again and again until `until` settles, timing each answer. */
async function observe(observer: WireClient, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  const finished = until.finally(() => (done = true));
  const samples: number[] = [];
  while (!done) {
    const start = performance.now();
    const answer = await observer.call('hub.snapshot');
    if (!answer.ok) throw new Error(`hub.snapshot failed: ${answer.error.message}`);
    samples.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_GAP_MS));
  }
  await finished;
  return samples;
}

function report(label: string, samples: readonly number[], extra = ''): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  console.log(
    `  ${label.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms  p99 ${p99.toFixed(1).padStart(7)} ms  ` +
      `max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms  (${sorted.length} samples)  goal p99 < ${GOAL_P99_MS} ms: ${p99 < GOAL_P99_MS ? 'met' : 'NOT met'}${extra}`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One client keeps FLOOD_IN_FLIGHT hub.snapshot requests outstanding for `seconds`; answers what it got back. */
async function flood(flooder: WireClient, seconds: number): Promise<{ answered: number; rateLimited: number; otherErrors: number }> {
  const tally = { answered: 0, rateLimited: 0, otherErrors: 0 };
  const end = performance.now() + seconds * 1000;
  const one = async (): Promise<void> => {
    // Each chain sends again after each answer until the end; bounded by time and by CALL_TIMEOUT_MS per call.
    while (performance.now() < end) {
      const answer = await flooder.call('hub.snapshot');
      tally.answered += 1;
      if (!answer.ok && answer.error.code === 'rate_limited') tally.rateLimited += 1;
      else if (!answer.ok) tally.otherErrors += 1;
    }
  };
  await Promise.all(Array.from({ length: FLOOD_IN_FLIGHT }, one));
  return tally;
}

/** Uploads the plan through file.upload.* as the panel does, then sets it as the background; answers the outcome. */
async function uploadAndSanitise(uploader: WireClient, locationId: number, plan: Buffer): Promise<{ sanitiseMs: number; answer: Answer }> {
  const begun = await uploader.value<{ uploadId: string; chunkBytes: number }>('file.upload.begin', { fileName: 'worst-plan.svg', size: plan.length });
  for (let offset = 0; offset < plan.length; offset += begun.chunkBytes) {
    const piece = plan.subarray(offset, Math.min(offset + begun.chunkBytes, plan.length));
    await uploader.value('file.upload.chunk', { uploadId: begun.uploadId, offset, data: piece.toString('base64') });
  }
  const start = performance.now();
  const answer = await uploader.call('location.background.set', { locationId, uploadId: begun.uploadId });
  return { sanitiseMs: performance.now() - start, answer };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-fairness-'));
  const server = new PanelServerProcess(dataDir, { HI_SUPPRESS_MONITORS: '1', HI_LOG_LEVEL: 'error', HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING: '1' });
  const clients: WireClient[] = [];
  try {
    const url = await server.start(0);
    const [observer, flooder, uploader] = await Promise.all([WireClient.connect(url), WireClient.connect(url), WireClient.connect(url)]);
    clients.push(observer!, flooder!, uploader!);
    console.log(`another panel's hub.snapshot latency over the panel server's WebSocket (${os.availableParallelism()} cores):`);

    report('(a) idle', await observe(observer!, sleep(IDLE_SECONDS * 1000)));

    const flooding = flood(flooder!, FLOOD_SECONDS);
    const duringFlood = await observe(observer!, flooding);
    const tally = await flooding;
    report(`(b) one client flooding`, duringFlood);
    console.log(
      `      the flooding client kept ${FLOOD_IN_FLIGHT.toLocaleString('en-US')} hub.snapshot in flight for ${FLOOD_SECONDS} s: ` +
        `${tally.answered.toLocaleString('en-US')} answered, ${tally.rateLimited.toLocaleString('en-US')} of them rate_limited, ${tally.otherErrors} other errors`,
    );
    const drainEnd = performance.now() + DRAIN_TIMEOUT_MS;
    while (flooder!.outstanding > 0 && performance.now() < drainEnd) await sleep(50);

    await uploader!.value('edit.begin');
    const location = await uploader!.value<{ id: number }>('location.create', { name: 'Bench' });
    const plan = hugePlan(PLAN_ELEMENTS);
    const duringPlan: number[] = [];
    const outcomes: Array<{ sanitiseMs: number; answer: Answer }> = [];
    for (let round = 0; round < PLAN_ROUNDS; round += 1) {
      const uploading = uploadAndSanitise(uploader!, location.id, plan);
      duringPlan.push(...(await observe(observer!, uploading)));
      outcomes.push(await uploading);
    }
    const answer = outcomes[0]!.answer;
    report(`(c) worst plan uploaded, sanitised`, duringPlan);
    console.log(
      `      ${PLAN_ROUNDS} × a ${(plan.length / 1024 / 1024).toFixed(1)} MB plan of ${PLAN_ELEMENTS.toLocaleString('en-US')} elements; ` +
        `location.background.set answered in ${outcomes.map((o) => o.sanitiseMs.toFixed(0)).join(', ')} ms: ` +
        (answer.ok ? 'accepted' : `${answer.error.code}: ${answer.error.message}`),
    );
  } finally {
    for (const client of clients) client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
