import type { Kysely } from 'kysely';
import { AlarmLevel, alarmPriority, AlarmSource } from '../../../src-shared/enums/alert';
import { IpcError } from '../../../src-shared/ipc/errors';
import { MAX_ALARMS_PER_ALERT, MAX_LIVE_ALERTS, type AlarmView, type AlertView } from '../../../src-shared/model/alert';
import type { EventBus } from '../../ipc/event-bus';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import { RingBuffer } from '../../util/ring-buffer';
import type { Scheduler } from '../../util/scheduler';
import { Throttle } from '../../util/throttle';
import { openAlertRows, recentlyClosedAlertRows, type AlertRow, type NewAlertRow } from './models';
import { alarmSignature, type Alarm } from './transient-models';

const log = createLogger('alerts');

const RECENT_ALERTS = 100;
const CLOSED_ALERTS_KEPT_MS = 90 * 24 * 3_600_000;
const MAX_ENTITY_IDS_PER_ALERT = 100;
/** A storm reaches panels and the disk at most this often; the first alarm of a quiet spell goes at once. */
const ANNOUNCE_WINDOW_MS = 100;
/** Changes close together in a quiet spell (an acknowledgement, then a new alarm) each still go at once. */
const ANNOUNCE_BURST = 3;
const PERSIST_WINDOW_MS = 250;

type ClosedBy = NonNullable<AlertView['closedBy']>;

const byImportance = (a: AlertView, b: AlertView): number =>
  alarmPriority(AlarmLevel.fromNameSafe(b.level)) - alarmPriority(AlarmLevel.fromNameSafe(a.level)) || b.lastAt - a.lastAt || b.id - a.id;

function parseJsonArray<T>(text: string): T[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    return [];
  }
}

function viewOf(row: AlertRow): AlertView {
  return {
    id: row.id,
    signature: row.signature,
    source: AlarmSource.fromNameSafe(row.alarm_source_str).value,
    level: AlarmLevel.fromNameSafe(row.alarm_level_str).value,
    title: row.title,
    count: row.alarm_count,
    firstAt: row.first_at,
    lastAt: row.last_at,
    endsAt: row.ends_at,
    alarms: parseJsonArray<AlarmView>(row.alarms_json).slice(0, MAX_ALARMS_PER_ALERT),
    entityIds: parseJsonArray<number>(row.entity_ids_json).slice(0, MAX_ENTITY_IDS_PER_ALERT),
    closedAt: row.closed_at,
    closedBy: row.closed_by === 'acknowledged' || row.closed_by === 'expired' || row.closed_by === 'dropped' || row.closed_by === 'cleared' ? row.closed_by : null,
  };
}

function rowOf(alert: AlertView, type: string): NewAlertRow {
  return {
    id: alert.id,
    signature: alert.signature,
    alarm_source_str: alert.source,
    alarm_type: type,
    alarm_level_str: alert.level,
    title: alert.title,
    alarm_count: alert.count,
    first_at: alert.firstAt,
    last_at: alert.lastAt,
    ends_at: alert.endsAt,
    alarms_json: JSON.stringify(alert.alarms),
    entity_ids_json: JSON.stringify(alert.entityIds),
    closed_at: alert.closedAt,
    closed_by: alert.closedBy,
  };
}

/**
 * Gathers alarms into alerts, one per signature (`source.type.level`), the most important first. Everything is
 * bounded: alarms kept per alert, live alerts (the least important, oldest is dropped past the cap) and the recent
 * list. Open alerts are stored, so a restart or a crash brings them back; they close when acknowledged, when their
 * time runs out, or when their source clears them.
 */
export class AlertManager {
  private readonly live = new Map<number, AlertView>();
  /** Alarm type of each live alert, for storage and for clearing by source. */
  private readonly types = new Map<number, string>();
  private readonly recent = new RingBuffer<AlertView>(RECENT_ALERTS);
  private readonly unsaved = new Map<number, { alert: AlertView; type: string }>();
  private nextId = 1;
  private cancelExpiry: (() => void) | null = null;
  private readonly announcer = new Throttle(ANNOUNCE_WINDOW_MS, () => this.events.emit('alert.changed', { alerts: this.list() }), ANNOUNCE_BURST);
  private readonly saver = new Throttle(PERSIST_WINDOW_MS, () => void this.save());
  private saving: Promise<void> = Promise.resolve();
  private readonly openedListeners = new Set<(alert: AlertView) => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {}

  async start(): Promise<void> {
    const now = this.clock.now();
    const last = await this.db.selectFrom('alert').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    this.nextId = Number(last?.id ?? 0) + 1;
    for (const row of (await recentlyClosedAlertRows(this.db, RECENT_ALERTS)).reverse()) this.recent.push(viewOf(row));
    for (const row of await openAlertRows(this.db)) {
      const alert = viewOf(row);
      this.live.set(alert.id, alert);
      this.types.set(alert.id, row.alarm_type);
    }
    // Those whose time ran out while the hub was down close now.
    for (const alert of [...this.live.values()]) if (alert.endsAt !== null && alert.endsAt <= now) this.close(alert, 'expired', alert.endsAt);
    if (this.live.size > 0) log.info(`Restored ${this.live.size} open alert(s)`);
    this.armExpiry();
    await this.save();
  }

  async stop(): Promise<void> {
    this.cancelExpiry?.();
    this.cancelExpiry = null;
    this.announcer.cancel();
    this.saver.cancel();
    await this.save();
  }

  /** Called once for each alert as it opens (not for later alarms it gathers): e-mail and the console listen. */
  onOpened(listener: (alert: AlertView) => void): () => void {
    this.openedListeners.add(listener);
    return () => this.openedListeners.delete(listener);
  }

