// The application menu: the usual roles (app/file/edit/view/window/help) plus the app's own
// shortcuts (New jobs Ctrl/Cmd+N, Sync now Ctrl/Cmd+R, Find Ctrl/Cmd+F, Settings…) and the About box.
// Menu clicks call core handlers directly or move the page's hash route: nothing is added to the
// contract. Reload and devtools only in unpackaged builds.

import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Core } from '../core';
import { showAbout } from './about';

export interface MenuOptions {
  core: Pick<Core, 'handlers'>;
  window: () => BrowserWindow | null;
  isPackaged: boolean;
  platform?: NodeJS.Platform;
  appName: string;
  appVersion: string;
  log?: (line: string) => void;
}

const HELP_URL = 'https://docs.supervisely.com/labeling/labeling-jobs';

/** Find: open the jobs view (keeping its filter) and focus its search box once it is rendered. A fixed script. */
export const FOCUS_JOB_SEARCH = `(() => {
  if (!location.hash.startsWith('#/jobs')) location.hash = '#/jobs';
  const focus = (triesLeft) => {
    const box = document.querySelector('input[type="search"]');
    if (box) { box.focus(); box.select(); } else if (triesLeft > 0) requestAnimationFrame(() => focus(triesLeft - 1));
  };
  focus(60);
})()`;

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { core, window, isPackaged, appName, appVersion, log } = options;
  const mac = (options.platform ?? process.platform) === 'darwin';
  const goTo = (hash: string) => {
    const win = window();
    if (!win || win.isDestroyed()) return;
    win.show();
    void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  };
  const syncNow = () => {
    core.handlers['sync.now']({}).catch((err: unknown) => log?.(`menu: sync now failed: ${String(err)}`));
  };
  const settings: MenuItemConstructorOptions = { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => goTo('#/settings') };
  const about: MenuItemConstructorOptions = {
    label: `About ${appName}`,
    click: () => void showAbout(window(), appName, appVersion).catch((err: unknown) => log?.(`menu: about failed: ${String(err)}`)),
  };
  const find = () => {
    const win = window();
    if (!win || win.isDestroyed()) return;
    win.show();
    void win.webContents.executeJavaScript(FOCUS_JOB_SEARCH);
  };

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: appName,
      submenu: [
        about,
        { type: 'separator' },
        settings,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      { label: 'New Labeling Jobs…', accelerator: 'CmdOrCtrl+N', click: () => goTo('#/create') },
      { label: 'Sync Now', accelerator: 'CmdOrCtrl+R', click: syncNow },
      ...(mac ? [] : [{ type: 'separator' } as const, settings]),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: 'Find Jobs…', accelerator: 'CmdOrCtrl+F', click: find },
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      { label: 'Jobs', accelerator: 'CmdOrCtrl+1', click: () => goTo('#/jobs') },
      { label: 'Overview', accelerator: 'CmdOrCtrl+2', click: () => goTo('#/overview') },
      { label: 'Team', accelerator: 'CmdOrCtrl+3', click: () => goTo('#/team') },
      { label: 'Sync Queue', accelerator: 'CmdOrCtrl+4', click: () => goTo('#/sync') },
      { type: 'separator' },
      // CmdOrCtrl+R is Sync Now, so the developer reload moves to F5
      ...(isPackaged
        ? []
        : [{ role: 'reload', accelerator: 'F5' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [
      { label: 'Labeling Jobs in the Supervisely Docs', click: () => void shell.openExternal(HELP_URL) },
      ...(mac ? [] : [{ type: 'separator' } as const, about]),
    ],
  });
  return template;
}

export function installMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
