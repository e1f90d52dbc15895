// `npm start` as a user runs it, on a machine without the Electron binary: Electron's installer runs
// first against a mirror on 127.0.0.1 — a fake zip it installs and starts, or a 404 after which it says
// why in one line, falls back to browser mode, and the printed URL serves the app and answers the contract.
// And `npm run start:web` pinned to a local server by the LJD_* variables, as tests and scripts use it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinaryPath } from '../../../main/electron/binary';
import { startLocalServer } from '../../../main/local-server/index';
import { startElectronMirror, zipOf } from './fixtures/electron-mirror';
import { sessionCookieOf } from '../bridge/session';
import { npmCommand, stopTree, treeSpawnOptions } from '../../../scripts/lib/processes';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** `npm <args>` without a shell on every OS (npm.cmd on Windows needs one): npm's npm-cli.js on this Node */
const npm = (...args: string[]) => {
  const { command, args: full, shell } = npmCommand(args);
  return [command, full, { shell }] as const;
};
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string })
  .version;
/** Electron's variables a developer may have set; each test sets the ones it means. */
const noElectronEnv = { ELECTRON_MIRROR: '', ELECTRON_CUSTOM_DIR: '', ELECTRON_SKIP_BINARY_DOWNLOAD: '', ELECTRON_OVERRIDE_DIST_PATH: '' };

