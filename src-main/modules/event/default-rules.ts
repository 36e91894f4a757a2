import { AlarmLevel } from '../../../src-shared/enums/alert';
import { ClauseOperator, EventType } from '../../../src-shared/enums/event';
import { SecurityLevel } from '../../../src-shared/enums/security';
import type { EntityStateTypeValue } from '../../../src-shared/enums/entity';

export interface DefaultRule {
  /** Names the rule, and so its alerts: "<title>: <entity name>". */
  title: string;
  eventType: EventType;
  operator: ClauseOperator;
  value: string;
  dedupeWindowSecs: number;
  /** Alarm level and lifetime per security level; levels left out raise nothing. */
  alarms: ReadonlyArray<{ securityLevel: SecurityLevel; alarmLevel: AlarmLevel; lifetimeSecs: number | null }>;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const everyLevel = (alarmLevel: AlarmLevel, lifetimeSecs: number | null) =>
  SecurityLevel.members.map((securityLevel) => ({ securityLevel, alarmLevel, lifetimeSecs }));

/**
 * The rule a sensor of each kind gets when it appears (values as the integrations normalise them). Hazards alarm in
 * every mode until acknowledged; movement and opened doors matter by security level.
 */
export const DEFAULT_RULES: Partial<Record<EntityStateTypeValue, DefaultRule>> = {
  movement: {
    title: 'Motion',
    eventType: EventType.SECURITY,
    operator: ClauseOperator.EQ,
    value: 'active',
    dedupeWindowSecs: MINUTE,
    alarms: [{ securityLevel: SecurityLevel.HIGH, alarmLevel: AlarmLevel.CRITICAL, lifetimeSecs: 10 * MINUTE }],
  },
  open_close: {
    title: 'Opened',
    eventType: EventType.SECURITY,
    operator: ClauseOperator.EQ,
    value: 'open',
    dedupeWindowSecs: MINUTE,
    alarms: [
      { securityLevel: SecurityLevel.HIGH, alarmLevel: AlarmLevel.CRITICAL, lifetimeSecs: 10 * MINUTE },
      { securityLevel: SecurityLevel.LOW, alarmLevel: AlarmLevel.INFO, lifetimeSecs: 5 * MINUTE },
    ],
  },
  smoke: { title: 'Smoke', eventType: EventType.SECURITY, operator: ClauseOperator.EQ, value: 'detected', dedupeWindowSecs: 5 * MINUTE, alarms: everyLevel(AlarmLevel.CRITICAL, null) },
  co: { title: 'Carbon monoxide', eventType: EventType.SECURITY, operator: ClauseOperator.EQ, value: 'detected', dedupeWindowSecs: 5 * MINUTE, alarms: everyLevel(AlarmLevel.CRITICAL, null) },
  gas: { title: 'Gas', eventType: EventType.SECURITY, operator: ClauseOperator.EQ, value: 'detected', dedupeWindowSecs: 5 * MINUTE, alarms: everyLevel(AlarmLevel.CRITICAL, null) },
  moisture: { title: 'Water leak', eventType: EventType.MAINTENANCE, operator: ClauseOperator.EQ, value: 'detected', dedupeWindowSecs: 15 * MINUTE, alarms: everyLevel(AlarmLevel.WARNING, null) },
  battery: { title: 'Battery low', eventType: EventType.MAINTENANCE, operator: ClauseOperator.LT, value: '15', dedupeWindowSecs: 24 * HOUR, alarms: everyLevel(AlarmLevel.INFO, 24 * HOUR) },
  connectivity: {
    title: 'Offline',
    eventType: EventType.MAINTENANCE,
    operator: ClauseOperator.EQ,
    value: 'disconnected',
    dedupeWindowSecs: HOUR,
    alarms: everyLevel(AlarmLevel.WARNING, HOUR),
  },
};

export const DEFAULT_RULE_STATE_TYPES = Object.keys(DEFAULT_RULES) as EntityStateTypeValue[];

export const defaultRuleKey = (stateType: string, entityStateId: number): string => `${stateType}:${entityStateId}`;
