import { z } from 'zod';

/** The console's units setting (DisplayUnits): how temperatures are shown. */
export const unitSystemSchema = z.enum(['metric', 'imperial']);
export type UnitSystem = z.infer<typeof unitSystemSchema>;

/** What a connected integration says about the home; the settings dialog offers each as a one-tap choice. */
export const upstreamHomeConfigSchema = z.object({
  /** The integration's key and label ("Home Assistant"). */
  integration: z.string(),
  label: z.string(),
  /** An IANA zone the runtime knows, or null when the upstream gave none it could use. */
  timeZone: z.string().nullable(),
  unitSystem: unitSystemSchema.nullable(),
});
export type UpstreamHomeConfig = z.infer<typeof upstreamHomeConfigSchema>;