/** A port nobody listens on right now. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe.skipIf(electronBinaryPath() !== null)('npm start without the Electron binary, where it cannot be downloaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-start-'));
  let child: ChildProcess | null = null;
  let output = '';
  let mirror: Awaited<ReturnType<typeof startElectronMirror>> | null = null;

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) stopTree(child, 'SIGKILL');
    await mirror?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tries the installer, says why it failed in one line, starts browser mode, serves the UI and answers channels, stops on SIGTERM', async () => {
    mirror = await startElectronMirror(electronVersion, null);
    const [command, args, { shell }] = npm('start', '--silent');
    child = spawn(command, args, {
      cwd: root,
      shell,
      ...treeSpawnOptions(), // stopTree ends npm and everything under it
      env: {
        ...process.env,
        ...noElectronEnv,
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: join(dir, 'electron-cache'),
        LJD_DATA_DIR: join(dir, 'data'),
        LJD_NO_OPEN: '1',
        LJD_SERVER_ADDRESS: '',
        LJD_API_TOKEN: '',
        LJD_PORT: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await announcedUrl(() => output);
    const zipUrl = `${mirror.url}v${electronVersion}/electron-v${electronVersion}-${process.platform}-${process.arch}.zip`;
    expect(mirror.requests).toEqual([new URL(zipUrl).pathname]);
    expect(output).toContain(`downloading Electron ${electronVersion} for ${process.platform}-${process.arch} with its installer`);
    const said = output.split('\n').filter((line) => line.includes('could not be installed'));
    expect(said).toEqual([
      `Electron could not be installed (HTTPError: Response code 404 (Not Found) for ${zipUrl}); starting browser mode instead. Retry: npx install-electron`,
    ]);
    expect(output.match(/Error/g)).toHaveLength(1); // the reason once, no stack
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).toContain(`Data folder: ${join(dir, 'data')}.`);

    const cookie = await sessionCookieOf(url);
    const page = await fetch(new URL('/', url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="app">');

    const origin = new URL(url).origin;
    const info = await fetch(`${origin}/api/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    expect(await info.json()).toMatchObject({ ok: true, value: { transport: 'web', demo: true } });
    const refused = await fetch(`${origin}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);

    const exited = new Promise<string>((resolve) => child!.on('exit', (code, signal) => resolve(String(code ?? signal))));
    stopTree(child, 'SIGTERM');
    // Windows has no SIGTERM for console programs: taskkill ends the tree (exit code 1)
    expect(await exited).toMatch(process.platform === 'win32' ? /^\d+$/ : /^(0|143|SIGTERM)$/);
    // the app itself (npm's grandchild) shuts its server down too
    const stillUp = () =>
      fetch(`${origin}/`).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 50 && (await stillUp()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stillUp()).toBe(false);
  }, 200_000);
});

/** The login address of browser mode, once its whole announcement (address, then data folder) is out. */
const announcedUrl = (output: () => string) =>
  new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no announcement within 150 s:\n${output()}`)), 150_000);
    const poll = setInterval(() => {
      const match = /browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?code=\S+)\nData folder: .*Ctrl\+C to quit\./.exec(output());
      if (match) {
        clearTimeout(deadline);
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 100);
  });

/**
 * A copy of the project whose node_modules links every package of ours except electron, which is a
 * real copy without a binary: the installer writes there, never into the repository's node_modules.
 */
function projectWithoutElectronBinary(dir: string): string {
  const project = join(dir, 'project');
  const sources = [
    'main',
    'shared',
    'preload',
    'renderer',
    'scripts',
    'assets',
    'package.json',
    'tsconfig.json',
    'vite.config.ts',
    'vite.electron.config.ts',
    'svelte.config.js',
  ];
  for (const entry of sources) cpSync(join(root, entry), join(project, entry), { recursive: true });
  mkdirSync(join(project, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'electron' || entry === '.vite' || entry === '.cache') continue;
    symlinkSync(join(root, 'node_modules', entry), join(project, 'node_modules', entry));
  }
  cpSync(join(root, 'node_modules', 'electron'), join(project, 'node_modules', 'electron'), {
    recursive: true,
    filter: (from) => !/[\\/]electron[\\/](dist|path\.txt)$/.test(from),
  });
  return project;
}

// Where Electron's zip keeps its executable (install.js's getPlatformPath).
const executableInZip = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';

describe('npm start without the Electron binary, where the installer can download it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-start-install-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(process.platform === 'win32')(
    "runs Electron's installer against ELECTRON_MIRROR, checks its checksum, then starts the binary; once",
    async () => {
      const project = projectWithoutElectronBinary(dir);
      const zip = zipOf([
        { name: executableInZip, data: '#!/bin/sh\necho "FAKE-ELECTRON from the zip args=$*"\n', mode: 0o755 },
        { name: 'version', data: `v${electronVersion}`, mode: 0o644 },
      ]);
      const mirror = await startElectronMirror(electronVersion, zip);
      const start = () =>
        new Promise<{ status: number | null; output: string }>((resolve) => {
          let output = '';
          const [command, args, { shell }] = npm('start', '--silent');
          const run = spawn(command, args, {
            cwd: project,
            shell,
            env: {
              ...process.env,
              ...noElectronEnv,
              ELECTRON_MIRROR: mirror.url,
              electron_config_cache: join(dir, 'electron-cache'),
              electron_use_remote_checksums: '1', // our zip is not Electron's: the installer checks it against the mirror's SHASUMS256.txt
              LJD_NO_OPEN: '1',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
          run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
          run.on('exit', (status) => resolve({ status, output }));
        });
      try {
        const first = await start();
        expect(first.status, first.output).toBe(0);
        expect(first.output).toContain(
          `downloading Electron ${electronVersion} for ${process.platform}-${process.arch} with its installer`,
        );
        expect(first.output).toMatch(new RegExp(`^Electron ${electronVersion.replaceAll('.', '\\.')} installed in \\d+\\.\\d s\\.$`, 'm'));
        expect(first.output).toMatch(/^FAKE-ELECTRON from the zip args=(--no-sandbox )?\S+project$/m);
        expect(first.output).not.toContain('browser mode');
        const zipName = `electron-v${electronVersion}-${process.platform}-${process.arch}.zip`;
        expect(mirror.requests.sort()).toEqual([`/v${electronVersion}/${zipName}`, `/v${electronVersion}/SHASUMS256.txt`].sort());
        const installed = join(project, 'node_modules', 'electron');
        expect(readFileSync(join(installed, 'path.txt'), 'utf8')).toBe(executableInZip);
        expect(statSync(join(installed, 'dist', executableInZip)).mode & 0o111).not.toBe(0);
        expect(existsSync(join(root, 'node_modules', 'electron', 'path.txt'))).toBe(electronBinaryPath() !== null); // ours untouched

        const second = await start();
        expect(second.status, second.output).toBe(0);
        expect(second.output).not.toContain('downloading Electron');
        expect(second.output).toContain('FAKE-ELECTRON from the zip');
        expect(mirror.requests).toHaveLength(2);
      } finally {
        await mirror.close();
      }
    },
    300_000,
  );
});

describe('npm run start:web', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-start-web-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('honours LJD_SERVER_ADDRESS + LJD_API_TOKEN and LJD_PORT, and syncs from that server', async () => {
    const server = await startLocalServer({ port: 0, dataFile: join(dir, 'server.sqlite'), seed: 'demo' });
    const port = await freePort();
    let webOutput = '';
    const [command, args, { shell }] = npm('run', '--silent', 'start:web');
    const web = spawn(command, args, {
      cwd: root,
      shell,
      ...treeSpawnOptions(),
      env: {
        ...process.env,
        LJD_DATA_DIR: join(dir, 'web-data'),
        LJD_NO_OPEN: '1',
        LJD_SERVER_ADDRESS: server.url,
        LJD_API_TOKEN: server.adminToken,
        LJD_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web.stdout!.on('data', (chunk: Buffer) => (webOutput += chunk.toString()));
    web.stderr!.on('data', (chunk: Buffer) => (webOutput += chunk.toString()));
    try {
      const url = await announcedUrl(() => webOutput);
      expect(webOutput).not.toContain('Electron could not be installed');
      expect(new URL(url).port).toBe(String(port));
      const cookie = await sessionCookieOf(url);
      const call = async (channel: string) => {
        const answer = await fetch(`http://127.0.0.1:${port}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: '{}',
        });
        return (await answer.json()) as { ok: boolean; value: any };
      };
      expect(await call('app.info')).toMatchObject({ ok: true, value: { demo: false, serverAddress: server.url } });
      let teams: string[] = [];
      for (let i = 0; i < 100 && !teams.includes('my_team'); i++) {
        teams = ((await call('catalog.teams')).value as Array<{ name: string }>).map((t) => t.name);
        if (!teams.includes('my_team')) await new Promise((r) => setTimeout(r, 100));
      }
      expect(teams).toContain('my_team');
    } finally {
      const exited = new Promise((resolve) => web.once('exit', resolve));
      if (web.exitCode === null) stopTree(web, 'SIGTERM');
      await exited;
      await server.close();
    }
  }, 200_000);
});

