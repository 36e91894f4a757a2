import type { z } from 'zod';
import { requests, isRequestName, type RequestName, type RequestResult } from '../../src-shared/ipc/contract';
import { IpcError, type IpcResponse } from '../../src-shared/ipc/errors';
import { storageFailureForPanel, type StorageHealth } from '../store/storage-errors';
import { createLogger } from '../util/log';
import type { PanelSession } from './panel-sessions';

const log = createLogger('ipc');

export interface HandlerContext {
  readonly panel: PanelSession;
}

type ParsedArg<N extends RequestName> = z.output<(typeof requests)[N]['arg']>;
export type Handler<N extends RequestName> = (arg: ParsedArg<N>, ctx: HandlerContext) => Promise<RequestResult<N>> | RequestResult<N>;
export type HandlerMap<N extends RequestName = RequestName> = { [K in N]: Handler<K> };

export interface RouterOptions {
  /** Check every result against its schema too: on in tests, where a wrong shape must fail loudly. */
  validateResults: boolean;
  /** HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING: keep the high-frequency channels out of the log. */
  muteHighFrequencyLogging: boolean;
  /** Where a handler's "storage full" is recorded, so health shows it whichever handler met it. */
  storage: StorageHealth;
}

const toIssues = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));

/** Validates each request against the contract, runs its handler and answers an envelope, never a throw. */
export class Router {
  constructor(
    private readonly handlers: HandlerMap,
    private readonly options: RouterOptions,
  ) {}

  async dispatch(channel: string, arg: unknown, ctx: HandlerContext): Promise<IpcResponse> {
    if (!isRequestName(channel)) return { ok: false, error: IpcError.notFound(`Unknown channel '${channel}'`).toData() };
    const spec = requests[channel];
    const started = performance.now();
    const parsed = spec.arg.safeParse(arg ?? {});
    if (!parsed.success) {
      return { ok: false, error: IpcError.invalidArgument(`Invalid argument for ${channel}`, toIssues(parsed.error)).toData() };
    }
    try {
      const handler = this.handlers[channel] as Handler<RequestName>;
      const value: unknown = await handler(parsed.data as never, ctx);
      if (this.options.validateResults) {
        const checked = spec.result.safeParse(value);
        if (!checked.success) throw new Error(`Result of ${channel} does not match its schema: ${JSON.stringify(toIssues(checked.error))}`);
      }
      this.logRequest(channel, started);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof IpcError) return { ok: false, error: error.toData() };
      const storageFailure = this.options.storage.recordFailure(error);
      if (storageFailure) {
        log.warn(`${channel} was not saved: ${storageFailure.detail} (${storageFailure.code})`);
        return { ok: false, error: IpcError.storageFull(storageFailureForPanel(storageFailure)).toData() };
      }
      log.error(`${channel} failed`, error);
      return { ok: false, error: { code: 'internal', message: `${channel} failed; see the hub log` } };
    }
  }

  private logRequest(channel: RequestName, started: number): void {
    const spec = requests[channel];
    if ('highFrequency' in spec && spec.highFrequency && this.options.muteHighFrequencyLogging) return;
    log.debug(`${channel} ${(performance.now() - started).toFixed(1)} ms`);
  }
}
