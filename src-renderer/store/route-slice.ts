import type { StateCreator } from 'zustand';
import type { Route } from '../routes';
import type { AppState } from './index';

export interface RouteSlice {
  route: Route;
  setRoute(route: Route): void;
}

export const createRouteSlice: StateCreator<AppState, [], [], RouteSlice> = (set) => ({
  route: { name: 'home' },
  setRoute(route) {
    set({ route });
  },
});
