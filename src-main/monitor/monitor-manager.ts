import type { MonitorStatus } from '../../src-shared/model/system';
import type { EventBus } from '../ipc/event-bus';
import type { Clock } from '../util/clock';
import { createLogger } from '../util/log';
import { PeriodicMonitor, type MonitorSpec } from './periodic-monitor';

const log = createLogger('monitors');

export interface MonitorManagerOptions {
  /** HI_SUPPRESS_MONITORS: register and show every monitor, run none. */
  suppressed: boolean;
  /** Gap between the first runs of consecutive interval monitors, so they do not all fire at start-up. */
  staggerMs: number;
}

/** Owns every monitor of every module and integration; the hub starts it last and stops it first. */
export class MonitorManager {
  private readonly monitors = new Map<string, PeriodicMonitor>();
  private started = false;

  constructor(
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly options: MonitorManagerOptions,
  ) {}

  register(spec: MonitorSpec): PeriodicMonitor {
    if (this.monitors.has(spec.name)) throw new Error(`Monitor ${spec.name} is registered twice`);
    const monitor = new PeriodicMonitor(spec, this.clock, (status) => this.events.emit('monitor.health', status));
    this.monitors.set(spec.name, monitor);
    if (this.started) this.startOne(monitor, 0);
    return monitor;
  }

  get(name: string): PeriodicMonitor | undefined {
    return this.monitors.get(name);
  }

  start(): void {
    this.started = true;
    if (this.options.suppressed) log.info('Monitors are suppressed by HI_SUPPRESS_MONITORS');
    [...this.monitors.values()].forEach((monitor, index) => this.startOne(monitor, index * this.options.staggerMs));
  }

  async stop(timeoutMs: number): Promise<void> {
    this.started = false;
    await Promise.all([...this.monitors.values()].reverse().map((m) => m.stop(timeoutMs)));
  }

  statuses(): MonitorStatus[] {
    return [...this.monitors.values()].map((m) => m.status());
  }

  private startOne(monitor: PeriodicMonitor, delayMs: number): void {
    if (this.options.suppressed) monitor.suppress();
    else monitor.start(delayMs);
  }
}
