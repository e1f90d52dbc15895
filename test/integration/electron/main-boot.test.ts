// The bundled main process (dist/electron/main.js) booted in plain Node with a fake 'electron'
// (fixtures/fake-electron.mjs): the real core starts in demo mode, the IPC transport answers through
// the sender check, app:// serves the renderer with the CSP, the locks are in place, quit closes the core.
// It proves the wiring of the bundle, not Electron's own behaviour (that is test/e2e/electron.spec.ts).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, basename, dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from './build';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'ljd-boot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function boot(extraEnv: Record<string, string> = {}) {
  const userData = mkdtempSync(join(scratch, 'userData-'));
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
  outDir = buildElectron(['main']);
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('dist/electron/main.js booted on a fake electron', () => {
  let run: ReturnType<typeof boot>;
  beforeAll(() => { run = boot(); }, 60_000);

  it('registers app:// as privileged before ready and loads the window from it', () => {
    expect(run.result.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(run.result.loadedUrl).toBe('app://ljd/index.html');
  });

  it('creates the window with the secure preferences and the bundled preload', () => {
    const prefs = run.result.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, spellcheck: false });
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

  it('denies permissions, navigation, webviews and new windows (http(s) goes to the system browser)', () => {
    expect(run.result.permissionRequest).toBe(false);
    expect(run.result.permissionCheck).toBe(false);
    expect(run.result.navigationPrevented).toBe(true);
    expect(run.result.webviewPrevented).toBe(true);
    expect(run.result.windowOpen).toEqual([{ action: 'deny' }, { action: 'deny' }]);
    expect(run.result.opened).toEqual(['https://example.com/docs', 'https://supervisely.com/x']);
  });

  it('installs the menu with the app shortcuts (N, R, F) and devtools only unpackaged', () => {
    expect(run.result.menuLabels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'windowMenu', 'help']));
    expect(run.result.syncAccelerator).toBe('CmdOrCtrl+R');
    expect(run.result.accelerators).toMatchObject({ 'New Labeling Jobs…': 'CmdOrCtrl+N', 'Sync Now': 'CmdOrCtrl+R', 'Find Jobs…': 'CmdOrCtrl+F' });
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
    expect(JSON.parse(readFileSync(join(run.userData, 'window-state.json'), 'utf8'))).toEqual({ bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: false });
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
      cwd: root, encoding: 'utf8', timeout: 45_000,
      env: { ...process.env, LJD_FAKE_DRIVE: '1', LJD_FAKE_USERDATA: mkdtempSync(join(scratch, 'u-')), LJD_FAKE_APPPATH: scratch, LJD_SERVER_ADDRESS: 'http://127.0.0.1:9', LJD_API_TOKEN: '' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Set both LJD_SERVER_ADDRESS and LJD_API_TOKEN');
  }, 60_000);

  it('has no devtools in the menu when packaged', () => {
    expect(boot({ LJD_FAKE_PACKAGED: '1' }).result.devtools).toBe(false);
  }, 60_000);
});
