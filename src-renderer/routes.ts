import { ConfigPageType, type EnumValue } from '../src-shared/enums';
import { viewIdOfHash } from './view-hash';

/** Every screen, by name. Code navigates with `navigate({ name, ... })`, never by building location strings. */
export type Route =
  | { name: 'home' }
  | { name: 'view'; locationViewId: number }
  | { name: 'settings'; tab: EnumValue<typeof ConfigPageType> }
  /** One alert's details over the plan: where an e-mailed alert's link leads. */
  | { name: 'alert'; alertId: number }
  /** Every camera's live picture in a grid. */
  | { name: 'cameras' };

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'view':
      return `#/view/${route.locationViewId}`;
    case 'settings':
      return `#/settings/${route.tab}`;
    case 'alert':
      return `#/alert/${route.alertId}`;
    case 'cameras':
      return '#/cameras';
  }
}

export function parseRoute(hash: string): Route {
  if (hash === '#/cameras') return { name: 'cameras' };
  const alert = /^#\/alert\/(\d+)$/.exec(hash);
  if (alert) return { name: 'alert', alertId: Number(alert[1]) };
  const locationViewId = viewIdOfHash(hash);
  if (locationViewId !== null) return { name: 'view', locationViewId };
  const settings = /^#\/settings\/([a-z_]+)$/.exec(hash);
  if (settings && ConfigPageType.isName(settings[1]!)) return { name: 'settings', tab: ConfigPageType.fromName(settings[1]!).value };
  if (hash.startsWith('#/settings')) return { name: 'settings', tab: ConfigPageType.default.value };
  return { name: 'home' };
}

export function navigate(route: Route): void {
  window.location.hash = routeHash(route);
}
