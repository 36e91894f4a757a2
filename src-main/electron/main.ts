import { app, BrowserWindow, dialog, ipcMain, net, powerSaveBlocker, protocol, safeStorage, session, type IpcMainInvokeEvent } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/csp';
import { PanelKind, Theme, WindowMode } from '../../src-shared/enums';
import { IpcError, type IpcResponse } from '../../src-shared/ipc/errors';
import { Hub } from '../hub';
import type { PanelSession } from '../ipc/panel-sessions';
import { consoleSettings } from '../modules/console/settings';
import { DATA_URL_PREFIX } from '../modules/location/location-manager';
import { readRuntimeConfig } from '../runtime-config';
import { PanelServer } from '../server/panel-server';
import { createLogger } from '../util/log';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels';
import { hubArgs } from './runtime-args';
import { SafeStorageCipher, safeStorageUnavailableReason } from './safe-storage-cipher';

const log = createLogger('electron');


const STOP_TIMEOUT_MS = 15_000;
const UNRESPONSIVE_RELOAD_MS = 10_000;
// A renderer that dies while loading would otherwise be reloaded in a tight loop.
const CRASH_RELOAD_DELAY_MS = 1_000;
// Close to each theme's page colour, so that a reload does not flash.
const BACKGROUND_DARK = '#121212';
const BACKGROUND_LIGHT = '#ffffff';

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const dataUrlRoot = path.join(path.dirname(rendererIndex), DATA_URL_PREFIX) + path.sep;
const forceKiosk = process.argv.includes('--kiosk');

let hub: Hub | undefined;
let panelServer: PanelServer | undefined;
let win: BrowserWindow | undefined;
let quitting = false;
let stopping: Promise<void> | undefined;
let exitCode = 0;

function fatal(error: unknown): void {
  log.error('Home Information cannot run', error);
  dialog.showErrorBox('Home Information cannot start', error instanceof Error ? error.message : String(error));
  exitCode = 1;
  // With a hub running, quit through before-quit so that it stops cleanly.
  if (hub) app.quit();
  else app.exit(1);
}

/** The renderer's own page, whatever its query or hash; fileURLToPath throws for any other scheme. */
function isAppUrl(url: string): boolean {
  try {
    return path.resolve(fileURLToPath(url)) === rendererIndex;
  } catch {
    return false;
  }
}

/** A stored plan or attachment, which the panel may open in a window of its own (a manual, a warranty). */
function isDataFileUrl(url: string): boolean {
  try {
    return path.resolve(fileURLToPath(url)).startsWith(dataUrlRoot);
  } catch {
    return false;
  }
}

function isOwnWindow(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return win !== undefined && !win.isDestroyed() && event.sender === win.webContents && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function windowMode(activeHub: Hub): WindowMode {
  if (forceKiosk) return WindowMode.KIOSK;
  return WindowMode.fromNameSafe(String(activeHub.settings.value(consoleSettings, 'window_mode')));
}

function applyWindowMode(target: BrowserWindow, mode: WindowMode): void {
  log.info(`Window mode ${mode.value}`);
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

/**
 * The renderer refers to plans and attachments by relative URLs (data/...), as browser panels do; in the window those
 * resolve beside index.html, so they are answered from the data dir instead. Only the folders panels may read.
 */
function serveDataFiles(dataDir: string): void {
  const readable = ['locations', 'files', path.join('files', 'thumbnails')];
  protocol.handle('file', (request) => {
    const file = path.resolve(fileURLToPath(request.url));
    if (!file.startsWith(dataUrlRoot)) return net.fetch(request, { bypassCustomProtocolHandlers: true });
    const relative = file.slice(dataUrlRoot.length);
    if (!readable.includes(path.dirname(relative))) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(path.join(dataDir, relative)).toString(), { bypassCustomProtocolHandlers: true });
  });
}

function secureSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`Denied the page's request for permission '${permission}'`);
    callback(false);
  });
}

function createWindow(activeHub: Hub, panel: PanelSession): BrowserWindow {
  const mode = windowMode(activeHub);
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
      backgroundThrottling: false,
      spellcheck: false,
    },
  });
  const contents = kioskWindow.webContents;
  kioskWindow.once('ready-to-show', () => kioskWindow.show());

  contents.setWindowOpenHandler(({ url }) =>
    isDataFileUrl(url)
      ? { action: 'allow', overrideBrowserWindowOptions: { autoHideMenuBar: true, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } } }
      : { action: 'deny' },
  );
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    log.warn(`Blocked navigation to ${event.url}`);
    event.preventDefault();
  });

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
        applyWindowMode(kioskWindow, windowMode(activeHub));
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

  kioskWindow.loadFile(rendererIndex).catch((error: unknown) => fatal(new Error(`Cannot load ${rendererIndex}; is the renderer built?`, { cause: error })));
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

/** Resolves false when the hub failed or did not stop in time; the process exits either way. */
async function stopHub(activeHub: Hub): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      log.error(`The hub did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`);
      resolve(false);
    }, STOP_TIMEOUT_MS);
  });
  try {
    await panelServer?.close();
    return await Promise.race([activeHub.stop().then(() => true), timedOut]);
  } catch (error) {
    log.error('The hub failed to stop cleanly', error);
    return false;
  } finally {
    clearTimeout(timer);
  }
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
    if (!hub) return;
    event.preventDefault();
    stopping ??= stopHub(hub).then((stopped) => app.exit(stopped ? exitCode : 1));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  await app.whenReady();
  const opened = await Hub.open({ runtime, cipher: secretCipher(), nativeBinding: electronNativeBinding() });
  try {
    await opened.start();
  } catch (error) {
    await opened.stop();
    throw error;
  }
  hub = opened;
  secureSession();
  serveDataFiles(path.resolve(runtime.dataDir));
  const panel = opened.panels.open(PanelKind.ELECTRON, true, Date.now());
  registerIpc(opened, panel);
  win = createWindow(opened, panel);
  await servePanels(opened, runtime.host, runtime.port);
}

/** The kiosk is the hub: it also serves browser panels to the house's tablets. The window works without it. */
async function servePanels(activeHub: Hub, host: string, port: number): Promise<void> {
  const server = new PanelServer({ hub: activeHub, host, port, staticDir: path.dirname(rendererIndex) });
  try {
    const url = await server.listen();
    panelServer = server;
    activeHub.setPanelServerUrl(url);
    log.info(`Serving browser panels at ${url}`);
  } catch (error) {
    log.warn(`Not serving browser panels on ${host}:${port}`, error);
  }
}

main().catch(fatal);
