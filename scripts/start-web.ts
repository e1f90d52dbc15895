// `npm run start:web`: browser mode — the app's core and UI on 127.0.0.1, opened in the default
// browser when there is one. Also the fallback of `npm start` where Electron's binary is missing.

import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startBrowserMode } from '../main/bridge/browser-mode';
import { ensureRendererBuilt, rendererDist } from './lib/renderer-build';

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Opens the URL in the user's browser where a desktop session exists; silently does nothing elsewhere.
 * The URL is on the opener's command line (readable by other local users): it must hold only a one-time code.
 */
function openInBrowser(url: string): void {
  if (process.env.LJD_NO_OPEN || process.env.CI || process.env.BROWSER === 'none') return;
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDisplay) return;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  // windowsHide: no console window flashing up for `cmd /c start`
  const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true, windowsHide: true });
  child.on('error', () => say('Could not open a browser by itself: open the address above.'));
  child.unref();
}

export async function runBrowserMode(): Promise<void> {
  ensureRendererBuilt(say);
  const debug = process.env.LJD_DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const mode = await startBrowserMode({ staticDir: rendererDist, ...(debug ? { log: debug } : {}) });
  // each link works once: the browser started here gets its own, so the printed one stays usable
  // one write: a reader of the pipe sees the address and the folder together, never half of it
  say(`Labeling Jobs Desktop (browser mode): ${mode.bridge.loginUrl()}\nData folder: ${mode.dataDir}. Press Ctrl+C to quit.`);
  openInBrowser(mode.bridge.loginUrl());

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    mode.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Stopping after ${signal} failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  runBrowserMode().catch((err: unknown) => {
    process.stderr.write(`Browser mode could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
