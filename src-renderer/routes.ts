import { ConfigPageType, type EnumValue } from '../src-shared/enums';

/** Every screen, by name. Code navigates with `navigate({ name, ... })`, never by building location strings. */
export type Route = { name: 'home' } | { name: 'settings'; tab: EnumValue<typeof ConfigPageType> };

const routeTable = {
  home: { hash: () => '#/' },
  settings: { hash: (route: Extract<Route, { name: 'settings' }>) => `#/settings/${route.tab}` },
} as const;

export function routeHash(route: Route): string {
  return route.name === 'home' ? routeTable.home.hash() : routeTable.settings.hash(route);
}

export function parseRoute(hash: string): Route {
  const settings = /^#\/settings\/([a-z_]+)$/.exec(hash);
  if (settings && ConfigPageType.isName(settings[1]!)) return { name: 'settings', tab: ConfigPageType.fromName(settings[1]!).value };
  if (hash.startsWith('#/settings')) return { name: 'settings', tab: ConfigPageType.default.value };
  return { name: 'home' };
}

export function navigate(route: Route): void {
  window.location.hash = routeHash(route);
}
