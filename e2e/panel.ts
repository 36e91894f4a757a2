import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Page helpers: the panel's screens and controls by their test ids. */
export class Panel {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('app-shell')).toBeVisible();
    await expect(this.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  }

  async openSettings(tab: 'settings' | 'integrations' | 'triggers' | 'system' = 'settings'): Promise<void> {
    const dialog = this.page.getByTestId('settings-dialog');
    // A reload keeps the route, so the dialog may already be open.
    if (!(await dialog.isVisible())) await this.page.getByTestId('open-settings').click();
    await expect(dialog).toBeVisible();
    await this.page.getByTestId(`settings-tab-${tab}`).click();
    await expect(this.page.getByTestId(`settings-page-${tab}`)).toBeVisible();
  }

  settingInput(id: string) {
    return this.page.getByTestId(`setting-input-${id}`);
  }

  async setText(id: string, value: string): Promise<void> {
    await this.settingInput(id).fill(value);
    await this.page.getByTestId(`setting-save-${id}`).click();
  }
}
