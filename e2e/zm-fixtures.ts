import { test as base } from '@playwright/test';
import { startZmHome, stopZmHome, type ZmHome } from './zm-home';

export { ZM_PASSWORD, ZM_USER, type ZmCamera, type ZmHome } from './zm-home';

export const test = base.extend<{ zm: ZmHome }>({
  // Playwright needs an object pattern here even when the fixture depends on nothing.
  // eslint-disable-next-line no-empty-pattern
  zm: async ({}, use) => {
    const home = await startZmHome();
    try {
      await use(home);
    } finally {
      await stopZmHome(home);
    }
  },
});

export { expect } from '@playwright/test';
