// The core in its worker thread, through the same Core interface the transports use: calls answer
// from the worker, AppErrors cross the thread with their kind and message, events (sync progress)
// reach the main thread, tokens are served by the main thread's SecretStore, a dead worker is
// reported and restarted (then given up on, saying so), and close() returns only once the cache is closed.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type EventOf } from '#shared/contract';
import type { Core } from '../../../main/core';
import { startLocalServer } from '../../../main/local-server';
import type { SecretStore } from '../../../main/settings/secrets';
import { acquireDataFolderLock } from '../../../main/files/dataFolderLock';
import { CORE_GAVE_UP, CORE_RESTARTED, startCoreWorker } from '../../../main/worker/host';
import { startServer, tempDir, waitFor } from '../support';

const CRASHING = join(import.meta.dirname, '../../fixtures/crashingCoreWorker.ts');

describe('the core in a worker thread', () => {
  const t = tempDir('ljd-worker-');
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const dataDir = (name: string) => {
    const dir = join(t.dir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  it('answers calls, sends sync progress events, and closes the cache before close() resolves', async () => {
    const server = await startServer(t.dir);
    closers.push(() => server.close());
    const dir = dataDir('a');
    const lines: string[] = [];
    const core = startCoreWorker({
      dataDir: dir,
      homeDir: dir,
      syncIntervalSec: 3600,
      log: (l) => lines.push(l),
      profileOverride: { serverAddress: server.url, apiToken: server.adminToken },
    });
    const states: EventOf<'sync.state'>[] = [];
    core.on('sync.state', (s) => states.push(s));
    await core.start();
    await waitFor('first sync', async () => (await core.handlers['sync.state']({})).lastSyncAt);
    expect(states.some((s) => s.syncing && s.step !== null)).toBe(true);
    const info = await core.handlers['app.info']({});
    expect(info).toMatchObject({ demo: false, serverAddress: server.url, userLogin: 'my_username' });
    const page = await core.handlers['jobs.query']({ filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 10 });
    expect(page.total).toBeGreaterThanOrEqual(0);
    expect(lines.some((l) => l.startsWith('core: connected to'))).toBe(true);

    await core.close();
    // SQLite tracks locks per process: an exclusive lock from this thread succeeds only if the worker's connection is gone
    const db = new Database(join(dir, 'cache-override.sqlite'), { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    expect(() => db.exec('BEGIN EXCLUSIVE; COMMIT')).not.toThrow();
    db.close();
    await expect(core.handlers['app.info']({})).rejects.toMatchObject({ kind: 'internal', message: 'The app is closing.' });
  }, 60_000);

  it('keeps AppError kinds and messages across the thread boundary', async () => {
    const dir = dataDir('b');
    const core = startCoreWorker({ dataDir: dir, homeDir: dir, syncIntervalSec: 3600 });
    closers.push(() => core.close());
    await core.start();
    const refused = await core.handlers['settings.activateProfile']({ id: 'nope' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ kind: 'not_found', message: 'There is no profile nope. Reload Settings.' });
    await expect(core.handlers['settings.importEnv']({})).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('supervisely.env'),
    });
  }, 60_000);

  it('reads and writes tokens through the main thread\u2019s SecretStore, errors included', async () => {
    const dir = dataDir('c');
    const tokens = new Map<string, string>();
    const secrets: SecretStore = {
      protection: 'basic_text',
      get: (id) => tokens.get(id) ?? null,
      set: (id, token) => {
        if (token === 'refused') throw new AppError('internal', 'This system offers no way to encrypt the API token, so it was not saved.');
        tokens.set(id, token);
      },
      delete: (id) => void tokens.delete(id),
    };
    const core = startCoreWorker({ dataDir: dir, homeDir: dir, syncIntervalSec: 3600, secrets: () => secrets });
    closers.push(() => core.close());
    expect((await core.handlers['settings.get']({})).dataFileProblems).toEqual([]);
    const saved = await core.handlers['settings.saveProfile']({ name: 'p', serverAddress: 'http://127.0.0.1:9', apiToken: 'secret-1' });
    expect(saved.tokenProtection).toBe('basic_text');
    expect(saved.profiles).toEqual([expect.objectContaining({ name: 'p', hasToken: true })]);
    expect([...tokens.values()]).toEqual(['secret-1']);
    await expect(
      core.handlers['settings.saveProfile']({ name: 'q', serverAddress: 'http://127.0.0.1:9', apiToken: 'refused' }),
    ).rejects.toMatchObject({ kind: 'internal', message: 'This system offers no way to encrypt the API token, so it was not saved.' });
    const id = saved.profiles[0]!.id;
    await core.handlers['settings.deleteProfile']({ id });
    expect(tokens.size).toBe(0);
  }, 60_000);

  it('what the main thread\u2019s token store reports (at its start, and later) is listed by the core in Settings', async () => {
    const dir = dataDir('f');
    const damaged = (n: number) => ({
      file: join(dir, 'secrets.json'),
      keptAs: join(dir, `secrets.json.broken-${n}`),
      message: `damaged ${n}`,
    });
    let report: ((problem: ReturnType<typeof damaged>) => void) | null = null;
    const secrets = (r: typeof report & {}): SecretStore => {
      report = r;
      r(damaged(1));
      let reads = 0;
      return {
        protection: 'os',
        get: () => {
          if (++reads === 1) report?.(damaged(2));
          return null;
        },
        set: () => {},
        delete: () => {},
      };
    };
    const core = startCoreWorker({ dataDir: dir, homeDir: dir, syncIntervalSec: 3600, secrets });
    closers.push(() => core.close());
    expect((await core.handlers['settings.get']({})).dataFileProblems).toEqual([damaged(1)]);
    await core.handlers['settings.saveProfile']({ name: 'p', serverAddress: 'http://127.0.0.1:9' }); // reads tokens: damage 2
    expect((await core.handlers['settings.get']({})).dataFileProblems).toEqual([damaged(1), damaged(2)]);
  }, 60_000);

  it('a worker that dies is reported, restarted and started again; after too many deaths every call says so', async () => {
    const dir = dataDir('d');
    const lines: string[] = [];
    const core: Core = startCoreWorker({
      dataDir: dir,
      homeDir: dir,
      syncIntervalSec: 3600,
      entry: CRASHING,
      maxRestarts: 2,
      log: (l) => lines.push(l),
    });
    closers.push(() => core.close());
    const notices: EventOf<'notify'>[] = [];
    core.on('notify', (n) => notices.push(n));
    await core.start();

    await expect(core.handlers['sync.now']({})).rejects.toMatchObject({ kind: 'internal', message: CORE_RESTARTED });
    expect(notices).toEqual([{ title: 'The app restarted its core', body: CORE_RESTARTED, jobId: null }]);
    expect(lines.join('\n')).toContain('exited unexpectedly (code 7');
    const info = await waitFor('the restarted core', () => core.handlers['app.info']({}).catch(() => null));
    expect(info).toMatchObject({ demo: true });

    await expect(core.handlers['presets.list']({})).rejects.toMatchObject({ message: CORE_RESTARTED });
    expect(lines.join('\n')).toContain('boom in the core thread');
    await waitFor('the twice restarted core', () => core.handlers['app.info']({}).catch(() => null));

    await expect(core.handlers['sync.now']({})).rejects.toMatchObject({ message: CORE_GAVE_UP });
    await expect(core.handlers['app.info']({})).rejects.toMatchObject({ kind: 'internal', message: CORE_GAVE_UP });
    expect(notices.at(-1)).toMatchObject({ title: 'The app stopped working', body: CORE_GAVE_UP });
  }, 90_000);

  it('works under the main thread’s data-folder lock: the push loop adopts it instead of opening it again', async () => {
    const server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'jobs-server.sqlite'), seed: 'demo', jobs: 3 });
    closers.push(() => server.close());
    const dir = dataDir('e');
    const lock = acquireDataFolderLock(dir);
    closers.push(async () => lock.release());
    const profileOverride = { serverAddress: server.url, apiToken: server.adminToken };
    // without the proof, the worker's push loop meets this thread's lock and refuses, as a second process would
    const blind = startCoreWorker({ dataDir: dir, homeDir: dir, syncIntervalSec: 3600, profileOverride });
    await expect(blind.start()).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining(`process ${process.pid}`) });
    await blind.close();

    const core = startCoreWorker({ dataDir: dir, homeDir: dir, syncIntervalSec: 3600, profileOverride, heldLock: lock.proof });
    closers.push(() => core.close());
    await core.start();
    await waitFor('first sync', async () => (await core.handlers['sync.state']({})).lastSyncAt);
    const { rows } = await core.handlers['jobs.query']({ filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 1 });
    const job = rows[0]!;
    await core.handlers['jobs.stop']({ ids: [job.id] });
    await waitFor('the stop sent', async () => (await core.handlers['outbox.list']({ states: ['done'], limit: 10 })).length > 0 || null);
    expect((await core.handlers['sync.state']({})).outboxPending).toBe(0);
  }, 60_000);
});
