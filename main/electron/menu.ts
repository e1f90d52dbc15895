// The application menu: the usual roles (app/file/edit/view/window/help) plus the app's own
// shortcuts (Sync now, Settings…). Reload and devtools only in unpackaged builds.

import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Core } from '../core';

export interface MenuOptions {
  core: Pick<Core, 'handlers'>;
  window: () => BrowserWindow | null;
  isPackaged: boolean;
  platform?: NodeJS.Platform;
  appName: string;
  log?: (line: string) => void;
}

const HELP_URL = 'https://docs.supervisely.com/labeling/labeling-jobs';

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { core, window, isPackaged, appName, log } = options;
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

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' }, { type: 'separator' }, settings, { type: 'separator' },
        { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' },
        { type: 'separator' }, { role: 'quit' },
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
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
      { label: 'Jobs', accelerator: 'CmdOrCtrl+1', click: () => goTo('#/jobs') },
      { label: 'Overview', accelerator: 'CmdOrCtrl+2', click: () => goTo('#/overview') },
      { label: 'Team', accelerator: 'CmdOrCtrl+3', click: () => goTo('#/team') },
      { label: 'Sync Queue', accelerator: 'CmdOrCtrl+4', click: () => goTo('#/sync') },
      { type: 'separator' },
      // CmdOrCtrl+R is Sync Now, so the developer reload moves to F5
      ...(isPackaged ? [] : [{ role: 'reload', accelerator: 'F5' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]),
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [{ label: 'Labeling Jobs in the Supervisely Docs', click: () => void shell.openExternal(HELP_URL) }],
  });
  return template;
}

export function installMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
