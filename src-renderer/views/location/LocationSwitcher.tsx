import type { LocationSummary, LocationViewSummary } from '../../../src-shared/model/location';
import { navigate } from '../../routes';

interface LocationSwitcherProps {
  locations: readonly LocationSummary[];
  location: LocationSummary;
  view: LocationViewSummary;
}

/** One tab per location, then one per view of the current location. */
export function LocationSwitcher({ locations, location, view }: LocationSwitcherProps) {
  const show = (target: LocationViewSummary | undefined) => target && navigate({ name: 'view', locationViewId: target.id });
  return (
    <nav class="location-switcher" aria-label="Locations and views" data-testid="location-switcher">
      <div class="switcher-group">
        {locations.map((l) => (
          <button
            type="button"
            key={l.id}
            class={l.id === location.id ? 'switcher-tab active' : 'switcher-tab'}
            aria-current={l.id === location.id ? 'page' : undefined}
            disabled={l.views.length === 0}
            data-testid={`location-tab-${l.id}`}
            onClick={() => show(l.views[0])}
          >
            {l.name}
          </button>
        ))}
      </div>
      <div class="switcher-group switcher-views">
        {location.views.map((v) => (
          <button
            type="button"
            key={v.id}
            class={v.id === view.id ? 'switcher-tab view-tab active' : 'switcher-tab view-tab'}
            aria-current={v.id === view.id ? 'page' : undefined}
            data-testid={`view-tab-${v.id}`}
            onClick={() => show(v)}
          >
            {v.name}
          </button>
        ))}
      </div>
    </nav>
  );
}
