import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { PanelKind, Theme, WindowMode } from '../../src-shared/enums';
import { IpcError, type IpcResponse } from '../../src-shared/ipc/errors';
import type { Hub } from '../hub';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, planAppResponse, type AppProtocolRoots } from '../host/app-protocol';
import {
  describeChildProcessGone,
  describeUncaught,
  devToolsAllowed,
  effectiveWindowMode,
  KIOSK_COMMAND_LINE_SWITCHES,
  removesApplicationMenu,
  showsStartupDialog,
  type LogLine,
} from '../host/kiosk-rules';
import { decideDownload, decideNavigation, decideWindowOpen, isAppUrl } from '../host/navigation-rules';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../host/permission-rules';
import { runHub, type RunningHub, type ServedPanels, type StopOutcome } from '../host/run-hub';
import type { PanelSession } from '../ipc/panel-sessions';
import { webResponseReply } from '../modules/camera/camera-replies';
import { consoleSettings } from '../modules/console/settings';
import { readRuntimeConfig } from '../runtime-config';
import { PanelServer } from '../server/panel-server';
import { createLogger } from '../util/log';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels';
import { hubArgs } from './runtime-args';
import { SafeStorageCipher, safeStorageUnavailableReason } from './safe-storage-cipher';

const log = createLogger('electron');

const UNRESPONSIVE_RELOAD_MS = 10_000;
// A renderer that dies while loading would otherwise be reloaded in a tight loop.
const CRASH_RELOAD_DELAY_MS = 1_000;
// Close to each theme's page colour, so that a reload does not flash.
const BACKGROUND_DARK = '#121212';
const BACKGROUND_LIGHT = '#ffffff';

const rendererDir = path.join(__dirname, '..', 'renderer');
const forceKiosk = process.argv.includes('--kiosk');

// Before ready, as Electron requires: the app's own scheme and the Chromium switches.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
for (const [name, value] of KIOSK_COMMAND_LINE_SWITCHES) app.commandLine.appendSwitch(name, value);

let starting: Promise<RunningHub> | undefined;
let running: RunningHub | undefined;
let win: BrowserWindow | undefined;
let quitting = false;
let stopping: Promise<void> | undefined;
let exitCode = 0;

function writeLog(line: LogLine): void {
  log[line.level](line.message);
}

// A wall panel must not stop at one bug, nor show a dialog nobody can dismiss: log and carry on.
process.on('uncaughtException', (error) => writeLog(describeUncaught('uncaughtException', error)));
process.on('unhandledRejection', (reason) => writeLog(describeUncaught('unhandledRejection', reason)));
app.on('child-process-gone', (_event, details) => writeLog(describeChildProcessGone(details)));
app.on('web-contents-created', (_event, contents) => guardContents(contents));

function windowMode(hub: Hub | undefined): WindowMode | null {
  if (hub) return effectiveWindowMode(forceKiosk, hub.settings.value(consoleSettings, 'window_mode'));
  return forceKiosk ? WindowMode.KIOSK : null;
}

/** A failure to start: a dialog on a desktop window, only the log on a kiosk; then the app ends. */
function fatal(error: unknown): void {
  log.error('Home Information cannot run', error);
  if (showsStartupDialog(windowMode(running?.hub))) {
    dialog.showErrorBox('Home Information cannot start', error instanceof Error ? error.message : String(error));
  }
  exitCode = 1;
  // With a hub starting or running, quit through before-quit so that it stops cleanly.
  if (starting) app.quit();
  else app.exit(1);
}

/** Every webContents (the window, and anything a page might create): no navigation away, no second window, no webview. */
function guardContents(contents: WebContents): void {
  const enforce = (event: { url: string; isMainFrame: boolean; preventDefault(): void }, what: string): void => {
    const decision = decideNavigation({ url: event.url, isMainFrame: event.isMainFrame });
    if (decision.allow) return;
    log.warn(`Blocked ${what}: ${decision.reason}`);
    event.preventDefault();
  };
  contents.on('will-navigate', (event) => enforce(event, 'navigation'));
  contents.on('will-frame-navigate', (event) => enforce(event, 'frame navigation'));
  contents.on('will-redirect', (event) => enforce(event, 'redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    log.warn(`Blocked a new window: ${decision.reason}`);
    return { action: decision.action };
  });
  contents.on('will-attach-webview', (event) => {
    log.warn('Blocked a <webview>');
    event.preventDefault();
  });
}

