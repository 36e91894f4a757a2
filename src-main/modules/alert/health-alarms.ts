import { AlarmLevel, AlarmSource } from '../../../src-shared/enums/alert';
import { IntegrationHealth } from '../../../src-shared/enums';
import type { IntegrationHealthView } from '../../../src-shared/model/integration';
import type { EventBus } from '../../ipc/event-bus';
import type { Clock } from '../../util/clock';
import type { Scheduler } from '../../util/scheduler';
import type { AlertManager } from './alert-manager';

export interface HealthAlarmDeps {
  events: EventBus;
  alerts: AlertManager;
  clock: Clock;
  scheduler: Scheduler;
  /** "Home Assistant" for home_assistant. */
  labelOf(integrationKey: string): string;
  /** How long an integration must stay unreachable before it is an alert. */
  graceMs(): number;
}

const ALARMING = new Set<string>([IntegrationHealth.UNREACHABLE.value, IntegrationHealth.AUTH_FAILED.value]);
const QUIET = new Set<string>([IntegrationHealth.OK.value, IntegrationHealth.DISABLED.value, IntegrationHealth.PAUSED.value]);

/**
 * Turns integration health into HEALTH_STATUS alarms: unreachable for longer than a grace period, or a refused
 * sign-in at once, raises one; healthy again (or switched off) clears it.
 */
export class HealthAlarms {
  private readonly pending = new Map<string, () => void>();
  /** The newest health of each integration, so a delayed alarm says what is wrong now. */
  private readonly latest = new Map<string, IntegrationHealthView>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: HealthAlarmDeps) {}

  /** Before the integrations start, so their first health reports are seen; alerts restored from before a restart stay until the integration is healthy. */
  start(): void {
    this.unsubscribe = this.deps.events.on('integration.health', (view) => this.update(view));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
    this.latest.clear();
  }

  private update(view: IntegrationHealthView): void {
    this.latest.set(view.key, view);
    if (QUIET.has(view.health)) {
      this.cancel(view.key);
      this.deps.alerts.clear(AlarmSource.HEALTH_STATUS, view.key);
      return;
    }
    if (!ALARMING.has(view.health)) return;
    const authFailed = view.health === IntegrationHealth.AUTH_FAILED.value;
    if (authFailed) {
      this.cancel(view.key);
      this.raise(view);
      return;
    }
    if (this.pending.has(view.key)) return;
    const cancel = this.deps.scheduler.at(this.deps.clock.now() + this.deps.graceMs(), () => {
      this.pending.delete(view.key);
      this.raise(this.latest.get(view.key) ?? view);
    });
    this.pending.set(view.key, cancel);
  }

  private raise(view: IntegrationHealthView): void {
    const label = this.deps.labelOf(view.key);
    const health = IntegrationHealth.fromNameSafe(view.health);
    const title = health === IntegrationHealth.AUTH_FAILED ? `${label} refused the sign-in` : `${label} is unreachable`;
    this.deps.alerts.raise({
      source: AlarmSource.HEALTH_STATUS,
      type: view.key,
      level: AlarmLevel.WARNING,
      title,
      details: view.message ?? health.description,
      entityIds: [],
      at: this.deps.clock.now(),
      lifetimeMs: null,
    });
  }

  private cancel(key: string): void {
    this.pending.get(key)?.();
    this.pending.delete(key);
  }
}
