// Every lock of the Electron shell in one place: CSP header, permissions denied, no navigation, no
// new windows (external http(s) links go to the system browser), no <webview>. Applied to the app's
// session and to every webContents the app ever creates.

import { shell, type App, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../bridge/csp';

/** Links the system browser may open: plain http(s) URLs, nothing else (no file:, no custom schemes). */
export function isExternalHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

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
  const openOutside = (url: string) => {
    if (isExternalHttpUrl(url)) {
      shell.openExternal(url).catch((err: unknown) => log?.(`security: could not open ${url}: ${String(err)}`));
    } else {
      log?.(`security: refused to open ${url}`);
    }
  };
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
