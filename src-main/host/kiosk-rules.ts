import { inspect } from 'node:util';
import { WindowMode } from '../../src-shared/enums';

/** Chromium switches the kiosk sets before ready: alerts play their sound with nobody touching the panel. */
export const KIOSK_COMMAND_LINE_SWITCHES: readonly (readonly [string, string])[] = [['autoplay-policy', 'no-user-gesture-required']];

/** The window mode: `--kiosk` on the command line wins over the setting. */
export function effectiveWindowMode(forceKiosk: boolean, setting: unknown): WindowMode {
  if (forceKiosk) return WindowMode.KIOSK;
  return WindowMode.fromNameSafe(typeof setting === 'string' ? setting : null);
}

/**
 * Whether the default application menu goes: in kiosk mode it would offer DevTools, reload (Ctrl+R) and close
 * (Ctrl+W) to anyone at the panel. The other modes keep it (full screen leaves with the usual keys).
 */
export function removesApplicationMenu(mode: WindowMode): boolean {
  return mode === WindowMode.KIOSK;
}

/** DevTools only in a development run; a packaged app has none, whatever the mode. */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}

/**
 * A start-up failure is shown in a dialog only on a desktop window; a kiosk has nobody to click it away, so it only
 * logs (and exits). Later errors never open a dialog.
 */
export function showsStartupDialog(mode: WindowMode | null): boolean {
  return mode !== WindowMode.KIOSK;
}

export interface GoneProcess {
  type: string;
  reason: string;
  exitCode: number;
  name?: string;
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/**
 * app 'child-process-gone' (GPU, utility, network service…; renderers are handled per window): Chromium relaunches
 * these itself, so the host only logs. A clean exit is routine.
 */
export function describeChildProcessGone(gone: GoneProcess): LogLine {
  const what = `${gone.type}${gone.name ? ` (${gone.name})` : ''} process`;
  if (gone.reason === 'clean-exit') return { level: 'info', message: `${what} exited` };
  const level = gone.type === 'GPU' ? 'warn' : 'error';
  return { level, message: `${what} gone: ${gone.reason}, exit code ${gone.exitCode}` };
}

/** uncaughtException / unhandledRejection: logged, and the kiosk carries on; a wall panel must not stop at one bug. */
export function describeUncaught(kind: 'uncaughtException' | 'unhandledRejection', error: unknown): LogLine {
  const text = error instanceof Error ? (error.stack ?? error.message) : inspect(error);
  return { level: 'error', message: `${kind === 'uncaughtException' ? 'Uncaught exception' : 'Unhandled rejection'}; carrying on: ${text}` };
}