  /** Live alerts, the most important first. */
  list(): AlertView[] {
    return [...this.live.values()].sort(byImportance);
  }

  /** Closed alerts, newest first. */
  recentList(): AlertView[] {
    return this.recent.toArray().reverse();
  }

  /** Adds an alarm to the open alert with its signature, or opens one; answers that alert, or null for NONE. */
  raise(alarm: Alarm): AlertView | null {
    if (alarm.level === AlarmLevel.NONE) return null;
    const signature = alarmSignature(alarm);
    const endsAt = alarm.lifetimeMs === null ? null : alarm.at + alarm.lifetimeMs;
    const entry: AlarmView = {
      at: alarm.at,
      title: alarm.title,
      details: alarm.details,
      entityIds: [...alarm.entityIds],
      ...(alarm.recording ? { recording: { entityId: alarm.recording.entityId, eventId: alarm.recording.eventId } } : {}),
    };
    let alert = [...this.live.values()].find((a) => a.signature === signature);
    if (alert) {
      alert.count += 1;
      alert.lastAt = Math.max(alert.lastAt, alarm.at);
      alert.endsAt = alert.endsAt === null || endsAt === null ? null : Math.max(alert.endsAt, endsAt);
      alert.alarms = [entry, ...alert.alarms].slice(0, MAX_ALARMS_PER_ALERT);
      alert.entityIds = [...new Set([...alarm.entityIds, ...alert.entityIds])].slice(0, MAX_ENTITY_IDS_PER_ALERT);
    } else {
      alert = {
        id: this.nextId++,
        signature,
        source: alarm.source.value,
        level: alarm.level.value,
        title: alarm.title,
        count: 1,
        firstAt: alarm.at,
        lastAt: alarm.at,
        endsAt,
        alarms: [entry],
        entityIds: [...new Set(alarm.entityIds)].slice(0, MAX_ENTITY_IDS_PER_ALERT),
        closedAt: null,
        closedBy: null,
      };
      this.live.set(alert.id, alert);
      this.types.set(alert.id, alarm.type);
      this.dropPastCap();
      for (const listener of this.openedListeners) {
        try {
          listener(alert);
        } catch (error) {
          log.error(`A listener of new alerts failed on "${alert.title}"`, error);
        }
      }
    }
    this.changed(alert);
    this.armExpiry();
    return alert;
  }

  acknowledge(alertId: number): AlertView {
    const alert = this.live.get(alertId);
    if (!alert) throw IpcError.notFound(`Alert ${alertId} is not open (already acknowledged or ended).`);
    this.close(alert, 'acknowledged', this.clock.now());
    this.armExpiry();
    return alert;
  }

  acknowledgeAll(): number {
    const now = this.clock.now();
    const open = [...this.live.values()];
    for (const alert of open) this.close(alert, 'acknowledged', now);
    this.armExpiry();
    return open.length;
  }

  /** The source says the condition is over (an integration is healthy again): its alerts of that type close. */
  clear(source: AlarmSource, type: string): number {
    const now = this.clock.now();
    const matching = [...this.live.values()].filter((a) => a.source === source.value && this.types.get(a.id) === type);
    for (const alert of matching) this.close(alert, 'cleared', now);
    if (matching.length > 0) this.armExpiry();
    return matching.length;
  }

  /** Closed alerts are kept this long for the record. */
  async pruneClosed(): Promise<number> {
    const result = await this.db.deleteFrom('alert').where('closed_at', '<', this.clock.now() - CLOSED_ALERTS_KEPT_MS).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Waits for pending writes; tests and shutdown use it. */
  async save(): Promise<void> {
    this.saver.cancel();
    const batch = [...this.unsaved.values()];
    this.unsaved.clear();
    this.saving = this.saving.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const { alert, type } of batch) {
            const row = rowOf(alert, type);
            const { id: _id, ...update } = row;
            await trx.insertInto('alert').values(row).onConflict((oc) => oc.column('id').doUpdateSet(update)).execute();
          }
        });
      } catch (error) {
        // Kept for the next write: an alert on the panel must not be lost because the disk was busy or full.
        for (const entry of batch) if (!this.unsaved.has(entry.alert.id)) this.unsaved.set(entry.alert.id, entry);
        log.error(`Could not store ${batch.length} alert(s); will retry`, error);
        this.saver.request();
      }
    });
    await this.saving;
  }

  private close(alert: AlertView, closedBy: ClosedBy, at: number): void {
    alert.closedAt = at;
    alert.closedBy = closedBy;
    this.live.delete(alert.id);
    this.recent.push(alert);
    this.changed(alert);
    this.types.delete(alert.id);
  }

  private changed(alert: AlertView): void {
    this.unsaved.set(alert.id, { alert, type: this.types.get(alert.id) ?? '' });
    this.saver.request();
    this.announcer.request();
  }

  private dropPastCap(): void {
    while (this.live.size > MAX_LIVE_ALERTS) {
      const least = this.list().at(-1)!;
      log.warn(`More than ${MAX_LIVE_ALERTS} open alerts: dropping "${least.title}"`);
      this.close(least, 'dropped', this.clock.now());
    }
  }

  private armExpiry(): void {
    this.cancelExpiry?.();
    this.cancelExpiry = null;
    let next = Number.POSITIVE_INFINITY;
    for (const alert of this.live.values()) if (alert.endsAt !== null && alert.endsAt < next) next = alert.endsAt;
    if (next === Number.POSITIVE_INFINITY) return;
    this.cancelExpiry = this.scheduler.at(next, () => {
      this.cancelExpiry = null;
      const now = this.clock.now();
      for (const alert of [...this.live.values()]) if (alert.endsAt !== null && alert.endsAt <= now) this.close(alert, 'expired', alert.endsAt);
      this.armExpiry();
    });
  }
}
