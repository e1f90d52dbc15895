// Every lock of the Electron shell in one place: CSP header, permissions denied, no navigation, no
// new windows (https links go to the system browser, plain http ones after a confirmation; the rule is
// external-links.ts), no <webview>. Applied to the app's session and to every webContents the app ever creates.

import { BrowserWindow, dialog, shell, type App, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../bridge/csp';
import { createLinkOpener } from './external-links';

/** The session-wide locks: CSP on every response, every permission request and check denied. */
export function lockSession(ses: Session, log?: (line: string) => void): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log?.(`security: denied permission request '${permission}'`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** The per-page locks: no navigation away, no new windows, no webviews. */
export function lockWebContents(contents: WebContents, log?: (line: string) => void): void {
  const open = createLinkOpener({
    openExternal: (url) => shell.openExternal(url),
    confirmPlainHttp: async (url, host) => {
      const options = {
        type: 'warning' as const,
        buttons: ['Cancel', `Open ${host}`],
        defaultId: 0,
        cancelId: 0,
        message: 'Open an unencrypted link?',
        detail: `This link goes to ${host} over plain http: anyone on the way can read or change what it shows.\n\n${url}`,
      };
      const owner = BrowserWindow.fromWebContents(contents);
      const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
      return response === 1;
    },
    log,
  });
  const openOutside = (url: string) => void open(url);
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openOutside(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log?.('security: refused a <webview>');
  });
}

/** Locks every webContents the app creates (windows, and anything that slips past the handlers above). */
export function lockAllWebContents(app: App, log?: (line: string) => void): void {
  app.on('web-contents-created', (_event, contents) => lockWebContents(contents, log));
}
