// The e2e world: a real local Supervisely server (the local server, own SQLite file in a temp dir) and
// the real app core behind the real browser bridge, started as a process exactly as a user would
// (`npm run start:web` with LJD_* env). Nothing is stubbed. The server can be stopped and started
// again on the same port and data file to test offline work.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type Quirks, type RunningLocalServer } from '../../../main/local-server/index';
import { npmCommand, stopTree, treeSpawnOptions } from '../../../scripts/lib/processes';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface HarnessOptions {
  jobs?: number;
  /** added to every answer of the local server, so long runs can be watched */
  latencyMs?: number;
  /** ways real servers differ (main/local-server/quirks.ts), kept across stopServer/startServer */
  quirks?: Quirks;
  /** the world a new server file is seeded with (main/local-server: 'team' has datasets of up to 250,000 images) */
  world?: 'demo' | 'team';
}

export interface Harness {
  dir: string;
  serverUrl: string;
  adminToken: string;
  /** the URL the bridge printed: a one-time code that becomes the browser's session cookie */
  appUrl: string;
  /** the bridge's stdout and stderr (the core runs with LJD_DEBUG=1), each line stamped with the seconds since its launch */
  bridgeLog: string[];
  /**
   * starts the app; `apiToken` makes it act as another user of the local server (default: the admin);
   * `demo` starts it with no server override (demo mode, or the profiles saved in its data folder)
   */
  launchApp(options?: { apiToken?: string; demo?: boolean }): Promise<string>;
  /** the API token of any user of the local server */
  tokenFor(login: string): string;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** calls the local server's public API as the admin (user 7) */
  callServer<T = unknown>(method: string, body: Record<string, unknown>): Promise<T>;
  dispose(): Promise<void>;
}

/** every harness made in this worker since the last takeCreatedHarnesses() */
const created: Harness[] = [];

/**
 * The harnesses created since the last call, the earliest first: the fixtures take them around each test, to
 * keep their bridge logs when it fails (specs that make their own harness included).
 */
export function takeCreatedHarnesses(): Harness[] {
  return created.splice(0);
}

