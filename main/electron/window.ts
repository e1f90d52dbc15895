// The app window: secure webPreferences, the bundled sandboxed preload, the renderer from app://,
// and remembered bounds (userData/window-state.json).

import { BrowserWindow, nativeTheme, screen } from 'electron';
import { join } from 'node:path';
import { APP_URL } from './app-protocol';
import { fitBounds, MIN_SIZE, readWindowState, writeWindowState } from './window-state';

/** The webPreferences every app window gets; exported so the e2e test and a reader see them in one place. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

export function createAppWindow(options: {
  preload: string;
  userData: string;
  title: string;
  log?: (line: string) => void;
}): BrowserWindow {
  const stateFile = join(options.userData, 'window-state.json');
  const saved = readWindowState(stateFile);
  const bounds = fitBounds(
    saved.bounds,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: options.title,
    show: false,
    // the page's own background, so the window does not flash the other theme before it paints
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14171c' : '#f6f7f9', // renderer/src/app.css --bg
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = () => {
    try {
      writeWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      options.log?.(`window: could not save its bounds: ${String(err)}`);
    }
  };
  win.on('close', remember);

  win.loadURL(APP_URL).catch((err: unknown) => options.log?.(`window: could not load ${APP_URL}: ${String(err)}`));
  return win;
}
