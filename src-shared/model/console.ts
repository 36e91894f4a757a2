import { z } from 'zod';

/** A new PIN: digits only, long enough that guessing it within the attempt limits takes days. */
export const newPinSchema = z.string().regex(/^\d{4,12}$/, 'A PIN is 4 to 12 digits.');
/** A PIN as typed on the lock screen; a wrong one is refused by the hub, not here. */
export const pinAttemptSchema = z.string().regex(/^\d{1,12}$/, 'A PIN is digits only.');

/** The console as one panel sees it. The PIN itself, or its hash, never leaves the hub. */
export const consoleStatusSchema = z.object({
  /** This panel shows the lock screen and the hub refuses its other requests. */
  locked: z.boolean(),
  pinSet: z.boolean(),
  /** The sleep schedule says the screens sleep now. */
  sleepScheduled: z.boolean(),
});
export type ConsoleStatus = z.infer<typeof consoleStatusSchema>;

/** Pushed to every panel; each reads its own lock from `lockedPanelIds`. */
export const consoleChangedSchema = z.object({
  pinSet: z.boolean(),
  sleepScheduled: z.boolean(),
  lockedPanelIds: z.array(z.string()).max(10_000),
});
export type ConsoleChanged = z.infer<typeof consoleChangedSchema>;

/** A location view that shows an entity on its plan. */
export const entityViewRefSchema = z.object({
  entityId: z.number().int(),
  locationId: z.number().int(),
  locationViewId: z.number().int(),
});
export type EntityViewRef = z.infer<typeof entityViewRefSchema>;
