/** How often idle content moves, and how long nobody must have touched the panel first. */
export const BURN_IN_PERIOD_MS = 3 * 60_000;

/** A small closed loop of offsets in pixels: static edges never stay on the same pixels for long. */
export const BURN_IN_OFFSETS: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [3, 0],
  [3, 3],
  [0, 3],
  [-3, 3],
  [-3, 0],
  [-3, -3],
  [0, -3],
  [3, -3],
];

export function nextBurnInStep(step: number): number {
  return (step + 1) % BURN_IN_OFFSETS.length;
}
