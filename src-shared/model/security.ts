import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { SecurityLevel, SecurityState } from '../enums/security';

export const securityHoldSchema = z.object({
  /** Away: the time to leave after switching to Away; snooze: someone asked for quiet. */
  reason: z.enum(['away', 'snooze']),
  /** Epoch ms when alarms count again. */
  until: z.number(),
});

export const securityStatusSchema = z.object({
  state: enumSchema(SecurityState),
  level: enumSchema(SecurityLevel),
  changedAt: z.number(),
  changedBy: z.enum(['user', 'schedule', 'start']),
  /** New alarms are held (not raised) until then. */
  hold: securityHoldSchema.nullable(),
  /** The next automatic switch, when the mode follows the clock. */
  nextSwitch: z.object({ at: z.number(), state: enumSchema(SecurityState) }).nullable(),
});
export type SecurityStatus = z.infer<typeof securityStatusSchema>;
