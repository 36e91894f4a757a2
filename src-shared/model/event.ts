import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { AlarmLevel } from '../enums/alert';
import { ClauseOperator, EventType } from '../enums/event';
import { SecurityLevel } from '../enums/security';

const id = z.number().int().positive();
/** A rule fires at most this often, and looks back at most this far. */
export const MAX_EVENT_WINDOW_SECS = 3_600;
export const MAX_DEDUPE_WINDOW_SECS = 7 * 24 * 3_600;
export const MAX_CLAUSES = 10;

export const eventClauseInputSchema = z
  .object({
    entityStateId: id,
    operator: enumSchema(ClauseOperator),
    value: z.string().trim().min(1, 'A value to compare with is required.').max(100),
  })
  .strict();

export const alarmActionInputSchema = z
  .object({
    securityLevel: enumSchema(SecurityLevel),
    alarmLevel: enumSchema(AlarmLevel),
    /** Seconds its alert stays up; null: until acknowledged. */
    lifetimeSecs: z.number().int().positive().max(7 * 24 * 3_600).nullable(),
  })
  .strict();

export const controlActionInputSchema = z
  .object({
    /** A controllable state: the rule sets it. */
    entityStateId: id,
    value: z.string().trim().min(1).max(100),
  })
  .strict();

export const eventDefinitionInputSchema = z
  .object({
    name: z.string().trim().min(1, 'A name is required.').max(200, 'A name can be at most 200 characters.'),
    eventType: enumSchema(EventType),
    eventWindowSecs: z.number().int().min(1).max(MAX_EVENT_WINDOW_SECS),
    dedupeWindowSecs: z.number().int().min(0).max(MAX_DEDUPE_WINDOW_SECS),
    enabled: z.boolean(),
    clauses: z.array(eventClauseInputSchema).min(1, 'A rule needs at least one condition.').max(MAX_CLAUSES),
    alarmActions: z.array(alarmActionInputSchema).max(SecurityLevel.members.length),
    controlActions: z.array(controlActionInputSchema).max(10),
  })
  .strict();
export type EventDefinitionInput = z.infer<typeof eventDefinitionInputSchema>;

const stateRefSchema = z.object({
  entityStateId: z.number().int(),
  entityId: z.number().int(),
  entityName: z.string(),
  stateName: z.string(),
});

export const eventDefinitionViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  eventType: enumSchema(EventType),
  eventWindowSecs: z.number().int(),
  dedupeWindowSecs: z.number().int(),
  enabled: z.boolean(),
  /** Made for a sensor when it appeared; still editable. */
  isDefault: z.boolean(),
  clauses: z.array(stateRefSchema.extend({ operator: enumSchema(ClauseOperator), value: z.string() })),
  alarmActions: z.array(alarmActionInputSchema),
  controlActions: z.array(stateRefSchema.extend({ value: z.string() })),
  lastFiredAt: z.number().nullable(),
});
export type EventDefinitionView = z.infer<typeof eventDefinitionViewSchema>;

export const eventFiringSchema = z.object({
  id: z.number().int(),
  eventDefinitionId: z.number().int(),
  firedAt: z.number(),
  securityLevel: enumSchema(SecurityLevel),
  /** What happened: the values that matched, and what it did (or why not: alarms held, no action at this level). */
  details: z.string(),
});
export type EventFiring = z.infer<typeof eventFiringSchema>;

/** A state a rule can watch or set, for the rule editor's pickers. */
export const ruleStateOptionSchema = stateRefSchema.extend({
  stateType: z.string(),
  controllable: z.boolean(),
  /** The values it takes when known (on/off, a thermostat's modes). */
  choices: z.array(z.string()).nullable(),
});
export type RuleStateOption = z.infer<typeof ruleStateOptionSchema>;
