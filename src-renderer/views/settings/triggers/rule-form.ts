import type { EventDefinitionInput, EventDefinitionView, RuleStateOption } from '../../../../src-shared/model/event';
import { AlarmLevel } from '../../../../src-shared/enums/alert';
import { SecurityLevel } from '../../../../src-shared/enums/security';

/** The editor's working copy of a rule: alarm actions by security level, lifetimes in minutes (blank: until acknowledged). */
export interface RuleDraft {
  name: string;
  eventType: EventDefinitionInput['eventType'];
  eventWindowSecs: number;
  dedupeWindowSecs: number;
  enabled: boolean;
  clauses: EventDefinitionInput['clauses'];
  alarms: Record<SecurityLevel['value'], { alarmLevel: AlarmLevel['value']; lifetimeMinutes: string }>;
  controlActions: EventDefinitionInput['controlActions'];
}

export function emptyDraft(states: readonly RuleStateOption[]): RuleDraft {
  const first = states[0];
  return {
    name: '',
    eventType: 'security',
    eventWindowSecs: 60,
    dedupeWindowSecs: 60,
    enabled: true,
    clauses: first ? [{ entityStateId: first.entityStateId, operator: 'eq', value: first.choices?.[0] ?? '' }] : [],
    alarms: Object.fromEntries(SecurityLevel.members.map((l) => [l.value, { alarmLevel: AlarmLevel.NONE.value, lifetimeMinutes: '10' }])) as RuleDraft['alarms'],
    controlActions: [],
  };
}

export function draftOf(rule: EventDefinitionView): RuleDraft {
  const alarms = Object.fromEntries(
    SecurityLevel.members.map((level) => {
      const action = rule.alarmActions.find((a) => a.securityLevel === level.value);
      return [level.value, { alarmLevel: action?.alarmLevel ?? AlarmLevel.NONE.value, lifetimeMinutes: action?.lifetimeSecs == null ? (action ? '' : '10') : String(action.lifetimeSecs / 60) }];
    }),
  ) as RuleDraft['alarms'];
  return {
    name: rule.name,
    eventType: rule.eventType,
    eventWindowSecs: rule.eventWindowSecs,
    dedupeWindowSecs: rule.dedupeWindowSecs,
    enabled: rule.enabled,
    clauses: rule.clauses.map((c) => ({ entityStateId: c.entityStateId, operator: c.operator, value: c.value })),
    alarms,
    controlActions: rule.controlActions.map((c) => ({ entityStateId: c.entityStateId, value: c.value })),
  };
}

/** The request the draft stands for; a lifetime that is not a positive number of minutes is an error the form shows. */
export function inputOf(draft: RuleDraft): { input: EventDefinitionInput } | { error: string } {
  if (draft.name.trim() === '') return { error: 'Give the rule a name.' };
  if ([...draft.clauses, ...draft.controlActions].some((part) => part.value.trim() === '')) return { error: 'Each condition and each action needs a value.' };
  const alarmActions: EventDefinitionInput['alarmActions'] = [];
  for (const level of SecurityLevel.members) {
    const alarm = draft.alarms[level.value];
    if (alarm.alarmLevel === AlarmLevel.NONE.value) continue;
    const text = alarm.lifetimeMinutes.trim();
    const minutes = Number(text);
    if (text !== '' && !(Number.isFinite(minutes) && minutes > 0)) return { error: `The alarm at ${level.label} needs a number of minutes, or none to last until acknowledged.` };
    alarmActions.push({ securityLevel: level.value, alarmLevel: alarm.alarmLevel, lifetimeSecs: text === '' ? null : Math.round(minutes * 60) });
  }
  return {
    input: {
      name: draft.name,
      eventType: draft.eventType,
      eventWindowSecs: draft.eventWindowSecs,
      dedupeWindowSecs: draft.dedupeWindowSecs,
      enabled: draft.enabled,
      clauses: draft.clauses,
      alarmActions,
      controlActions: draft.controlActions,
    },
  };
}

export function stateLabel(option: Pick<RuleStateOption, 'entityName' | 'stateName'>): string {
  return `${option.entityName} · ${option.stateName}`;
}
