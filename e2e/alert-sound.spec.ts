import type { Page, Request } from '@playwright/test';
import config from '../playwright.config';
import { KIOSK_COMMAND_LINE_SWITCHES } from '../src-main/host/kiosk-rules';
import { CRITICAL_REPEAT_MS } from '../src-renderer/views/alert/sound-player';
import type { AlarmLevel } from '../src-shared/enums/alert';
import { HubClient } from './hub-client';
import { expect, test } from './live-fixtures';
import { Panel } from './panel';

const baseLaunch = config.use?.launchOptions ?? {};
const withAutoplay = (policy: string) => ({
  ...baseLaunch,
  args: [...(baseLaunch.args ?? []).filter((arg) => !arg.startsWith('--autoplay-policy=')), `--autoplay-policy=${policy}`],
});
/** The kiosk window's own switch, so this browser plays as the Electron window does. */
const KIOSK_AUTOPLAY = KIOSK_COMMAND_LINE_SWITCHES.find(([name]) => name === 'autoplay-policy')![1];

type Level = AlarmLevel['value'];

/** One rule per level that raises its alarm in every security mode, fired by hand as the Triggers tab's "Fire now". */
async function makeRules(url: string): Promise<Record<'info' | 'warning' | 'critical', number>> {
  const hub = await HubClient.connect(url);
  try {
    const [state] = await hub.call('event.states.list', {});
    const ids: Partial<Record<Level, number>> = {};
    for (const level of ['info', 'warning', 'critical'] as const) {
      const rule = await hub.call('event.create', {
        definition: {
          name: `Sound test ${level}`,
          eventType: 'security',
          eventWindowSecs: 60,
          dedupeWindowSecs: 0,
          enabled: true,
          clauses: [{ entityStateId: state!.entityStateId, operator: 'eq', value: 'never-matches' }],
          alarmActions: (['high', 'low', 'off'] as const).map((securityLevel) => ({ securityLevel, alarmLevel: level, lifetimeSecs: null })),
          controlActions: [],
        },
      });
      ids[level] = rule.id;
    }
    return ids as Record<'info' | 'warning' | 'critical', number>;
  } finally {
    hub.close();
  }
}

async function fire(url: string, ruleId: number): Promise<void> {
  const hub = await HubClient.connect(url);
  try {
    await hub.call('event.test', { eventDefinitionId: ruleId });
  } finally {
    hub.close();
  }
}

/** The sound files the page asked for, by name (the built files carry a content hash: `alarm-1a2b3c.wav`). */
function soundRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request: Request) => {
    const match = /\/assets\/([a-z-]+)-[\w-]+\.wav$/.exec(new URL(request.url()).pathname);
    if (match) names.push(match[1]!);
  });
  return names;
}

const plays = (page: Page, level: Level) => async () => Number(await page.getByTestId('alert-sound').getAttribute(`data-plays-${level}`));

// This file's browser plays as the kiosk window does; the blocked-autoplay test launches its own.
test.use({ launchOptions: withAutoplay(KIOSK_AUTOPLAY) });

