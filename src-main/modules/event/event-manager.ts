import { sql, type Kysely, type Transaction } from 'kysely';
import { AlarmLevel, AlarmSource } from '../../../src-shared/enums/alert';
import { clauseMatches, ClauseOperator, EventType } from '../../../src-shared/enums/event';
import { ENTITY_STATE_VALUES, type DiscreteStateTypeValue } from '../../../src-shared/enums/entity';
import { SecurityLevel } from '../../../src-shared/enums/security';
import { IpcError } from '../../../src-shared/ipc/errors';
import { isEventId } from '../../../src-shared/mjpeg/camera-paths';
import type { AlarmRecording } from '../../../src-shared/model/alert';
import type { EventDefinitionInput, EventDefinitionView, EventFiring, RuleStateOption } from '../../../src-shared/model/event';
import { MAX_EVENT_WINDOW_SECS } from '../../../src-shared/model/event';
import type { EventBus } from '../../ipc/event-bus';
import { parseChoices } from '../../store/choices-column';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { AsyncMutex } from '../../util/async-mutex';
import { createLogger } from '../../util/log';
import type { AlertManager } from '../alert/alert-manager';
import type { SecurityManager } from '../security/security-manager';
import type { LatestValueSource } from '../status/sensor-response-manager';
import { DEFAULT_RULE_STATE_TYPES, DEFAULT_RULES, defaultRuleKey } from './default-rules';
import { EVENT_HISTORY_DAYS, pruneEventHistory } from './models';

const log = createLogger('events');

/** Transitions kept per watched state; a rule's window rarely spans more than a few. */
const TRANSITIONS_PER_STATE = 16;
const FIRINGS_LISTED = 50;
const DAY_MS = 24 * 3_600_000;

interface StateRef {
  entityStateId: number;
  entityId: number;
  entityName: string;
  stateName: string;
}

interface LoadedDefinition {
  id: number;
  name: string;
  eventType: EventType;
  windowMs: number;
  dedupeMs: number;
  enabled: boolean;
  isDefault: boolean;
  clauses: Array<StateRef & { operator: ClauseOperator; value: string }>;
  alarmActions: Array<{ securityLevel: SecurityLevel; alarmLevel: AlarmLevel; lifetimeSecs: number | null }>;
  controlActions: Array<StateRef & { value: string }>;
}

export interface EventManagerDeps {
  db: Kysely<Database>;
  events: EventBus;
  clock: Clock;
  security: SecurityManager;
  alerts: AlertManager;
  latest: LatestValueSource;
  /** Sets a controllable state through its integration; rejects with a typed error. */
  control(entityId: number, stateId: number, value: string): Promise<void>;
}

/**
 * Trigger rules. Keeps the recent transitions of every state a rule watches (bounded) and fires a rule when all its
 * clauses hold within its window, at most once per dedupe window: it raises the alarm its actions name for the
 * current security level (unless Away's leaving time or a snooze holds alarms) and runs its control actions.
 * Sensors of alarmable kinds get a default rule when they appear; the user's edits are never overwritten.
 */
