import { useEffect } from 'preact/hooks';
import type { LocationSummary } from '../../../src-shared/model/location';
import { pickShownView } from '../../../src-shared/model/shown-view';
import { routeHash } from '../../routes';
import { useAppState } from '../../store';
import { EditErrorBanner } from './edit/EditErrorBanner';
import { FirstRunScreen } from './FirstRunScreen';
import { LocationSwitcher } from './LocationSwitcher';
import { PlanWorkspace } from './PlanWorkspace';
import { useLocationsRefresh, useViewData } from './use-plan-data';

/** The main screen: the home's plan, or the first-run choice when there is no home yet. */
export function LocationScreen() {
  const locations = useAppState((s) => s.locations);
  useLocationsRefresh();
  if (locations === null) {
    return (
      <div class="empty-state" data-testid="loading">
        <p>Connecting to the hub…</p>
      </div>
    );
  }
  return locations.length === 0 ? <FirstRunScreen /> : <LocationBrowser locations={locations} />;
}

function LocationBrowser({ locations }: { locations: LocationSummary[] }) {
  const route = useAppState((s) => s.route);
  const loadedViewId = useAppState((s) => s.viewData?.view.id ?? null);
  // Without a view in the address (behind the settings dialog or an alert, back from them) the plan stays on the view it showed.
  const wantedId = route.name === 'view' ? route.locationViewId : loadedViewId;
  const shown = pickShownView(locations, wantedId);
  const shownId = shown?.view.id ?? null;

  useEffect(() => {
    if (route.name === 'settings' || route.name === 'alert' || shownId === null || (route.name === 'view' && route.locationViewId === shownId)) return;
    // replace() rather than navigate(): the corrected address takes the place of the wrong one in history.
    window.location.replace(routeHash({ name: 'view', locationViewId: shownId }));
  }, [route, shownId]);

  const retry = useViewData(shownId);
  const viewData = useAppState((s) => s.viewData);
  const viewError = useAppState((s) => s.viewError);

  if (!shown) {
    return (
      <div class="empty-state" data-testid="no-views">
        <p>This home has no views to show.</p>
      </div>
    );
  }
  return (
    <div class="location-screen" data-testid="location-screen">
      <LocationSwitcher locations={locations} location={shown.location} view={shown.view} />
      {viewError !== null ? (
        <div class="plan-message" role="alert" data-testid="view-error">
          <p>{viewError}</p>
          <button type="button" data-testid="view-retry" onClick={retry}>
            Retry
          </button>
        </div>
      ) : viewData?.view.id === shownId ? (
        <PlanWorkspace key={shownId} data={viewData} />
      ) : (
        <div class="plan-message" data-testid="view-loading">
          <p>Loading the plan…</p>
        </div>
      )}
      <EditErrorBanner />
    </div>
  );
}