function isOwnWindow(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return win !== undefined && !win.isDestroyed() && event.sender === win.webContents && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function applyWindowMode(target: BrowserWindow, mode: WindowMode): void {
  log.info(`Window mode ${mode.value}`);
  // Once gone the default menu stays gone until a restart: Electron has no way to bring it back.
  if (removesApplicationMenu(mode)) Menu.setApplicationMenu(null);
  target.setKiosk(mode === WindowMode.KIOSK);
  target.setFullScreen(mode !== WindowMode.WINDOWED);
}

/** Unpackaged runs use the Electron-ABI build from scripts/electron-native.mjs; packaged ones, node_modules as rebuilt. */
function electronNativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const file = path.join(app.getAppPath(), '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  if (existsSync(file)) return file;
  log.warn(`No Electron build of better-sqlite3 at ${file}; run node scripts/electron-native.mjs`);
  return undefined;
}

function secretCipher(): SafeStorageCipher | undefined {
  const reason = safeStorageUnavailableReason(safeStorage, process.platform);
  if (reason === null) return new SafeStorageCipher(safeStorage);
  // Hub.open falls back to the key file in the data dir.
  log.warn(`Secrets are encrypted with the key file in the data dir: ${reason}`);
  return undefined;
}

/** app://panel/ answers from the built renderer and app://panel/data/… from the data dir, as planAppResponse decides. */
function serveAppProtocol(target: Session, roots: AppProtocolRoots): void {
  target.protocol.handle(APP_SCHEME, async (request) => {
    const plan = planAppResponse({ method: request.method, url: request.url }, roots);
    if (plan.kind === 'refusal') return new Response(plan.body, { status: plan.status, headers: plan.headers });
    if (plan.kind === 'camera') {
      const cameras = running?.hub.cameras;
      if (!cameras) return new Response('The hub is starting.', { status: 503, headers: { ...plan.headers, 'Content-Type': 'text/plain; charset=utf-8' } });
      // The kiosk window is one panel on the hub itself.
      const { reply, response } = webResponseReply(plan.headers, plan.bodyless);
      void cameras.handle({ mode: plan.mode, entityId: plan.entityId, eventId: plan.eventId, clientKey: 'kiosk', panelKey: 'kiosk' }, reply);
      return response;
    }
    try {
      const file = await net.fetch(pathToFileURL(plan.file).toString());
      if (file.ok) return new Response(plan.bodyless ? null : file.body, { status: plan.status, headers: plan.headers });
    } catch (error) {
      log.debug(`app:// could not read ${plan.file}`, error);
    }
    return new Response('Not found', { status: 404, headers: { ...plan.headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  });
}

/** Nothing is saved from the panel: a download would open a file dialog on a wall panel. */
function refuseDownloads(target: Session): void {
  target.on('will-download', (event, item) => {
    log.warn(`Blocked a download: ${decideDownload(item.getURL()).reason}`);
    event.preventDefault();
  });
}

function denyPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const decision = decidePermissionRequest({ permission, requestingUrl: details.requestingUrl });
    if (!decision.granted) log.warn(decision.reason);
    callback(decision.granted);
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermissionCheck({ permission, requestingUrl: requestingOrigin }));
  target.setDevicePermissionHandler((details) => decideDevicePermission({ deviceType: details.deviceType, origin: details.origin }));
}

function createWindow(activeHub: Hub, panel: PanelSession): BrowserWindow {
  const mode = effectiveWindowMode(forceKiosk, activeHub.settings.value(consoleSettings, 'window_mode'));
  if (removesApplicationMenu(mode)) Menu.setApplicationMenu(null);
  const dark = Theme.fromNameSafe(String(activeHub.settings.value(consoleSettings, 'theme'))) === Theme.DARK;
  const kioskWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Home Information',
    backgroundColor: dark ? BACKGROUND_DARK : BACKGROUND_LIGHT,
    show: false,
    kiosk: mode === WindowMode.KIOSK,
    fullscreen: mode !== WindowMode.WINDOWED,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      // Only Chromium's PDF viewer is a plugin today; without it the in-app viewer would download PDFs instead.
      plugins: true,
      devTools: devToolsAllowed(app.isPackaged),
      backgroundThrottling: false,
      spellcheck: false,
    },
  });
  const contents = kioskWindow.webContents;
  kioskWindow.once('ready-to-show', () => kioskWindow.show());

  // A wall panel has nobody to click "reload": recover by itself.
  let reloadTimer: NodeJS.Timeout | undefined;
  let unresponsiveTimer: NodeJS.Timeout | undefined;
  const reloadSoon = (): void => {
    reloadTimer ??= setTimeout(() => {
      reloadTimer = undefined;
      if (!quitting && !contents.isDestroyed()) contents.reload();
    }, CRASH_RELOAD_DELAY_MS);
  };
  contents.on('render-process-gone', (_event, details) => {
    log.error(`Renderer gone (${details.reason}, exit code ${details.exitCode})`);
    reloadSoon();
  });
  contents.on('unresponsive', () => {
    log.warn(`Renderer unresponsive; reloading in ${UNRESPONSIVE_RELOAD_MS / 1000} s unless it recovers`);
    unresponsiveTimer ??= setTimeout(() => {
      unresponsiveTimer = undefined;
      if (quitting || contents.isDestroyed()) return;
      log.error('Renderer still unresponsive; restarting it');
      // A hung renderer cannot run a reload itself: kill it first.
      contents.forcefullyCrashRenderer();
      reloadSoon();
    }, UNRESPONSIVE_RELOAD_MS);
  });
  contents.on('responsive', () => {
    clearTimeout(unresponsiveTimer);
    unresponsiveTimer = undefined;
    log.info('Renderer responsive again');
  });

  const unsubscribes = [
    activeHub.events.onAny((name, payload) => {
      if (contents.isDestroyed()) return;
      // The emitter is hub code mid-operation: a payload that cannot be cloned must not fail it.
      try {
        contents.send(EVENT_CHANNEL, name, payload);
      } catch (error) {
        log.error(`Could not send ${name} to the window`, error);
      }
    }),
    activeHub.events.on('settings.changed', ({ settings }) => {
      if (settings.some((s) => s.subsystem === consoleSettings.subsystem && s.key === 'window_mode')) {
        applyWindowMode(kioskWindow, effectiveWindowMode(forceKiosk, activeHub.settings.value(consoleSettings, 'window_mode')));
      }
    }),
  ];
  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  kioskWindow.on('closed', () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    powerSaveBlocker.stop(blocker);
    clearTimeout(reloadTimer);
    clearTimeout(unresponsiveTimer);
    activeHub.closePanel(panel.id);
    win = undefined;
  });

  kioskWindow.loadURL(APP_ENTRY_URL).catch((error: unknown) => fatal(new Error(`Cannot load ${APP_ENTRY_URL} from ${rendererDir}; is the renderer built?`, { cause: error })));
  return kioskWindow;
}