/** The end of a bridge log, at most `maxChars` characters from a line start, saying how much came before. */
export function logTail(log: readonly string[], maxChars = 200_000): string {
  const text = log.join('');
  if (text.length <= maxChars) return text;
  const cut = text.indexOf('\n', text.length - maxChars) + 1 || text.length - maxChars;
  return `[${cut} characters of the log before this left out]\n${text.slice(cut)}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-e2e-'));
  const dataFile = join(dir, 'server.sqlite');
  const serverPort = await freePort();
  const latencyMs = options.latencyMs ?? 0;
  let server: RunningLocalServer | null = await startLocalServer({
    port: serverPort,
    dataFile,
    seed: options.world ?? 'demo',
    ...(options.jobs ? { jobs: options.jobs } : {}),
    latencyMs,
    quirks: options.quirks,
  });
  const serverUrl = server.url;
  const adminToken = server.adminToken;
  let bridge: ChildProcess | null = null;
  const bridgeLog: string[] = [];

  const harness: Harness = {
    dir,
    serverUrl,
    adminToken,
    appUrl: '',
    bridgeLog,

    async launchApp(options = {}) {
      const appPort = await freePort();
      // LJD_E2E_BRIDGE may name another command that honours the same LJD_* env (e.g. a debug build).
      const custom = process.env.LJD_E2E_BRIDGE?.split(' ');
      // npm's npm-cli.js on this Node: no shell, on Windows too (npm.cmd needs one)
      const { command, args, shell } = custom
        ? { command: custom[0]!, args: custom.slice(1), shell: false }
        : npmCommand(['run', '--silent', 'start:web']);
      bridge = spawn(command, args, {
        cwd: root,
        shell,
        ...treeSpawnOptions(), // so dispose() stops npm and everything it started
        env: {
          ...process.env,
          LJD_DATA_DIR: join(dir, 'app'),
          ...(options.demo ? {} : { LJD_SERVER_ADDRESS: serverUrl, LJD_API_TOKEN: options.apiToken ?? adminToken }),
          LJD_PORT: String(appPort),
          LJD_NO_OPEN: '1',
          // the core's log lines (sync failures and stale lists, pushes, slow queries) in bridgeLog, for a failed test
          LJD_DEBUG: '1',
          BROWSER: 'none',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // each line of the log says when it came, in seconds since the launch: a stuck sync shows where it stopped
      const launchedAt = performance.now();
      const stamper = () => {
        let atLineStart = true;
        return (chunk: Buffer) => {
          const stamp = `[+${((performance.now() - launchedAt) / 1000).toFixed(1)} s] `;
          let text = '';
          for (const line of chunk.toString().split(/(?<=\n)/)) {
            text += (atLineStart ? stamp : '') + line;
            atLineStart = line.endsWith('\n');
          }
          bridgeLog.push(text);
        };
      };
      const fromStdout = stamper();
      bridge.stderr!.on('data', stamper());
      bridge.once('exit', (code, signal) => fromStdout(Buffer.from(`(the bridge exited: ${signal ?? `code ${code}`})\n`)));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The bridge printed no URL within 90 s:\n${bridgeLog.join('')}`)), 90_000);
        let found = false;
        const onData = (chunk: Buffer) => {
          fromStdout(chunk);
          if (found) return; // the log keeps growing: it is not searched again
          const match = /https?:\/\/(?:127\.0\.0\.1|localhost):\d+\/\S*/.exec(bridgeLog.join(''));
          if (match) {
            found = true;
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        bridge!.stdout!.on('data', onData);
        bridge!.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`The bridge exited (${code}) before printing its URL:\n${bridgeLog.join('')}`));
        });
      });
      harness.appUrl = url;
      return url;
    },

    tokenFor(login) {
      if (!server) throw new Error('The local server is stopped');
      return server.tokenFor(login);
    },

    async stopServer() {
      await server?.close();
      server = null;
    },

    async startServer() {
      if (server) return;
      server = await startLocalServer({ port: serverPort, dataFile, seed: 'demo', latencyMs, quirks: options.quirks });
    },

    async callServer<T>(method: string, body: Record<string, unknown>): Promise<T> {
      const response = await fetch(`${serverUrl}/public/api/v3/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': adminToken },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} → ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },

    async dispose() {
      if (bridge?.pid && bridge.exitCode === null) {
        const exited = new Promise((resolve) => bridge!.once('exit', resolve));
        stopTree(bridge, 'SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        stopTree(bridge, 'SIGKILL'); // whatever ignored SIGTERM (a no-op once the group is gone)
      }
      await server?.close();
      server = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  created.push(harness);
  return harness;
}

/** A jobs.add `meta` with nothing asked of the annotator (no classes, tags or limits), plus `over`. */
export function serverJobMeta(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    classes: [],
    projectTags: [],
    imageTags: [],
    imageFiguresLimit: 0,
    imageTagsLimit: 0,
    entityIds: [],
    dynamicClasses: false,
    dynamicTags: false,
    allowRestore: false,
    ...over,
  };
}

/** Creates a job on the server directly (not through the app), on the demo dataset, labelling lemons. */
export async function addServerJob(harness: Harness, name: string, userIds: number[] = [7]): Promise<number> {
  const meta = serverJobMeta({ classes: ['lemon'] });
  const [created] = await harness.callServer<{ id: number }[]>('jobs.add', { name, datasetId: 10555, userIds, meta });
  return created!.id;
}

/** Every job of team 8 on the server, archived ones included. */
export interface ServerJob {
  id: number;
  name: string;
  status: string;
  disabled: boolean;
  userId?: number;
  createdBy?: number;
}
export async function serverJobs(harness: Harness): Promise<ServerJob[]> {
  const all: ServerJob[] = [];
  for (let page = 1; ; page++) {
    const answer = await harness.callServer<{ entities: ServerJob[]; pagesCount: number }>('jobs.list', {
      teamId: 8,
      showDisabled: true,
      filter: [],
      per_page: 1000,
      page,
    });
    all.push(...answer.entities);
    if (page >= answer.pagesCount) return all;
  }
}
