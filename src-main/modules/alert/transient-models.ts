import type { AlarmLevel, AlarmSource } from '../../../src-shared/enums/alert';
import type { AlarmRecording } from '../../../src-shared/model/alert';

/** One reason for attention, as a rule, a health check or a weather service raises it. */
export interface Alarm {
  source: AlarmSource;
  /** What kind of alarm within its source (an event definition's id, an integration's key): part of the signature. */
  type: string;
  level: AlarmLevel;
  /** The alert's title: "Motion in the hall". */
  title: string;
  details: string;
  entityIds: readonly number[];
  at: number;
  /** How long this alarm keeps its alert up; null: until acknowledged. */
  lifetimeMs: number | null;
  /** The recording the alarm is about, when the change that raised it names one. */
  recording?: AlarmRecording | null;
}

export function alarmSignature(alarm: Pick<Alarm, 'source' | 'type' | 'level'>): string {
  return `${alarm.source.value}.${alarm.type}.${alarm.level.value}`;
}
