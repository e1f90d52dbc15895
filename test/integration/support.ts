// Shared set-up for the integration suites (sync, core, bridge, cache, settings, worker): a local server on a
// data file in a temp dir, the core (in its worker, as the app runs it) on that server, an admin client, team
// members to assign jobs to, and a polling wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type RunningLocalServer } from '../../main/local-server';
import type { SuperviselyApi } from '../../main/supervisely/api';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { createCore, type Core, type CoreOptions } from '../../main/core';
import { startCoreWorker } from '../../main/worker/host';
import { afterAll, beforeAll } from 'vitest';

export const TEAM = 8;
export const DATASET = 10555;

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServer(
  dir: string,
  options: { port?: number; latencyMs?: number; failRate?: number } = {},
): Promise<RunningLocalServer> {
  return startLocalServer({
    port: options.port ?? 0,
    dataFile: join(dir, 'server.sqlite'),
    seed: 'demo',
    latencyMs: options.latencyMs ?? 0,
    failRate: options.failRate ?? 0,
  });
}

export interface CoreOnServerOptions {
  /** the server's world and number of jobs (startLocalServer's `world`, `jobs`); default the demo world */
  world?: 'demo' | 'team';
  jobs?: number;
  /** false: the core is created but not started, so a suite can listen or prepare the server first, then `core.start()` */
  start?: boolean;
  /** 'demo': the core gets no profile and runs on its own in-process server (this one stays free for the suite) */
  profile?: 'server' | 'demo';
  transport?: 'electron' | 'web';
  /** 'thread': createCore on the test's thread instead of the worker the app runs it in */
  runIn?: 'worker' | 'thread';
}

export interface CoreOnServer {
  readonly core: Core;
  readonly server: RunningLocalServer;
  readonly dir: string;
  /** the server back (closed first if it is not) on the same data file and port: what a core sees as "online again" */
  restartServer(): Promise<RunningLocalServer>;
  /** the core closed and a new one started on the same data folder and options: what survives an app restart */
  restartCore(): Promise<Core>;
}

/**
 * For one suite: a temp dir, a local server in it, and a core (in its worker, started unless `start: false`)
 * pointed at that server; all closed after the suite (closing what a test already closed is fine). Read `core`
 * and `server` inside tests (they exist once beforeAll ran; after a restart, they are the new ones).
 */
export function coreOnServer(prefix: string, options: CoreOnServerOptions = {}): CoreOnServer {
  const t = tempDir(prefix);
  let core: Core | null = null;
  let server: RunningLocalServer | null = null;
  let coreOptions: CoreOptions | null = null;
  const serverOn = (port: number) =>
    startLocalServer({ port, dataFile: join(t.dir, 'server.sqlite'), world: options.world ?? 'demo', jobs: options.jobs });
  const newCore = (o: CoreOptions) => (options.runIn === 'thread' ? createCore(o) : startCoreWorker(o));
  beforeAll(async () => {
    server = await serverOn(0);
    coreOptions = {
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      transport: options.transport,
      profileOverride: options.profile === 'demo' ? undefined : { serverAddress: server.url, apiToken: server.adminToken },
    };
    core = newCore(coreOptions);
    if (options.start !== false) await core.start();
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await server?.close();
    t.cleanup();
  });
  return {
    get core() {
      if (!core) throw new Error('coreOnServer: the core is created in beforeAll');
      return core;
    },
    get server() {
      if (!server) throw new Error('coreOnServer: the server starts in beforeAll');
      return server;
    },
    dir: t.dir,
    async restartServer() {
      if (!server) throw new Error('coreOnServer: the server starts in beforeAll');
      await server.close();
      server = await serverOn(server.port);
      return server;
    },
    async restartCore() {
      if (!core || !coreOptions) throw new Error('coreOnServer: the core is created in beforeAll');
      await core.close();
      core = newCore(coreOptions);
      await core.start();
      return core;
    },
  };
}

/** A client that checks the server independently of the app under test. */
export function adminApi(url: string, token: string): SuperviselyApi {
  return createSuperviselyApi({ serverAddress: url, apiToken: token, retryLimit: 6, retryBaseMs: 50, timeoutMs: 10_000 });
}

/** Creates team members (annotators by default) and returns their ids by login. */
export async function addMembers(api: SuperviselyApi, logins: string[], roleId = 3): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const login of logins) {
    const user = await api.users.create({ login, password: 'password123' });
    await api.users.addToTeam(user.id, TEAM, roleId);
    out[login] = user.id;
  }
  return out;
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A tiny HTTP server in front of the local server: forwards every request, except those for which
 * `intercept(method, body)` returns an answer (used to play a server that answers in a bad shape or
 * refuses a filter), a delay for the server's real answer, or its loss (the server acted, the client never hears).
 */
export async function interceptingProxy(
  target: string,
  intercept: (method: string, body: string) => { status: number; json: unknown } | { delayAnswerMs: number } | { loseAnswer: true } | null,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const upstreamUrl = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.url?.split('/').pop() ?? '';
      const answer = intercept(method, body.toString());
      if (answer && 'status' in answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json));
        return;
      }
      const delay = answer && 'delayAnswerMs' in answer ? answer.delayAnswerMs : 0;
      const up = request(
        { host: upstreamUrl.hostname, port: upstreamUrl.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          // the server answered now; the client hears it later (a slow network)
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () =>
            setTimeout(() => {
              if (answer && 'loseAnswer' in answer) return void res.destroy();
              res.writeHead(r.statusCode ?? 502, r.headers);
              res.end(Buffer.concat(parts));
            }, delay),
          );
        },
      );
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
