// The Electron main process: lifecycle only. Single instance per data folder (a second launch focuses
// the first window); on ready, the core in its worker thread (with a safeStorage secret store), the IPC
// transport, the app:// protocol, the locks, menu, notifications and the window; on quit (menu,
// SIGINT/SIGTERM), the core closes within a time limit. No business logic lives here.

import { app, dialog, ipcMain, protocol, safeStorage, session, type BrowserWindow } from 'electron';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../core';
import { registerIpc, trustedSenderCheck } from './ipc';
import { launchEnvOf, type LaunchEnv } from '../bridge/launch-env';
import type { ReportProblem } from '../files/broken-files';
import { acquireDataFolderLock, type DataFolderLock } from '../files/dataFolderLock';
import { APP_SCHEME, APP_URL, serveAppRequest } from './app-protocol';
import { installMenu } from './menu';
import { showCoreNotifications } from './notifications';
import { createSafeStorageSecretStore } from './secrets';
import { lockAllWebContents, lockSession } from './security';
import { checkForUpdates } from './updates';
import { createAppWindow } from './window';
import { startCoreWorker } from '../worker/host';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, 'preload.cjs');
const RENDERER_DIR = join(app.getAppPath(), 'dist', 'renderer');
const TITLE = 'Labeling Jobs Desktop';

// LJD_DATA_DIR (a separate data folder: end-to-end tests, a second profile) must be applied before
// anything reads userData; LJD_SERVER_ADDRESS + LJD_API_TOKEN pin the server, as in browser mode.
let launch: LaunchEnv = { port: 0 };
try {
  launch = launchEnvOf(process.env);
} catch (err) {
  console.error(`Labeling Jobs Desktop cannot start: ${err instanceof Error ? err.message : String(err)}`);
  app.exit(2);
}
if (launch.dataDir) app.setPath('userData', launch.dataDir);

// Before 'ready': every renderer the app ever creates is sandboxed, whatever its webPreferences say.
app.enableSandbox();

// Must run before 'ready': app:// behaves like https (origin, CSP 'self', fetch) for our pages.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let logFile: string | null = null;
function log(line: string): void {
  const stamped = `${new Date().toISOString()} ${line}`;
  console.log(stamped);
  if (logFile) {
    try {
      appendFileSync(logFile, `${stamped}\n`);
    } catch {
      /* logging must never break the app */
    }
  }
}

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createAppWindow({ preload: PRELOAD, userData: app.getPath('userData'), title: TITLE, log });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function startApp(): Promise<void> {
  const userData = app.getPath('userData');
  mkdirSync(join(userData, 'logs'), { recursive: true });
  logFile = join(userData, 'logs', 'main.log');
  // Electron's instance lock guards only against a second Electron; browser mode on the same folder takes this one too.
  let lock: DataFolderLock;
  try {
    lock = acquireDataFolderLock(userData);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`data folder: ${message}`);
    dialog.showErrorBox(TITLE, message);
    app.exit(1);
    return;
  }

  lockAllWebContents(app, log);
  lockSession(session.defaultSession, log);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, RENDERER_DIR));

  const secrets = (report: ReportProblem) =>
    createSafeStorageSecretStore({ file: join(userData, 'secrets.json'), safeStorage, log, report });
  // the core (cache, sync) in its worker thread: this one keeps windows and IPC, and serves the tokens (safeStorage)
  core = startCoreWorker({
    dataDir: userData,
    secrets,
    transport: 'electron',
    log,
    heldLock: lock.proof,
    ...(launch.profileOverride ? { profileOverride: launch.profileOverride } : {}),
  });
  registerIpc({
    core,
    ipcMain,
    isTrustedSender: trustedSenderCheck({
      appUrl: APP_URL,
      mainFrame: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.mainFrame : null),
    }),
    eventTarget: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
    log,
  });
  showCoreNotifications(core, () => mainWindow);
  installMenu({ core, window: () => mainWindow, isPackaged: app.isPackaged, appName: TITLE, appVersion: app.getVersion(), log });
  showWindow();
  // The window opens on the cache at once; sync starts in the background.
  core.start().catch((err: unknown) => log(`core: start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  core.handlers['settings.get']({})
    .then(({ updateChannel }) =>
      checkForUpdates({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, channel: updateChannel, log }),
    )
    .catch((err: unknown) => log(`updates: check failed: ${String(err)}`));
}

// A quit waits for the core to close (sync stopped mid-step, outbox and cache written, database
// closed), but never longer than this: every change is in the outbox transaction already.
const CLOSE_LIMIT_MS = 5000;

// The lock lives in userData, so it is one instance per data folder (LJD_DATA_DIR was applied above).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => {
    if (core) showWindow();
  }); // macOS dock click
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    event.preventDefault(); // close the core (database, sync loop) before the process ends
    quitting = true;
    const closing = core;
    core = null;
    let limit: NodeJS.Timeout | undefined;
    const overdue = new Promise<void>((resolve) => {
      limit = setTimeout(() => {
        log(`core: still closing after ${CLOSE_LIMIT_MS} ms; quitting anyway`);
        resolve();
      }, CLOSE_LIMIT_MS);
    });
    Promise.race([closing.close().then(() => log('core: closed')), overdue])
      .catch((err: unknown) => log(`core: close failed: ${String(err)}`))
      .finally(() => {
        clearTimeout(limit);
        app.quit();
      });
  });
  // Ctrl+C in the terminal of `npm start`, or a session logout: the same clean quit as the menu's.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  app
    .whenReady()
    .then(startApp)
    .catch((err: unknown) => {
      log(`app: could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      app.exit(1);
    });
}
