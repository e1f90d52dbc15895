// The About box: the app's version and every version it runs on (Electron, Chromium, Node, V8, the OS),
// in a dialog whose text a user can copy into a bug report.

import { dialog, type BrowserWindow } from 'electron';
import { release } from 'node:os';

export interface AboutFacts {
  appName: string;
  appVersion: string;
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>;
  os: string;
}

export function aboutDetail(facts: AboutFacts): string {
  const v = (name: keyof AboutFacts['versions']) => facts.versions[name] ?? 'unknown';
  return [
    `Version ${facts.appVersion}`,
    `Electron ${v('electron')}`,
    `Chromium ${v('chrome')}`,
    `Node ${v('node')}`,
    `V8 ${v('v8')}`,
    `OS ${facts.os}`,
  ].join('\n');
}

export function showAbout(window: BrowserWindow | null, appName: string, appVersion: string): Promise<unknown> {
  const detail = aboutDetail({ appName, appVersion, versions: process.versions, os: `${process.platform} ${process.arch} ${release()}` });
  const options = { type: 'info' as const, title: `About ${appName}`, message: appName, detail, buttons: ['OK'] };
  return window && !window.isDestroyed() ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
}