describe('npm start with an Electron binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-start-electron-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A stand-in binary via ELECTRON_OVERRIDE_DIST_PATH (honoured by electron's own index.js too): it
  // reports how it was started. Proves the build-then-launch path, not Electron itself (electron.spec.ts).
  it.skipIf(process.platform === 'win32')(
    'builds the Electron bundles, then starts the binary on the app folder',
    () => {
      const fakeDist = join(dir, 'electron-dist');
      mkdirSync(fakeDist);
      writeFileSync(
        join(fakeDist, 'electron'),
        '#!/bin/sh\necho "FAKE-ELECTRON args=$* cwd=$(pwd) run_as_node=${ELECTRON_RUN_AS_NODE:-unset}"\nexit 0\n',
      );
      chmodSync(join(fakeDist, 'electron'), 0o755);
      const startedAt = Date.now();
      const [command, args, { shell }] = npm('start', '--silent');
      const run = spawnSync(command, args, {
        cwd: root,
        shell,
        encoding: 'utf8',
        timeout: 150_000,
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: fakeDist, ELECTRON_RUN_AS_NODE: '1', LJD_NO_OPEN: '1' },
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status, output).toBe(0);
      expect(output).not.toContain('Electron could not be installed');
      expect(output).not.toContain('downloading Electron');
      const appDir = root.replace(/\/$/, '');
      const root_ = process.getuid?.() === 0 ? '--no-sandbox ' : '';
      expect(output).toContain(`FAKE-ELECTRON args=${root_}${appDir} cwd=${appDir} run_as_node=unset`);
      for (const bundle of ['main.js', 'preload.cjs']) {
        expect(statSync(join(root, 'dist', 'electron', bundle)).mtimeMs, bundle).toBeGreaterThanOrEqual(startedAt - 1000);
      }
    },
    200_000,
  );
});