test.describe('where sound may play without a tap (the kiosk window)', () => {

  test("each level plays its own sound; CRITICAL repeats until acknowledged; the header's mute silences every panel", async ({ page, live, browser }) => {
    test.setTimeout(120_000);
    const rules = await makeRules(live.server.url);
    const requested = soundRequests(page);
    const panel = new Panel(page);
    await panel.open(live.server.url);
    const sound = page.getByTestId('alert-sound');
    await expect(sound).toHaveAttribute('data-blocked', 'false');
    await expect(page.getByTestId('sound-unlock')).toBeHidden();

    await fire(live.server.url, rules.info);
    await expect.poll(plays(page, 'info')).toBe(1);
    await expect.poll(() => requested).toContain('chime');

    await fire(live.server.url, rules.warning);
    await expect.poll(plays(page, 'warning')).toBe(1);
    await expect.poll(() => requested).toContain('two-tone');

    await fire(live.server.url, rules.critical);
    await expect.poll(() => requested).toContain('alarm');
    await expect(sound).toHaveAttribute('data-playing', 'alarm');
    // It comes again, and again, while nobody acknowledges it.
    await expect.poll(plays(page, 'critical'), { timeout: 4 * CRITICAL_REPEAT_MS }).toBeGreaterThanOrEqual(3);
    // The most important first: the critical banner leads.
    const banner = page.locator('.alert-banner').first();
    await expect(banner).toHaveAttribute('data-level', 'critical');
    await banner.locator('.alert-ack').click();
    await expect(page.locator('.alert-banner[data-level="critical"]')).toHaveCount(0);
    await expect(sound).toHaveAttribute('data-playing', '');
    const afterAck = await plays(page, 'critical')();
    // Absence needs a wait: longer than one repetition.
    await page.waitForTimeout(CRITICAL_REPEAT_MS * 1.5);
    expect(await plays(page, 'critical')()).toBe(afterAck);

    // Mute on one panel: a second panel shows it too, and a new CRITICAL alert stays silent on both.
    const other = await browser.newPage();
    try {
      await new Panel(other).open(live.server.url);
      await page.getByTestId('sound-mute').click();
      for (const p of [page, other]) {
        await expect(p.getByTestId('sound-mute')).toHaveAttribute('data-muted', 'true');
        await expect(p.getByTestId('sound-mute-left')).toHaveText(/^1[45]:\d\d$/);
      }
      const mutedBefore = await plays(page, 'critical')();
      const otherBefore = await plays(other, 'critical')();
      await fire(live.server.url, rules.critical);
      await expect(page.locator('.alert-banner[data-level="critical"]')).toBeVisible();
      await expect(other.locator('.alert-banner[data-level="critical"]')).toBeVisible();
      await page.waitForTimeout(CRITICAL_REPEAT_MS * 1.5);
      expect(await plays(page, 'critical')()).toBe(mutedBefore);
      expect(await plays(other, 'critical')()).toBe(otherBefore);

      // Unmuted from the other panel: the open CRITICAL alert sounds again on both.
      await other.getByTestId('sound-mute').click();
      await expect(page.getByTestId('sound-mute')).toHaveAttribute('data-muted', 'false');
      await expect.poll(plays(page, 'critical')).toBeGreaterThan(mutedBefore);
      await expect.poll(plays(other, 'critical')).toBeGreaterThan(otherBefore);
    } finally {
      await other.close();
    }
  });

  test('the mute button fits the header at 1280×800 and 800×1280', async ({ page, live }) => {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 800, height: 1280 },
    ]) {
      await page.setViewportSize(size);
      await new Panel(page).open(live.server.url);
      const mute = page.getByTestId('sound-mute');
      await expect(mute).toBeVisible();
      await mute.click();
      await expect(page.getByTestId('sound-mute-left')).toBeVisible();
      const box = (await mute.boundingBox())!;
      const security = (await page.getByTestId('security-mode').boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      // Side by side with the security switch, never over it, and nothing in the header pushed off screen.
      expect(box.x >= security.x + security.width || box.x + box.width <= security.x).toBe(true);
      const settings = (await page.getByTestId('open-settings').boundingBox())!;
      expect(settings.x + settings.width).toBeLessThanOrEqual(size.width);
      expect(await page.locator('.app-header').evaluate((header) => header.scrollWidth <= header.clientWidth)).toBe(true);
      await page.screenshot({ path: test.info().outputPath(`header-muted-${size.width}x${size.height}.png`) });
      await mute.click();
      await expect(mute).toHaveAttribute('data-muted', 'false');
    }
  });
});

test('a browser that blocks sound shows "Tap to enable sound"; a tap hides it and the open CRITICAL alert sounds', async ({ playwright, live }) => {
  const browser = await playwright.chromium.launch(withAutoplay('document-user-activation-required'));
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    // The page's own word on a sound that failed (the player's warnings), in the log of a run that goes wrong.
    page.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') console.log(`[page ${message.type()}] ${message.text()}`);
    });
    const rules = await makeRules(live.server.url);
    const requested = soundRequests(page);
    await new Panel(page).open(live.server.url);
    const prompt = page.getByTestId('sound-unlock');
    // Asked for before any alert, so that the household enables sound before it matters.
    await expect(prompt).toBeVisible();
    await expect(prompt).toContainText('Tap to enable sound');
    // Under the plan, never over it: an untouched wall panel keeps every item in view, at its smallest size too.
    for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 1280 }, { width: 1024, height: 600 }]) {
      await page.setViewportSize(size);
      const promptBox = (await prompt.boundingBox())!;
      const planBox = (await page.locator('.app-main').boundingBox())!;
      expect(planBox.y + planBox.height).toBeLessThanOrEqual(promptBox.y + 0.5);
      expect(promptBox.y + promptBox.height).toBeLessThanOrEqual(size.height + 0.5);
      await page.screenshot({ path: test.info().outputPath(`sound-unlock-${size.width}x${size.height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await fire(live.server.url, rules.critical);
    await expect(page.locator('.alert-banner[data-level="critical"]')).toBeVisible();
    await expect(prompt).toBeVisible();
    expect(await plays(page, 'critical')()).toBe(0);
    await page.screenshot({ path: test.info().outputPath('sound-unlock-prompt.png') });

    await prompt.tap();
    await expect(prompt).toBeHidden();
    await expect(page.getByTestId('alert-sound')).toHaveAttribute('data-blocked', 'false');
    await expect.poll(plays(page, 'critical')).toBeGreaterThanOrEqual(1);
    await expect.poll(() => requested).toContain('alarm');
  } finally {
    await browser.close();
  }
});