function registerIpc(activeHub: Hub, panel: PanelSession): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, arg: unknown): Promise<IpcResponse> | IpcResponse => {
    if (!isOwnWindow(event)) {
      log.warn(`Ignored a request from an unknown sender (${event.senderFrame?.url ?? 'no frame'})`);
      throw new Error('unknown sender');
    }
    if (typeof name !== 'string') return { ok: false, error: IpcError.invalidArgument('The channel name must be a string').toData() };
    return activeHub.router.dispatch(name, arg, { panel });
  });
}

function focusWindow(): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** The kiosk is the hub: it also serves browser panels to the house's tablets. The window works without it. */
async function servePanels(activeHub: Hub, host: string, port: number): Promise<ServedPanels | null> {
  const server = new PanelServer({ hub: activeHub, host, port, staticDir: rendererDir });
  try {
    const url = await server.listen();
    log.info(`Serving browser panels at ${url}`);
    return { url, close: () => server.close() };
  } catch (error) {
    log.warn(`Not serving browser panels on ${host}:${port}`, error);
    return null;
  }
}

/** Stops the hub once, whether the app quits after a start, during one, or after a failed one. */
function stopAndExit(): Promise<void> {
  const outcome: Promise<StopOutcome> = starting ? starting.then((run) => run.stop(), () => 'failed' as const) : Promise.resolve('stopped');
  return outcome.then((result) => app.exit(result === 'stopped' ? exitCode : 1));
}

async function main(): Promise<void> {
  const runtime = readRuntimeConfig(hubArgs(process.argv, process.defaultApp === true), process.env, {
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
  });
  // The single-instance lock lives in Chromium's profile: keep it inside an explicit data dir, so that one data dir
  // has one app and instances on different data dirs (an e2e run beside the kiosk) do not hand over to each other.
  const dataDir = path.resolve(runtime.dataDir);
  if (dataDir !== app.getPath('userData')) {
    const profileDir = path.join(dataDir, 'electron');
    mkdirSync(profileDir, { recursive: true });
    app.setPath('userData', profileDir);
  }
  if (!app.requestSingleInstanceLock()) {
    log.info('Another instance is running on this data dir; focusing it instead');
    app.quit();
    return;
  }
  app.on('second-instance', focusWindow);
  // A kiosk has one window: closing it ends the app on every platform.
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    quitting = true;
    if (!starting) return;
    event.preventDefault();
    stopping ??= stopAndExit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  await app.whenReady();
  denyPermissions(session.defaultSession);
  refuseDownloads(session.defaultSession);
  serveAppProtocol(session.defaultSession, { rendererDir, dataDir });
  starting = runHub({
    hub: { runtime, cipher: secretCipher(), nativeBinding: electronNativeBinding() },
    serve: (hub) => servePanels(hub, runtime.host, runtime.port),
  });
  running = await starting;
  // A quit asked for during the start is already stopping the hub.
  if (quitting) return;
  const panel = running.hub.panels.open(PanelKind.ELECTRON, true, Date.now());
  registerIpc(running.hub, panel);
  win = createWindow(running.hub, panel);
}

main().catch(fatal);
