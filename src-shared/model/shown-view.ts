import type { LocationSummary, LocationViewSummary } from './location';

export interface ShownView {
  location: LocationSummary;
  view: LocationViewSummary;
}

/** The view asked for, else the first view of the first location that has one: what a panel opens on. */
export function pickShownView(locations: readonly LocationSummary[], viewId: number | null): ShownView | null {
  for (const location of locations) {
    const view = location.views.find((v) => v.id === viewId);
    if (view) return { location, view };
  }
  const location = locations.find((l) => l.views.length > 0);
  return location ? { location, view: location.views[0]! } : null;
}
