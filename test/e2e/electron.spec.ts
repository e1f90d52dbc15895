// The real Electron app, driven by Playwright's _electron: the window opens from app:// with the
// secure preferences, the page has window.ljd and no Node, and a call goes through IPC to the core.
// Runs only where an Electron binary is installed (found without triggering a download); skipped,
// with the reason printed, elsewhere (e.g. our build machines).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinaryPath } from '../../main/electron/binary';
import { startEmulator, type RunningEmulator } from '../../main/emulator/index';
import { ensureRendererBuilt } from '../../scripts/lib/renderer-build';
import type { LjdBridge } from '#shared/bridge-types';

const root = resolve(import.meta.dirname, '../..');
const binary = electronBinaryPath();
const SKIP_REASON = 'no Electron binary in node_modules/electron (path.txt + dist/); install it where downloads work to run this test';
if (!binary) process.stdout.write(`electron.spec.ts: skipped: ${SKIP_REASON}\n`);

type PageWindow = Window & { ljd?: LjdBridge };

test.describe('Electron app', () => {
  test.skip(!binary, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;
  let userData: string;
  let server: RunningEmulator;

  test.beforeAll(async () => {
    ensureRendererBuilt((line) => process.stdout.write(`${line}\n`));
    execFileSync('npm', ['run', '--silent', 'build:electron'], { cwd: root, stdio: 'inherit' });
    userData = mkdtempSync(join(tmpdir(), 'ljd-electron-e2e-'));
    server = await startEmulator({ port: 0, dataFile: join(userData, 'server.sqlite'), seed: 'demo' });
    app = await electron.launch({
      executablePath: binary!, // never let Playwright require('electron') (it would try to download)
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
      cwd: root,
      env: { ...process.env, LJD_DATA_DIR: join(userData, 'app'), LJD_SERVER_ADDRESS: server.url, LJD_API_TOKEN: server.adminToken },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    await server?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('opens one window on the app:// page', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^app:\/\/ljd\/index\.html/);
  });

  test('the window runs with contextIsolation, sandbox and no Node integration', async () => {
    // getLastWebPreferences() is real but missing from electron.d.ts (Electron's own specs use it)
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences?: () => unknown };
      return typeof contents.getLastWebPreferences === 'function' ? contents.getLastWebPreferences() : 'getLastWebPreferences is gone';
    });
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  test('the page sees window.ljd (invoke, on) and neither require nor process', async () => {
    const seen = await page.evaluate(() => {
      const w = window as PageWindow & { require?: unknown; process?: unknown };
      return {
        ljd: typeof w.ljd,
        keys: w.ljd ? Object.keys(w.ljd).sort() : [],
        require: typeof w.require,
        process: typeof w.process,
      };
    });
    expect(seen).toEqual({ ljd: 'object', keys: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
  });

  test('app.info through window.ljd.invoke answers ok over the electron transport', async () => {
    const answer = await page.evaluate(() => (window as PageWindow).ljd!.invoke('app.info', {}));
    expect(answer).toMatchObject({ ok: true, value: { transport: 'electron' } });
    const unknown = await page.evaluate(() => (window as PageWindow).ljd!.invoke('fs.readFile', { path: '/etc/passwd' }));
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    const invalid = await page.evaluate(() => (window as PageWindow).ljd!.invoke('jobs.get', { id: 'x' }));
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
  });

  test('a channel reaches the local server through main: the synced teams arrive', async () => {
    await expect.poll(async () => page.evaluate(async () => {
      const answer = await (window as PageWindow).ljd!.invoke('catalog.teams', {});
      return answer.ok ? (answer.value as Array<{ name: string }>).map((t) => t.name) : [];
    }), { timeout: 30_000 }).toContain('my_team');
    const info = await page.evaluate(() => (window as PageWindow).ljd!.invoke('app.info', {}));
    expect(info).toMatchObject({ ok: true, value: { demo: false, serverAddress: server.url } });
  });

  test('the CSP blocks eval, and window.open is denied', async () => {
    const result = await page.evaluate(() => {
      let evalResult = 'allowed';
      try { (0, eval)('1'); } catch { evalResult = 'blocked'; }
      return { eval: evalResult, opened: window.open('about:blank') === null };
    });
    expect(result).toEqual({ eval: 'blocked', opened: true });
    expect(app.windows()).toHaveLength(1);
  });
});
