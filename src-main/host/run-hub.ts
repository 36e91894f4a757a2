import { Hub, type HubOptions } from '../hub';
import { createLogger } from '../util/log';

const log = createLogger('run-hub');

/** How long a host waits for the panel server and the hub to stop before it exits anyway. */
export const STOP_TIMEOUT_MS = 15_000;

/** Browser panels being served: what the panel server's listen() gave, and how to close it. */
export interface ServedPanels {
  url: string;
  close(): Promise<void>;
}

export interface RunHubOptions {
  hub: HubOptions;
  /**
   * Starts serving browser panels once the hub has started. Null means the host goes on without them; a throw fails
   * the run (the hub is stopped first).
   */
  serve?(hub: Hub): Promise<ServedPanels | null>;
  stopTimeoutMs?: number;
}

/** How a stop ended: cleanly, with an error (logged), or still running when the timeout came. */
export type StopOutcome = 'stopped' | 'failed' | 'timed_out';

export interface RunningHub {
  readonly hub: Hub;
  readonly panelServerUrl: string | null;
  /** Closes the panel server, then stops the hub, within the stop timeout. Every call gets the same promise; it never rejects. */
  stop(): Promise<StopOutcome>;
  /** Resolves when the stop sequence has really ended, also after stop() stopped waiting for it. */
  whenStopped(): Promise<void>;
}

async function stopSequence(hub: Hub, served: ServedPanels | null): Promise<StopOutcome> {
  let clean = true;
  // Panels first, so that no request reaches a hub that is closing its database; the hub stops even if they fail.
  try {
    await served?.close();
  } catch (error) {
    log.error('The panel server failed to close', error);
    clean = false;
  }
  try {
    await hub.stop();
  } catch (error) {
    log.error('The hub failed to stop cleanly', error);
    clean = false;
  }
  if (clean) log.info('Hub stopped');
  return clean ? 'stopped' : 'failed';
}

function withTimeout(sequence: Promise<StopOutcome>, timeoutMs: number): Promise<StopOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<StopOutcome>((resolve) => {
    timer = setTimeout(() => {
      log.error(`The hub did not stop within ${timeoutMs / 1000} s`);
      resolve('timed_out');
    }, timeoutMs);
  });
  return Promise.race([sequence, timedOut]).finally(() => clearTimeout(timer));
}

/**
 * The one start and stop sequence of both hosts (the panel server and the Electron kiosk): open the data dir, start
 * the hub, serve browser panels; stop in reverse with a timeout. Signals and process exit stay with the host.
 */
export async function runHub(options: RunHubOptions): Promise<RunningHub> {
  const stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
  const hub = await Hub.open(options.hub);
  let served: ServedPanels | null = null;
  try {
    await hub.start();
    served = (await options.serve?.(hub)) ?? null;
  } catch (error) {
    const outcome = await withTimeout(stopSequence(hub, served), stopTimeoutMs);
    if (outcome !== 'stopped') log.error(`After a failed start the hub ${outcome === 'timed_out' ? 'did not stop in time' : 'did not stop cleanly'}`);
    throw error;
  }
  hub.setPanelServerUrl(served?.url ?? null);

  let sequence: Promise<StopOutcome> | undefined;
  let outcome: Promise<StopOutcome> | undefined;
  const panels = served;
  const stop = (): Promise<StopOutcome> => {
    sequence ??= stopSequence(hub, panels);
    outcome ??= withTimeout(sequence, stopTimeoutMs);
    return outcome;
  };
  return {
    hub,
    panelServerUrl: panels?.url ?? null,
    stop,
    async whenStopped() {
      await stop();
      await sequence;
    },
  };
}