export class EventManager {
  private definitions = new Map<number, LoadedDefinition>();
  private byState = new Map<number, number[]>();
  private readonly transitions = new Map<number, Array<{ value: string | null; ts: number }>>();
  private readonly lastFired = new Map<number, number>();
  private readonly writes = new AsyncMutex();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: EventManagerDeps) {}

  async start(): Promise<void> {
    await this.ensureDefaultRules();
    const fired = await this.deps.db
      .selectFrom('event_history')
      .select(['event_definition_id', (eb) => eb.fn.max('fired_at').as('last')])
      .groupBy('event_definition_id')
      .execute();
    for (const row of fired) this.lastFired.set(row.event_definition_id, Number(row.last));
    // New sensors (a sync, a starter home) get their default rules.
    this.unsubscribe = this.deps.events.on('home.changed', () => {
      void this.ensureDefaultRules().catch((error: unknown) => log.error('Could not make default rules', error));
    });
  }

  /** Firings still being recorded are written before the database closes. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.transitions.clear();
    await this.idle();
  }

  /** Resolves once every firing so far is recorded and every rule change is loaded. */
  idle(): Promise<void> {
    return this.writes.runExclusive(async () => undefined);
  }

  /**
   * A new value of an entity state, from the status pipeline. `correlation` names the recorded event it belongs to
   * (a camera's motion): an alarm it raises carries that recording, of the state's own item.
   */
  onStateValue(stateId: number, value: string | null, ts: number, correlation: string | null = null): void {
    const watching = this.byState.get(stateId);
    if (!watching) return;
    const list = this.transitions.get(stateId) ?? [];
    list.push({ value, ts });
    if (list.length > TRANSITIONS_PER_STATE) list.splice(0, list.length - TRANSITIONS_PER_STATE);
    this.transitions.set(stateId, list);
    const now = this.deps.clock.now();
    for (const definitionId of watching) {
      const definition = this.definitions.get(definitionId);
      // A change older than the window (an open door reported again after a reconnect) starts nothing.
      if (!definition?.enabled || ts < now - definition.windowMs) continue;
      const trigger = definition.clauses.find((c) => c.entityStateId === stateId && clauseMatches(c.operator, value, c.value));
      if (!trigger || !definition.clauses.every((clause) => this.holds(clause, now - definition.windowMs))) continue;
      const last = this.lastFired.get(definitionId);
      if (last !== undefined && now - last < definition.dedupeMs) continue;
      const recording = correlation !== null && isEventId(correlation) ? { entityId: trigger.entityId, eventId: correlation } : null;
      this.fire(definition, `${trigger.entityName} ${trigger.stateName}: ${value ?? 'unknown'}`, now, recording);
    }
  }

  /** "Fire now" from the Triggers tab: its actions run as if its clauses held. */
  async test(definitionId: number): Promise<EventFiring> {
    const definition = this.requireLoaded(definitionId);
    const now = this.deps.clock.now();
    this.fire(definition, 'Fired by hand from the Triggers tab', now);
    await this.idle();
    const [firing] = await this.firings(definitionId);
    if (!firing) throw IpcError.conflict('The rule fired, but its record could not be written.');
    return firing;
  }

  async list(): Promise<EventDefinitionView[]> {
    return [...this.definitions.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id).map((d) => this.view(d));
  }

  async get(definitionId: number): Promise<EventDefinitionView> {
    return this.view(this.requireLoaded(definitionId));
  }

  async firings(definitionId: number): Promise<EventFiring[]> {
    this.requireLoaded(definitionId);
    const rows = await this.deps.db
      .selectFrom('event_history')
      .selectAll()
      .where('event_definition_id', '=', definitionId)
      .orderBy('fired_at', 'desc')
      .orderBy('id', 'desc')
      .limit(FIRINGS_LISTED)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      eventDefinitionId: r.event_definition_id,
      firedAt: r.fired_at,
      securityLevel: SecurityLevel.fromNameSafe(r.security_level_str).value,
      details: r.details,
    }));
  }

  create(input: EventDefinitionInput): Promise<EventDefinitionView> {
    return this.writes.runExclusive(async () => {
      const now = this.deps.clock.now();
      const id = await this.deps.db.transaction().execute(async (trx) => {
        await this.checkInput(trx, input);
        const row = await trx
          .insertInto('event_definition')
          .values({ ...this.definitionColumns(input), default_key: null, deleted_at: null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.writeParts(trx, row.id, input);
        return row.id;
      });
      await this.reload();
      return this.view(this.requireLoaded(id));
    });
  }

  update(definitionId: number, input: EventDefinitionInput): Promise<EventDefinitionView> {
    return this.writes.runExclusive(async () => {
      this.requireLoaded(definitionId);
      await this.deps.db.transaction().execute(async (trx) => {
        await this.checkInput(trx, input);
        await trx.updateTable('event_definition').set({ ...this.definitionColumns(input), updated_at: this.deps.clock.now() }).where('id', '=', definitionId).execute();
        for (const table of ['event_clause', 'alarm_action', 'control_action'] as const) {
          await trx.deleteFrom(table).where('event_definition_id', '=', definitionId).execute();
        }
        await this.writeParts(trx, definitionId, input);
      });
      await this.reload();
      return this.view(this.requireLoaded(definitionId));
    });
  }

  /** A default rule is kept as a deleted marker, so the next sync does not make it again. */
  delete(definitionId: number): Promise<void> {
    return this.writes.runExclusive(async () => {
      const definition = this.requireLoaded(definitionId);
      if (definition.isDefault) {
        await this.deps.db.updateTable('event_definition').set({ deleted_at: this.deps.clock.now(), enabled: 0 }).where('id', '=', definitionId).execute();
      } else {
        await this.deps.db.deleteFrom('event_definition').where('id', '=', definitionId).execute();
      }
      this.lastFired.delete(definitionId);
      await this.reload();
    });
  }

  /** States a rule can watch (any with a sensor) or set (controllable ones). */
  async stateOptions(): Promise<RuleStateOption[]> {
    const rows = await this.deps.db
      .selectFrom('entity_state')
      .innerJoin('entity', 'entity.id', 'entity_state.entity_id')
      .leftJoin('controller', 'controller.entity_state_id', 'entity_state.id')
      .select([
        'entity_state.id as entityStateId',
        'entity.id as entityId',
        'entity.name as entityName',
        'entity_state.name as stateName',
        'entity_state.entity_state_type_str as stateType',
        'entity_state.value_range_str',
        'controller.id as controllerId',
      ])
      .where('entity.archived_at', 'is', null)
      .orderBy('entity.name')
      .orderBy('entity_state.name')
      .execute();
    return rows.map((r) => ({
      entityStateId: r.entityStateId,
      entityId: r.entityId,
      entityName: r.entityName,
      stateName: r.stateName,
      stateType: r.stateType,
      controllable: r.controllerId !== null,
      // The device's own list when it gave one (a thermostat's modes), else the values of its kind.
      choices: parseChoices(r.value_range_str) ?? (Object.hasOwn(ENTITY_STATE_VALUES, r.stateType) ? [...ENTITY_STATE_VALUES[r.stateType as DiscreteStateTypeValue]] : null),
    }));
  }

  /**
   * Makes the default rule of every sensor of an alarmable kind that has none (and never had one deleted). One
   * transaction: a sync removing sensors meanwhile cannot leave a rule pointing at a state that is gone.
   */
  ensureDefaultRules(): Promise<number> {
    return this.writes.runExclusive(async () => {
      const now = this.deps.clock.now();
      const made = await this.deps.db.transaction().execute(async (trx) => {
        const candidates = await trx
          .selectFrom('entity_state')
          .innerJoin('sensor', 'sensor.entity_state_id', 'entity_state.id')
          .innerJoin('entity', 'entity.id', 'entity_state.entity_id')
          .leftJoin('event_definition', (join) => join.on(sql<boolean>`event_definition.default_key = entity_state.entity_state_type_str || ':' || entity_state.id`))
          .select(['entity_state.id as stateId', 'entity_state.entity_state_type_str as stateType', 'entity.name as entityName'])
          .where('entity_state.entity_state_type_str', 'in', DEFAULT_RULE_STATE_TYPES)
          .where('event_definition.id', 'is', null)
          .execute();
        for (const candidate of candidates) {
          const rule = DEFAULT_RULES[candidate.stateType as keyof typeof DEFAULT_RULES];
          if (!rule) continue;
          const input: EventDefinitionInput = {
            name: `${rule.title}: ${candidate.entityName}`.slice(0, 200),
            eventType: rule.eventType.value,
            eventWindowSecs: 60,
            dedupeWindowSecs: rule.dedupeWindowSecs,
            enabled: true,
            clauses: [{ entityStateId: candidate.stateId, operator: rule.operator.value, value: rule.value }],
            alarmActions: rule.alarms.map((a) => ({ securityLevel: a.securityLevel.value, alarmLevel: a.alarmLevel.value, lifetimeSecs: a.lifetimeSecs })),
            controlActions: [],
          };
          const row = await trx
            .insertInto('event_definition')
            .values({ ...this.definitionColumns(input), default_key: defaultRuleKey(candidate.stateType, candidate.stateId), deleted_at: null, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          await this.writeParts(trx, row.id, input);
        }
        // A default rule whose sensor is gone watches nothing: it goes too.
        await trx
          .deleteFrom('event_definition')
          .where('default_key', 'is not', null)
          .where((eb) => eb.not(eb.exists(eb.selectFrom('event_clause').select('event_clause.id').whereRef('event_clause.event_definition_id', '=', 'event_definition.id'))))
          .execute();
        return candidates.length;
      });
      if (made > 0) log.info(`Made ${made} default rule(s) for new sensors`);
      await this.reload();
      return made;
    });
  }

  async pruneHistory(): Promise<number> {
    return pruneEventHistory(this.deps.db, this.deps.clock.now() - EVENT_HISTORY_DAYS * DAY_MS);
  }

  private holds(clause: LoadedDefinition['clauses'][number], since: number): boolean {
    const latest = this.deps.latest.latest(clause.entityStateId);
    if (latest && !latest.stale && clauseMatches(clause.operator, latest.value, clause.value)) return true;
    return (this.transitions.get(clause.entityStateId) ?? []).some((t) => t.ts >= since && clauseMatches(clause.operator, t.value, clause.value));
  }

  private fire(definition: LoadedDefinition, reason: string, now: number, recording: AlarmRecording | null = null): void {
    this.lastFired.set(definition.id, now);
    const level = this.deps.security.level();
    const outcomes: string[] = [reason];
    const action = definition.alarmActions.find((a) => a.securityLevel === level);
    if (action && action.alarmLevel !== AlarmLevel.NONE) {
      if (this.deps.security.alarmsHeld()) {
        outcomes.push(`${action.alarmLevel.label} alarm held (${this.deps.security.status().hold?.reason === 'snooze' ? 'snoozed' : 'leaving for Away'})`);
      } else {
        this.deps.alerts.raise({
          source: AlarmSource.EVENT,
          type: `rule-${definition.id}`,
          level: action.alarmLevel,
          title: definition.name,
          details: reason,
          entityIds: [...new Set(definition.clauses.map((c) => c.entityId))],
          at: now,
          lifetimeMs: action.lifetimeSecs === null ? null : action.lifetimeSecs * 1000,
          recording,
        });
        outcomes.push(`${action.alarmLevel.label} alarm`);
      }
    } else if (definition.alarmActions.length > 0) {
      outcomes.push(`no alarm at security level ${level.label}`);
    }
    const controls = definition.controlActions.map(async (control) => {
      try {
        await this.deps.control(control.entityId, control.entityStateId, control.value);
        return `set ${control.entityName} ${control.stateName} to ${control.value}`;
      } catch (error) {
        log.warn(`Rule "${definition.name}" could not set ${control.entityName}`, error);
        return `could not set ${control.entityName} ${control.stateName}: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
    void this.writes.runExclusive(async () => {
      const results = await Promise.all(controls);
      try {
        await this.deps.db
          .insertInto('event_history')
          .values({ event_definition_id: definition.id, fired_at: now, security_level_str: level.value, details: [...outcomes, ...results].join('; ').slice(0, 2_000) })
          .execute();
      } catch (error) {
        log.error(`Could not record that "${definition.name}" fired`, error);
      }
    });
  }

  private definitionColumns(input: EventDefinitionInput) {
    return {
      name: input.name,
      event_type_str: input.eventType,
      event_window_secs: input.eventWindowSecs,
      dedupe_window_secs: input.dedupeWindowSecs,
      enabled: input.enabled ? 1 : 0,
    };
  }

  private async checkInput(trx: Transaction<Database>, input: EventDefinitionInput): Promise<void> {
    const levels = input.alarmActions.map((a) => a.securityLevel);
    if (new Set(levels).size !== levels.length) throw IpcError.invalidArgument('Give at most one alarm per security level.', [{ path: ['alarmActions'], message: 'One per security level.' }]);
    const stateIds = [...new Set([...input.clauses.map((c) => c.entityStateId), ...input.controlActions.map((c) => c.entityStateId)])];
    const found = await trx
      .selectFrom('entity_state')
      .leftJoin('controller', 'controller.entity_state_id', 'entity_state.id')
      .select(['entity_state.id', 'controller.id as controllerId'])
      .where('entity_state.id', 'in', stateIds)
      .execute();
    const byId = new Map(found.map((r) => [r.id, r]));
    input.clauses.forEach((clause, index) => {
      if (!byId.has(clause.entityStateId)) throw IpcError.invalidArgument(`Condition ${index + 1} refers to a state that does not exist.`, [{ path: ['clauses', index, 'entityStateId'], message: 'Not found.' }]);
    });
    input.controlActions.forEach((control, index) => {
      if (byId.get(control.entityStateId)?.controllerId == null) {
        throw IpcError.invalidArgument(`Action ${index + 1} sets a state that cannot be controlled.`, [{ path: ['controlActions', index, 'entityStateId'], message: 'Not controllable.' }]);
      }
    });
  }

  private async writeParts(trx: Transaction<Database>, definitionId: number, input: EventDefinitionInput): Promise<void> {
    for (const clause of input.clauses) {
      await trx.insertInto('event_clause').values({ event_definition_id: definitionId, entity_state_id: clause.entityStateId, operator_str: clause.operator, value: clause.value }).execute();
    }
    for (const alarm of input.alarmActions) {
      await trx
        .insertInto('alarm_action')
        .values({ event_definition_id: definitionId, security_level_str: alarm.securityLevel, alarm_level_str: alarm.alarmLevel, alarm_lifetime_secs: alarm.lifetimeSecs })
        .execute();
    }
    for (const control of input.controlActions) {
      const controller = await trx.selectFrom('controller').select('id').where('entity_state_id', '=', control.entityStateId).executeTakeFirstOrThrow();
      await trx.insertInto('control_action').values({ event_definition_id: definitionId, controller_id: controller.id, value: control.value }).execute();
    }
  }

  /** Reads every live rule into memory: the hot path (each state change) touches no database. */
  private async reload(): Promise<void> {
    const db = this.deps.db;
    const definitions = await db.selectFrom('event_definition').selectAll().where('deleted_at', 'is', null).execute();
    const stateRef = ['entity_state.id as entityStateId', 'entity.id as entityId', 'entity.name as entityName', 'entity_state.name as stateName'] as const;
    const clauses = await db
      .selectFrom('event_clause')
      .innerJoin('entity_state', 'entity_state.id', 'event_clause.entity_state_id')
      .innerJoin('entity', 'entity.id', 'entity_state.entity_id')
      .select(['event_clause.event_definition_id', 'event_clause.operator_str', 'event_clause.value', ...stateRef])
      .orderBy('event_clause.id')
      .execute();
    const alarms = await db.selectFrom('alarm_action').selectAll().orderBy('id').execute();
    const controls = await db
      .selectFrom('control_action')
      .innerJoin('controller', 'controller.id', 'control_action.controller_id')
      .innerJoin('entity_state', 'entity_state.id', 'controller.entity_state_id')
      .innerJoin('entity', 'entity.id', 'entity_state.entity_id')
      .select(['control_action.event_definition_id', 'control_action.value', ...stateRef])
      .orderBy('control_action.id')
      .execute();
    const loaded = new Map<number, LoadedDefinition>();
    for (const row of definitions) {
      loaded.set(row.id, {
        id: row.id,
        name: row.name,
        eventType: EventType.fromNameSafe(row.event_type_str),
        windowMs: Math.min(row.event_window_secs, MAX_EVENT_WINDOW_SECS) * 1000,
        dedupeMs: row.dedupe_window_secs * 1000,
        enabled: row.enabled === 1,
        isDefault: row.default_key !== null,
        clauses: [],
        alarmActions: [],
        controlActions: [],
      });
    }
    for (const c of clauses) {
      loaded.get(c.event_definition_id)?.clauses.push({
        entityStateId: c.entityStateId,
        entityId: c.entityId,
        entityName: c.entityName,
        stateName: c.stateName,
        operator: ClauseOperator.fromNameSafe(c.operator_str),
        value: c.value,
      });
    }
    for (const a of alarms) {
      loaded.get(a.event_definition_id)?.alarmActions.push({
        securityLevel: SecurityLevel.fromNameSafe(a.security_level_str),
        alarmLevel: AlarmLevel.fromNameSafe(a.alarm_level_str),
        lifetimeSecs: a.alarm_lifetime_secs,
      });
    }
    for (const c of controls) {
      loaded.get(c.event_definition_id)?.controlActions.push({ entityStateId: c.entityStateId, entityId: c.entityId, entityName: c.entityName, stateName: c.stateName, value: c.value });
    }
    const byState = new Map<number, number[]>();
    for (const definition of loaded.values()) {
      for (const clause of definition.clauses) byState.set(clause.entityStateId, [...(byState.get(clause.entityStateId) ?? []), definition.id]);
    }
    this.definitions = loaded;
    this.byState = byState;
    for (const stateId of this.transitions.keys()) if (!byState.has(stateId)) this.transitions.delete(stateId);
  }

  private requireLoaded(definitionId: number): LoadedDefinition {
    const definition = this.definitions.get(definitionId);
    if (!definition) throw IpcError.notFound(`No rule ${definitionId}.`);
    return definition;
  }

  private view(d: LoadedDefinition): EventDefinitionView {
    return {
      id: d.id,
      name: d.name,
      eventType: d.eventType.value,
      eventWindowSecs: d.windowMs / 1000,
      dedupeWindowSecs: d.dedupeMs / 1000,
      enabled: d.enabled,
      isDefault: d.isDefault,
      clauses: d.clauses.map((c) => ({ entityStateId: c.entityStateId, entityId: c.entityId, entityName: c.entityName, stateName: c.stateName, operator: c.operator.value, value: c.value })),
      alarmActions: d.alarmActions.map((a) => ({ securityLevel: a.securityLevel.value, alarmLevel: a.alarmLevel.value, lifetimeSecs: a.lifetimeSecs })),
      controlActions: d.controlActions.map((c) => ({ entityStateId: c.entityStateId, entityId: c.entityId, entityName: c.entityName, stateName: c.stateName, value: c.value })),
      lastFiredAt: this.lastFired.get(d.id) ?? null,
    };
  }
}
