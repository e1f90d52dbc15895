// The bundled main process (dist/electron/main.js) booted in plain Node with a fake 'electron'
// (fixtures/fake-electron.mjs): the real core starts in demo mode, the IPC transport answers through
// the sender check, app:// serves the renderer with the CSP, the locks are in place, quit closes the core.
// It proves the wiring of the bundle, not Electron's own behaviour (that is test/e2e/electron.spec.ts).

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../../main/local-server/index';
import { acquireDataFolderLock } from '../../../main/files/dataFolderLock';
import { buildElectron } from './build';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'ljd-boot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function boot(extraEnv: Record<string, string> = {}, prepare?: (userData: string) => void) {
  const userData = mkdtempSync(join(scratch, 'userData-'));
  prepare?.(userData);
  const appPath = join(scratch, 'app');
  mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>boot test page</title>');
  const run = spawnSync(process.execPath, ['--import', join(import.meta.dirname, 'fixtures', 'register.mjs'), join(outDir, 'main.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 45_000,
    env: { ...process.env, LJD_FAKE_DRIVE: '1', LJD_FAKE_USERDATA: userData, LJD_FAKE_APPPATH: appPath, ...extraEnv },
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('LJD_RESULT '));
  if (!line) throw new Error(`main.js did not report (exit ${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  return { result: JSON.parse(line.slice('LJD_RESULT '.length)), userData, stdout: run.stdout };
}

let outDir: string;
beforeAll(() => {
  outDir = buildElectron(['main', 'worker']);
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('dist/electron/main.js booted on a fake electron', () => {
  let run: ReturnType<typeof boot>;
  beforeAll(() => {
    run = boot();
  }, 60_000);

  it('registers app:// as privileged before ready and loads the window from it', () => {
    expect(run.result.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(run.result.loadedUrl).toBe('app://ljd/index.html');
  });

  it('creates the window with the secure preferences and the bundled preload', () => {
    const prefs = run.result.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    });
    // the preload beside the bundle (compared by real path: node_modules may be a link)
    expect(basename(prefs.preload)).toBe('preload.cjs');
    expect(realpathSync(dirname(prefs.preload))).toBe(realpathSync(outDir));
  });

  it('answers app.info from the real core through IPC, with transport electron', () => {
    expect(run.result.channels).toBeGreaterThan(30);
    expect(run.result.appInfo).toMatchObject({ ok: true, value: { transport: 'electron', demo: true } });
  });

  it('reports the safeStorage protection (basic_text here) through settings.get', () => {
    expect(run.result.tokenProtection).toBe('basic_text');
  });

  it('refuses a foreign frame and an invalid payload', () => {
    expect(run.result.foreignFrame).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(run.result.invalid).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
  });

  it('serves the renderer over app:// with the CSP, and overrides any CSP header', () => {
    expect(run.result.page).toMatchObject({ status: 200, body: '<!doctype html><title>boot test page</title>' });
    expect(run.result.page.csp).toContain("script-src 'self'");
    expect(run.result.headers.responseHeaders).toEqual({ 'Content-Security-Policy': [run.result.page.csp] });
  });

  it('denies permissions, navigation, webviews and new windows (https goes to the system browser, plain http after asking)', () => {
    expect(run.result.permissionRequest).toBe(false);
    expect(run.result.permissionCheck).toBe(false);
    expect(run.result.navigationPrevented).toBe(true);
    expect(run.result.webviewPrevented).toBe(true);
    expect(run.result.windowOpen).toEqual(Array(5).fill({ action: 'deny' }));
    // file:, javascript: and custom schemes never reach the OS; the plain http link was asked about and declined
    expect(run.result.opened).toEqual(['https://example.com/docs', 'https://supervisely.com/x']);
    expect(run.result.linkDialogs).toEqual([
      expect.objectContaining({ message: 'Open an unencrypted link?', buttons: ['Cancel', 'Open plain.example.test:8081'], cancelId: 0 }),
    ]);
  });

  it('installs the menu with the app shortcuts (N, R, F) and devtools only unpackaged', () => {
    expect(run.result.menuLabels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'windowMenu', 'help']));
    expect(run.result.syncAccelerator).toBe('CmdOrCtrl+R');
    expect(run.result.accelerators).toMatchObject({
      'New Labeling Jobs…': 'CmdOrCtrl+N',
      'Sync Now': 'CmdOrCtrl+R',
      'Find Jobs…': 'CmdOrCtrl+F',
    });
    const accelerators = Object.values(run.result.accelerators as Record<string, string>);
    expect(new Set(accelerators).size).toBe(accelerators.length); // no shortcut bound twice
    expect(run.result.devtools).toBe(true);
  });

  it('Find opens the jobs view and focuses its search box', () => {
    expect(run.result.find).toEqual({ hash: '#/jobs', focused: true, selected: true });
  });

  it('sandboxes every renderer (app.enableSandbox) before the app is ready', () => {
    expect(run.result.sandboxBeforeReady).toBe(true);
  });

  it('remembers the window bounds in userData/window-state.json when the window closes', () => {
    expect(JSON.parse(readFileSync(join(run.userData, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 1, y: 2, width: 1000, height: 700 },
      maximized: false,
    });
    expect(statSync(join(run.userData, 'window-state.json')).mode & 0o777).toBe(0o600); // the user's alone, like every file the app writes
  });

  it('closes the core before quitting, and writes its data under userData', () => {
    expect(run.result.quitDone).toBe(true);
    expect(run.result.quitCalls).toBe(2); // first quit deferred until core.close() finished
    expect(readFileSync(join(run.userData, 'logs', 'main.log'), 'utf8').length).toBeGreaterThan(0);
  });

  it('takes LJD_DATA_DIR as userData and LJD_SERVER_ADDRESS + LJD_API_TOKEN as the server, like browser mode', () => {
    const dataDir = mkdtempSync(join(scratch, 'ljd-data-'));
    const pinned = boot({ LJD_DATA_DIR: dataDir, LJD_SERVER_ADDRESS: 'http://127.0.0.1:9', LJD_API_TOKEN: 'token-from-env' });
    expect(pinned.result.appInfo).toMatchObject({ ok: true, value: { demo: false, serverAddress: 'http://127.0.0.1:9' } });
    expect(readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(join(dataDir, 'window-state.json'), 'utf8')).toContain('"width":1000');
  }, 60_000);

  it('refuses to start with half a server profile in the environment, saying why', () => {
    const run = spawnSync(process.execPath, ['--import', join(import.meta.dirname, 'fixtures', 'register.mjs'), join(outDir, 'main.js')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 45_000,
      env: {
        ...process.env,
        LJD_FAKE_DRIVE: '1',
        LJD_FAKE_USERDATA: mkdtempSync(join(scratch, 'u-')),
        LJD_FAKE_APPPATH: scratch,
        LJD_SERVER_ADDRESS: 'http://127.0.0.1:9',
        LJD_API_TOKEN: '',
      },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Set both LJD_SERVER_ADDRESS and LJD_API_TOKEN');
  }, 60_000);

  it('has no devtools in the menu when packaged, and checks for no update without a publish target', () => {
    const packaged = boot({ LJD_FAKE_PACKAGED: '1' });
    expect(packaged.result.devtools).toBe(false);
    expect(readFileSync(join(packaged.userData, 'logs', 'main.log'), 'utf8')).toContain('updates: off (this build has no publish target)');
  }, 60_000);

  it('a second launch focuses the first window (restored from minimized) and opens no other', () => {
    expect(run.result.secondInstanceCalls).toEqual(['restore', 'show', 'focus']);
    expect(run.result.windowsAfterSecondInstance).toBe(1);
  });

  it('has an About box naming the app version and the Electron, Chromium, Node, V8 and OS versions', () => {
    expect(run.result.aboutLabel).toBe('About Labeling Jobs Desktop');
    expect(run.result.dialogs).toHaveLength(1);
    const { title, detail } = run.result.dialogs[0];
    expect(title).toBe('About Labeling Jobs Desktop');
    expect(detail).toMatch(/^Version 9\.8\.7-fake\nElectron \S+\nChromium \S+\nNode \d+\.\d+\.\d+\nV8 \S+\nOS \S+ \S+ \S+$/);
  });

  it('opens the window where it was last closed', () => {
    const restored = boot({}, (userData) =>
      writeFileSync(
        join(userData, 'window-state.json'),
        JSON.stringify({ bounds: { x: 40, y: 30, width: 1100, height: 750 }, maximized: false }),
      ),
    );
    expect(restored.result.initialBounds).toEqual({ x: 40, y: 30, width: 1100, height: 750 });
  }, 60_000);
});

describe('dist/electron/main.js lifecycle on a fake electron', () => {
  const mainArgs = () => ['--import', join(import.meta.dirname, 'fixtures', 'register.mjs'), join(outDir, 'main.js')];
  const appPath = () => {
    const dir = mkdtempSync(join(scratch, 'app-'));
    mkdirSync(join(dir, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'renderer', 'index.html'), '<!doctype html>');
    return dir;
  };

  it('a second instance on the same data folder quits at once: no window, no core, no channels', () => {
    const run = spawnSync(process.execPath, mainArgs(), {
      cwd: root,
      encoding: 'utf8',
      timeout: 45_000,
      env: {
        ...process.env,
        LJD_FAKE_DRIVE: 'second-instance',
        LJD_FAKE_SECOND_INSTANCE: '1',
        LJD_FAKE_USERDATA: mkdtempSync(join(scratch, 'u-')),
        LJD_FAKE_APPPATH: appPath(),
      },
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('LJD_RESULT '));
    expect(line, run.stdout + run.stderr).toBeDefined();
    expect(JSON.parse(line!.slice('LJD_RESULT '.length))).toEqual({ windows: 0, channels: 0, quitCalls: 1 });
  }, 60_000);

  it('refuses a data folder another process (browser mode) owns: one line naming it, an error box, exit 1, no core', () => {
    const userData = mkdtempSync(join(scratch, 'u-'));
    const lock = acquireDataFolderLock(userData); // this test process plays the browser-mode copy
    try {
      const run = spawnSync(process.execPath, mainArgs(), {
        cwd: root,
        encoding: 'utf8',
        timeout: 45_000,
        env: { ...process.env, LJD_FAKE_DRIVE: '', LJD_FAKE_USERDATA: userData, LJD_FAKE_APPPATH: appPath() },
      });
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toContain('LJD_EXIT 1');
      expect(run.stdout).toMatch(new RegExp(`data folder: The data folder .* is in use by process ${process.pid} `));
      expect(run.stdout).not.toContain('core: closed');
    } finally {
      lock.release();
    }
  }, 60_000);

  // The sync engine lets a running pull finish before it stops (it has no abort), which on a slow server
  // takes longer than a user waits: the shell quits after its limit, and the cache survives that too.
  it('quitting while a sync is running ends within the close limit (5 s), with the cache intact', async () => {
    const dir = mkdtempSync(join(scratch, 'slow-'));
    const server = await startLocalServer({ port: 0, dataFile: join(dir, 'server.sqlite'), seed: 'demo', jobs: 50, latencyMs: 400 });
    try {
      const userData = join(dir, 'userData');
      mkdirSync(userData);
      const run = spawnSync(process.execPath, mainArgs(), {
        cwd: root,
        encoding: 'utf8',
        timeout: 45_000,
        env: {
          ...process.env,
          LJD_FAKE_DRIVE: 'quit-while-syncing',
          LJD_FAKE_USERDATA: userData,
          LJD_FAKE_APPPATH: appPath(),
          LJD_SERVER_ADDRESS: server.url,
          LJD_API_TOKEN: server.adminToken,
        },
      });
      const line = run.stdout.split('\n').find((l) => l.startsWith('LJD_RESULT '));
      expect(line, run.stdout + run.stderr).toBeDefined();
      const result = JSON.parse(line!.slice('LJD_RESULT '.length));
      expect(result).toMatchObject({ syncingAtQuit: true, quitDone: true });
      expect(result.quitMs).toBeLessThan(5000 + 1500);
      const log = readFileSync(join(userData, 'logs', 'main.log'), 'utf8');
      expect(log).toMatch(/core: closed|core: still closing after 5000 ms; quitting anyway/);
      expect(log).not.toContain('close failed');
      const db = new Database(join(userData, 'cache-override.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      await server.close();
    }
  }, 60_000);

  it.skipIf(process.platform === 'win32')(
    'SIGTERM quits like the menu: the core closes first',
    async () => {
      const userData = mkdtempSync(join(scratch, 'u-'));
      const child = spawn(process.execPath, mainArgs(), {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LJD_FAKE_DRIVE: 'wait-for-signal', LJD_FAKE_USERDATA: userData, LJD_FAKE_APPPATH: appPath() },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('LJD_READY') && child.exitCode === null && !child.killed) child.kill('SIGTERM');
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, output).toBe(0);
      expect(output).toMatch(/LJD_RESULT \{"quitDone":true,"quitCalls":2\}/);
      expect(readFileSync(join(userData, 'logs', 'main.log'), 'utf8')).toContain('core: closed');
    },
    60_000,
  );
});
