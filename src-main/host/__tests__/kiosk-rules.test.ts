import { describe, expect, it } from 'vitest';
import { WindowMode } from '../../../src-shared/enums';
import {
  describeChildProcessGone,
  describeUncaught,
  devToolsAllowed,
  effectiveWindowMode,
  KIOSK_COMMAND_LINE_SWITCHES,
  removesApplicationMenu,
  showsStartupDialog,
} from '../kiosk-rules';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../permission-rules';

/** Every permission Electron 45 names in its session handlers. */
const ELECTRON_PERMISSIONS = [
  'ar', 'automatic-fullscreen', 'background-fetch', 'background-sync', 'captured-surface-control', 'clipboard-read',
  'clipboard-sanitized-write', 'deprecated-sync-clipboard-read', 'display-capture', 'fileSystem', 'fullscreen',
  'geolocation', 'geolocation-approximate', 'hand-tracking', 'hid', 'idle-detection', 'keyboardLock', 'local-fonts',
  'local-network', 'local-network-access', 'loopback-network', 'media', 'mediaKeySystem', 'midi', 'midiSysex', 'nfc',
  'notifications', 'openExternal', 'payment-handler', 'periodic-background-sync', 'persistent-storage', 'pointerLock',
  'screen-wake-lock', 'sensors', 'serial', 'smart-card', 'speaker-selection', 'storage-access', 'system-wake-lock',
  'top-level-storage-access', 'usb', 'vr', 'web-app-installation', 'web-printing', 'window-management', 'unknown',
];

describe('permissions', () => {
  it('denies every request and check, from the app itself and from anything else', () => {
    for (const permission of ELECTRON_PERMISSIONS) {
      for (const requestingUrl of ['app://panel/', 'app://panel/data/files/manual.pdf', 'https://example.com/', '']) {
        expect(decidePermissionRequest({ permission, requestingUrl }).granted, `${permission} ${requestingUrl}`).toBe(false);
        expect(decidePermissionCheck({ permission, requestingUrl }), `${permission} ${requestingUrl}`).toBe(false);
      }
    }
    expect(decidePermissionRequest({ permission: 'media', requestingUrl: 'app://panel/' }).reason).toMatch(/'media'.*app:\/\/panel/);
  });

  it('gives no page a device', () => {
    for (const deviceType of ['hid', 'serial', 'usb']) expect(decideDevicePermission({ deviceType, origin: 'app://panel' })).toBe(false);
  });
});

describe('kiosk window rules', () => {
  it('takes --kiosk over the setting, and reads an unknown setting as the default', () => {
    expect(effectiveWindowMode(true, 'windowed')).toBe(WindowMode.KIOSK);
    expect(effectiveWindowMode(false, 'kiosk')).toBe(WindowMode.KIOSK);
    expect(effectiveWindowMode(false, 'fullscreen')).toBe(WindowMode.FULLSCREEN);
    expect(effectiveWindowMode(false, 42)).toBe(WindowMode.WINDOWED);
  });

  it('removes the default menu (DevTools, Ctrl+R, Ctrl+W) in kiosk mode only', () => {
    expect(removesApplicationMenu(WindowMode.KIOSK)).toBe(true);
    expect(removesApplicationMenu(WindowMode.FULLSCREEN)).toBe(false);
    expect(removesApplicationMenu(WindowMode.WINDOWED)).toBe(false);
  });

  it('has DevTools only when not packaged', () => {
    expect(devToolsAllowed(true)).toBe(false);
    expect(devToolsAllowed(false)).toBe(true);
  });

  it('shows a start-up failure in a dialog on a desktop, never on a kiosk', () => {
    expect(showsStartupDialog(WindowMode.KIOSK)).toBe(false);
    expect(showsStartupDialog(WindowMode.WINDOWED)).toBe(true);
    expect(showsStartupDialog(WindowMode.FULLSCREEN)).toBe(true);
    // Before the hub has read its settings only --kiosk is known.
    expect(showsStartupDialog(null)).toBe(true);
  });

  it('lets alerts play sound without a gesture', () => {
    expect(KIOSK_COMMAND_LINE_SWITCHES).toContainEqual(['autoplay-policy', 'no-user-gesture-required']);
  });
});

describe('process events', () => {
  it('logs a gone GPU process as a warning and others as errors; a clean exit is routine', () => {
    expect(describeChildProcessGone({ type: 'GPU', reason: 'crashed', exitCode: 139 })).toEqual({ level: 'warn', message: 'GPU process gone: crashed, exit code 139' });
    expect(describeChildProcessGone({ type: 'Utility', name: 'Network Service', reason: 'oom', exitCode: 1 })).toEqual({
      level: 'error',
      message: 'Utility (Network Service) process gone: oom, exit code 1',
    });
    expect(describeChildProcessGone({ type: 'Utility', name: 'Audio Service', reason: 'clean-exit', exitCode: 0 }).level).toBe('info');
  });

  it('describes an uncaught error with its stack, and a rejection with any value', () => {
    const error = new Error('boom');
    const line = describeUncaught('uncaughtException', error);
    expect(line.level).toBe('error');
    expect(line.message).toContain(error.stack!);
    expect(describeUncaught('unhandledRejection', { code: 'E_SOMETHING' }).message).toMatch(/Unhandled rejection.*E_SOMETHING/);
  });
});
