// The real Electron app, driven by Playwright's _electron, for what only Electron has: the window on
// app:// with the secure preferences, the CSP header on every response, only window.ljd from the
// preload, navigation / window.open / permissions refused, the token kept with safeStorage, a
// notification when a watched job reaches its status, a clean quit with the cache closed; and the
// packaged app (release/, after `npm run dist`) running its core worker and better-sqlite3 from app.asar.unpacked.
// Runs only where an Electron binary is installed (found without triggering a download); skipped,
// with the reason printed, elsewhere (e.g. our build machines). CI runs it: .github/workflows/ci.yml.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinaryPath } from '../../main/electron/binary';
import { startLocalServer, type RunningLocalServer } from '../../main/local-server/index';
import { ensureRendererBuilt } from '../../scripts/lib/renderer-build';
import { npmCommand } from '../../scripts/lib/processes';
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
  let server: RunningLocalServer;

  test.beforeAll(async () => {
    ensureRendererBuilt((line) => process.stdout.write(`${line}\n`));
    const npm = npmCommand(['run', '--silent', 'build:electron']);
    execFileSync(npm.command, npm.args, { cwd: root, stdio: 'inherit', shell: npm.shell });
    userData = mkdtempSync(join(tmpdir(), 'ljd-electron-e2e-'));
    server = await startLocalServer({ port: 0, dataFile: join(userData, 'server.sqlite'), seed: 'demo', jobs: 3 });
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
    await app?.close().catch(() => undefined); // the last test already quit it
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
    await expect
      .poll(
        async () =>
          page.evaluate(async () => {
            const answer = await (window as PageWindow).ljd!.invoke('catalog.teams', {});
            return answer.ok ? (answer.value as Array<{ name: string }>).map((t) => t.name) : [];
          }),
        { timeout: 30_000 },
      )
      .toContain('my_team');
    const info = await page.evaluate(() => (window as PageWindow).ljd!.invoke('app.info', {}));
    expect(info).toMatchObject({ ok: true, value: { demo: false, serverAddress: server.url } });
  });

  test('the CSP blocks eval, and window.open is denied', async () => {
    const result = await page.evaluate(() => {
      let evalResult = 'allowed';
      try {
        (0, eval)('1');
      } catch {
        evalResult = 'blocked';
      }
      return { eval: evalResult, opened: window.open('about:blank') === null };
    });
    expect(result).toEqual({ eval: 'blocked', opened: true });
    expect(app.windows()).toHaveLength(1);
  });
  test('Settings offers the update channel, and the choice is kept', async () => {
    await page.evaluate(() => {
      location.hash = '#/settings';
    });
    const channel = page.getByLabel('Update to');
    await expect(channel).toHaveValue('latest');
    await channel.selectOption('beta');
    await expect
      .poll(async () =>
        page.evaluate(async () => {
          const answer = await (window as PageWindow).ljd!.invoke('settings.get', {});
          return answer.ok ? (answer.value as { updateChannel: string }).updateChannel : null;
        }),
      )
      .toBe('beta');
  });

  test('every app:// response carries the CSP header: the page, its scripts and styles, and a 404', async () => {
    const headers = await page.evaluate(async () => {
      const urls = [
        location.href,
        'app://ljd/no-such-file.png',
        ...[...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src),
        ...[...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => (l as HTMLLinkElement).href),
      ];
      return Promise.all(
        urls.map(async (url) => {
          const answer = await fetch(url);
          return { url, status: answer.status, csp: answer.headers.get('content-security-policy') };
        }),
      );
    });
    expect(headers.length).toBeGreaterThanOrEqual(3);
    expect(headers.find((h) => h.url.endsWith('no-such-file.png'))?.status).toBe(404);
    for (const h of headers) expect(h.csp, h.url).toContain("script-src 'self'");
  });

  test('the preload adds window.ljd and nothing else: no ipcRenderer, electron, Buffer or global', async () => {
    const globals = await page.evaluate(() => {
      const fresh = document.createElement('iframe');
      document.body.append(fresh);
      const baseline = new Set(Object.getOwnPropertyNames(fresh.contentWindow!));
      fresh.remove();
      // what a preload could leak; the page's own globals (e.g. Svelte's __svelte) are not the preload's
      return Object.getOwnPropertyNames(window).filter(
        (name) => !baseline.has(name) && /^(ljd|ipc|electron|require|process|Buffer|global|module|exports)/i.test(name),
      );
    });
    expect(globals).toEqual(['ljd']);
  });

  test('navigation, window.open and permission requests are refused; https goes to the system browser, http after asking', async () => {
    await app.evaluate(({ dialog, shell }) => {
      const opened: string[] = [];
      const asked: string[] = [];
      Object.assign(globalThis, { ljdOpened: opened, ljdAsked: asked });
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
      // the user answers Cancel to the plain-http question
      dialog.showMessageBox = (async (...args: unknown[]) => {
        const options = args[args.length - 1] as { detail?: string };
        asked.push(options.detail ?? '');
        return { response: 0, checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    });
    const before = page.url();
    await page.evaluate(() => {
      location.href = 'https://example.com/navigated';
    });
    const opened = await page.evaluate(() => window.open('https://example.com/popup'));
    expect(opened).toBeNull();
    // never handed to the OS: other schemes start programs or read files; plain http asks first
    const refused = await page.evaluate(() =>
      [
        'file:///etc/passwd',
        'javascript:alert(1)',
        'vscode://file/etc/hosts',
        'https://a@example.com/',
        'http://plain.example.test:8081/x',
      ].map((url) => window.open(url)),
    );
    expect(refused).toEqual([null, null, null, null, null]);
    const permissions = await page.evaluate(async () => ({
      notifications: await Notification.requestPermission(),
      query: (await navigator.permissions.query({ name: 'geolocation' })).state,
      geolocation: await new Promise<number>((done) =>
        navigator.geolocation.getCurrentPosition(
          () => done(0),
          (err) => done(err.code),
        ),
      ),
    }));
    expect(permissions).toEqual({ notifications: 'denied', query: 'denied', geolocation: 1 }); // 1: PERMISSION_DENIED
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
    await expect
      .poll(() => app.evaluate(() => (globalThis as { ljdOpened?: string[] }).ljdOpened))
      .toEqual(['https://example.com/navigated', 'https://example.com/popup']);
    await expect
      .poll(() => app.evaluate(() => (globalThis as { ljdAsked?: string[] }).ljdAsked?.map((d) => d.split(':')[0])))
      .toEqual(['This link goes to plain.example.test']);
  });

  test('an API token is stored encrypted with safeStorage in userData/secrets.json (0600), never in clear', async () => {
    const token = 'e2e-token-that-must-not-appear-in-clear-0123456789';
    const saved = await page.evaluate(
      (apiToken) =>
        (window as PageWindow).ljd!.invoke('settings.saveProfile', {
          name: 'Encrypted',
          serverAddress: 'http://127.0.0.1:9',
          apiToken,
        }),
      token,
    );
    expect(saved).toMatchObject({ ok: true });
    const file = join(userData, 'app', 'secrets.json');
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain(token);
    const stored = JSON.parse(raw) as { format: string; tokens: Record<string, string> };
    expect(stored.format).toBe('ljd-safeStorage-1');
    const encrypted = Object.values(stored.tokens);
    expect(encrypted).toHaveLength(1);
    const decrypted = await app.evaluate(
      ({ safeStorage }, base64) => safeStorage.decryptString(Buffer.from(base64, 'base64')),
      encrypted[0]!,
    );
    expect(decrypted).toBe(token);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a desktop notification fires when a watched job reaches its status', async () => {
    await app.evaluate(({ Notification }) => {
      const shown: Array<{ title: string; body: string }> = [];
      (globalThis as { ljdShown?: typeof shown }).ljdShown = shown;
      Notification.prototype.show = function show(this: Electron.Notification) {
        shown.push({ title: this.title, body: this.body });
      };
    });
    const call = async <T>(method: string, body: Record<string, unknown>) => {
      const answer = await fetch(`${server.url}/public/api/v3/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': server.adminToken },
        body: JSON.stringify(body),
      });
      expect(answer.status, method).toBe(200);
      return (await answer.json()) as T;
    };
    const statusInApp = (id: number) =>
      page.evaluate(async (jobId) => {
        const ljd = (window as PageWindow).ljd!;
        await ljd.invoke('sync.now', {});
        const answer = await ljd.invoke('jobs.get', { id: jobId });
        return answer.ok ? ((answer.value as { job: { status: string } } | null)?.job.status ?? null) : null;
      }, id);
    const { entities } = await call<{ entities: Array<{ id: number; name: string }> }>('jobs.list', { teamId: 8, filter: [] });
    const job = entities[0]!;
    await call('jobs.set-status', { id: job.id, status: 'in_progress' });
    await expect.poll(() => statusInApp(job.id), { timeout: 30_000 }).toBe('in_progress');
    expect(
      await page.evaluate((jobId) => (window as PageWindow).ljd!.invoke('jobs.watch', { jobId, status: 'completed' }), job.id),
    ).toMatchObject({ ok: true });
    await call('jobs.set-status', { id: job.id, status: 'completed' });
    await expect.poll(() => statusInApp(job.id), { timeout: 30_000 }).toBe('completed');
    await expect
      .poll(() => app.evaluate(() => (globalThis as { ljdShown?: unknown[] }).ljdShown), { timeout: 30_000 })
      .toEqual([{ title: 'Job reached completed', body: `"${job.name}" is now completed.` }]);
  });

  // Last: it ends the app.
  test('quits cleanly: the process exits 0 and the cache is closed (no WAL left, integrity ok)', async () => {
    const exited = new Promise<number | null>((done) => app.process().once('exit', (code) => done(code)));
    await app.close();
    expect(await exited).toBe(0);
    const dataDir = join(userData, 'app');
    const files = readdirSync(dataDir, { recursive: true }).map(String);
    const caches = files.filter((f) => f.endsWith('.sqlite'));
    expect(caches.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('-wal') && statSync(join(dataDir, f)).size > 0)).toEqual([]);
    for (const cache of caches) {
      const db = new Database(join(dataDir, cache), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });
});

// The packaged app of this OS from `npm run dist` (electron-builder's unpacked folder in release/).
function packagedExecutable(): string | null {
  const candidates =
    {
      linux: ['release/linux-unpacked/labeling-jobs-desktop'],
      darwin: [
        'release/mac/Labeling Jobs Desktop.app/Contents/MacOS/Labeling Jobs Desktop',
        'release/mac-arm64/Labeling Jobs Desktop.app/Contents/MacOS/Labeling Jobs Desktop',
      ],
      win32: ['release/win-unpacked/Labeling Jobs Desktop.exe'],
    }[process.platform as 'linux' | 'darwin' | 'win32'] ?? [];
  return candidates.map((c) => join(root, c)).find((c) => existsSync(c)) ?? null;
}

test.describe('the packaged app', () => {
  const executable = packagedExecutable();
  test.skip(!executable, 'no packaged app in release/ (run `npm run dist` where downloads work; CI does)');

  // Started as a plain process: its fuses forbid the inspector Playwright's _electron would need.
  test("runs its core worker and better-sqlite3 from app.asar.unpacked (only this platform's prebuild) and opens its cache", async () => {
    const resources = process.platform === 'darwin' ? resolve(executable!, '../../Resources') : join(executable!, '..', 'resources');
    const prebuilds = join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds');
    const unpacked = join(prebuilds, `${process.platform}-${process.arch}.node`);
    expect(existsSync(unpacked), unpacked).toBe(true);
    expect(readdirSync(prebuilds)).toEqual([`${process.platform}-${process.arch}.node`]);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'dist', 'electron', 'core-worker.mjs'))).toBe(true);
    const dataDir = mkdtempSync(join(tmpdir(), 'ljd-packaged-'));
    const child = spawn(executable!, process.getuid?.() === 0 ? ['--no-sandbox'] : [], {
      env: { ...process.env, LJD_DATA_DIR: dataDir },
      stdio: 'ignore',
    });
    try {
      const log = join(dataDir, 'logs', 'main.log');
      await expect
        .poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 60_000 })
        .toContain('core: connected to the local server');
      if (process.platform === 'linux') {
        // the very file the process mapped
        expect(readFileSync(`/proc/${child.pid}/maps`, 'utf8')).toContain(unpacked);
      }
    } finally {
      child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
