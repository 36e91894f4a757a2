import { z } from 'zod';

/** A camera as the cameras view lists it: its name and, when it has one, its motion state and that state's value. */
export const cameraSummarySchema = z.object({
  entityId: z.number().int(),
  name: z.string(),
  motion: z.object({ stateId: z.number().int(), value: z.string().nullable() }).nullable(),
});
export type CameraSummary = z.infer<typeof cameraSummarySchema>;
