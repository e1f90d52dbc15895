// Public entry of the local Supervisely-compatible server: startLocalServer() opens (and seeds) its
// SQLite file, listens on 127.0.0.1 and returns a handle for tests, the CLI and the app's demo mode.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { getKv, openDatabase, setKv } from './store';
import { registerFilterFunctions } from './filters';
import { registerJobFunctions } from './jobs-model';
import { seedBase } from './seed';
import { seedJobs } from './seed-jobs';
import { TEAM_WORLD_JOBS, seedTeamWorld } from './world-team';
import { randomToken } from './secrets';
import { createLocalServerListener, type Faults } from './server';
import { startSimulation } from './simulate';
import { QuirkGate, checkQuirks, type Quirks } from './quirks';

export { LOOPBACK_CERT } from './tls-loopback';
export type { Quirks } from './quirks';

export interface LocalServerOptions {
  port?: number; // default 0 = free port; bind 127.0.0.1 only
  dataFile?: string; // SQLite file; default: a fresh file in os.tmpdir()
  token?: string; // admin API token; default: random 128 chars (persisted in the data file)
  /** The world a new (empty) data file is seeded with: the tutorial's 'demo' (default), 'empty', or 'team' (world-team.ts). */
  world?: World;
  seed?: World; // the older name of `world`
  jobs?: number; // demo/empty: add N realistic jobs to the admin's team; team: the world's number of jobs (default 100,000)
  simulate?: boolean | { intervalMs?: number }; // annotators move jobs through their statuses
  failRate?: number; // fraction of API requests answered with 5xx/429 or a dropped connection
  latencyMs?: number; // delay every answer
  loseRate?: number; // fraction of API calls applied and then answered by a dropped connection
  log?: (line: string) => void; // request log lines
  quirks?: Quirks; // ways real servers differ, each on its own (quirks.ts)
}

export type World = 'demo' | 'empty' | 'team';

export interface RunningLocalServer {
  url: string;
  port: number;
  /** With the httpsRedirect quirk: the TLS listener the plain port redirects to (trust LOOPBACK_CERT); else null. */
  httpsUrl: string | null;
  adminToken: string;
  dataFile: string;
  setFaults(f: { failRate?: number; latencyMs?: number; loseRate?: number }): void;
  tokenFor(login: string): string;
  close(): Promise<void>;
}

function checkFaults(f: { failRate?: number; latencyMs?: number; loseRate?: number }): void {
  if (f.failRate !== undefined && !(f.failRate >= 0 && f.failRate <= 1))
    throw new Error(`failRate must be between 0 and 1, got ${f.failRate}`);
  if (f.loseRate !== undefined && !(f.loseRate >= 0 && f.loseRate <= 1))
    throw new Error(`loseRate must be between 0 and 1, got ${f.loseRate}`);
  if (f.latencyMs !== undefined && !(f.latencyMs >= 0)) throw new Error(`latencyMs must be ≥ 0, got ${f.latencyMs}`);
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<RunningLocalServer> {
  checkFaults(options);
  checkQuirks(options.quirks ?? {});
  const quirks = new QuirkGate(options.quirks ?? {});
  if (options.token !== undefined && !options.token.trim()) throw new Error('token must not be empty');
  if (options.world && options.seed && options.world !== options.seed)
    throw new Error(`world '${options.world}' and seed '${options.seed}' disagree: give one`);
  const world = options.world ?? options.seed ?? 'demo';
  const dataFile = options.dataFile ?? join(tmpdir(), `supervisely-local-server-${randomUUID()}.sqlite`);
  const db = openDatabase(dataFile);
  registerFilterFunctions(db);
  registerJobFunctions(db);

  try {
    const isNew = (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n === 0;
    if (isNew) {
      db.transaction(() => {
        setKv(db, 'jwt_secret', randomToken(64));
        const adminId = seedBase(db, world === 'empty' ? 'empty' : 'demo', options.token ?? randomToken());
        if (world === 'team') {
          seedTeamWorld(db, adminId, Math.floor(options.jobs ?? TEAM_WORLD_JOBS), quirks.nowMs());
          setKv(db, 'seed', 'team');
        } else if (options.jobs && options.jobs > 0) seedJobs(db, Math.floor(options.jobs), adminId, quirks.nowMs());
      })();
      db.exec('ANALYZE');
    } else if (options.token) {
      const owner = db.prepare('SELECT id FROM users WHERE token = ?').get(options.token) as { id: number } | undefined;
      const adminId = Number(getKv(db, 'admin_user_id'));
      if (owner && owner.id !== adminId) throw new Error('The given token already belongs to another user of this data file');
      db.prepare('UPDATE users SET token = ? WHERE id = ?').run(options.token, adminId);
    }
  } catch (err) {
    db.close();
    throw err;
  }
  const adminId = Number(getKv(db, 'admin_user_id'));
  const adminToken = (db.prepare('SELECT token FROM users WHERE id = ?').get(adminId) as { token: string }).token;

  const faults: Faults = { failRate: options.failRate ?? 0, latencyMs: options.latencyMs ?? 0, loseRate: options.loseRate ?? 0 };
  let closed = false;
  let url = '';
  let httpsUrl: string | null = null;
  const deps = { db, faults, quirks, baseUrl: () => url, httpsUrl: () => httpsUrl ?? url, log: options.log, isClosed: () => closed };
  const listeners = [createLocalServerListener(deps), ...(options.quirks?.httpsRedirect ? [createLocalServerListener(deps, true)] : [])];
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const ports = await Promise.all(listeners.map(({ server }, i) => listen(server, i === 0 ? (options.port ?? 0) : 0))).catch(
    (err: unknown) => {
      for (const { server } of listeners) server.close();
      db.close();
      throw err;
    },
  );
  const port = ports[0]!;
  url = `http://127.0.0.1:${port}`;
  if (ports[1] !== undefined) httpsUrl = `https://127.0.0.1:${ports[1]}`;
  const sim = options.simulate;
  const stopSimulation = sim
    ? startSimulation(db, typeof sim === 'object' ? sim.intervalMs : undefined, undefined, () => new Date(quirks.nowMs()))
    : () => undefined;
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    httpsUrl,
    adminToken,
    dataFile,
    setFaults(f) {
      checkFaults(f);
      if (f.failRate !== undefined) faults.failRate = f.failRate;
      if (f.latencyMs !== undefined) faults.latencyMs = f.latencyMs;
      if (f.loseRate !== undefined) faults.loseRate = f.loseRate;
    },
    tokenFor(login) {
      if (closed) throw new Error('The local server is closed');
      const row = db.prepare('SELECT token FROM users WHERE login = ?').get(login) as { token: string } | undefined;
      if (!row) throw new Error(`No user with login '${login}'`);
      return row.token;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        stopSimulation();
        void Promise.all(listeners.map(({ server }) => new Promise((done) => server.close(done)))).then(() => {
          db.close();
          // A file we chose ourselves is scratch: leave nothing behind in the temp folder.
          if (!options.dataFile) for (const suffix of ['', '-wal', '-shm']) rmSync(dataFile + suffix, { force: true });
          resolve();
        });
        for (const { sockets } of listeners) for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
