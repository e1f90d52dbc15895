// Closing the app during a long first pull (issue #11): the core (in its worker, as the app runs it) on the
// team world behind a proxy that answers one kind of list late, so the pull is mid-list when the core is
// closed. The close aborts the pull instead of waiting for it, ends within CLOSE_BOUND_MS, leaves a cache
// that reopens whole (integrity, rows kept, the interrupted list marked not fresh), and the next start
// completes the pull: every job and every dataset, nothing stale.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import type { Core } from '../../../main/core';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import { CLOSED_WORDING } from '../../../main/sync/pull/context';
import { startCoreWorker } from '../../../main/worker/host';
import { adminApi, interceptingProxy, tempDir, waitFor } from '../support';

const TEAMS = [8, 9, 10, 11, 12];
const CLOSE_BOUND_MS = 2_000;
/** a late answer: without the abort, a close waits for several of these in a row */
const LATE_MS = 3_000;

function readFile<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('closing the core during a long first pull', () => {
  const t = tempDir('ljd-close-pull-');
  let server: RunningLocalServer;
  let proxy: Awaited<ReturnType<typeof interceptingProxy>>;
  let serverJobIds: number[];
  let serverDatasetIds: number[];
  /** the list answered late while set: `jobs.list` after its first page, or every `datasets.list` */
  let late: 'jobs' | 'datasets' | null = null;
  /** datasets.list requests the proxy has seen */
  let datasetsAsked = 0;
  const open: Core[] = [];

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'team', jobs: 3_000 });
    const admin = adminApi(server.url, server.adminToken);
    serverJobIds = [];
    for (const teamId of TEAMS) serverJobIds.push(...(await admin.jobs.list({ teamId, showDisabled: true })).map((j) => j.id));
    serverJobIds.sort((a, b) => a - b);
    serverDatasetIds = readFile<{ id: number }>(server.dataFile, 'SELECT id FROM datasets ORDER BY id').map((r) => r.id);
    proxy = await interceptingProxy(server.url, (method, body) => {
      if (method === 'datasets.list') datasetsAsked++;
      if (late === 'jobs' && method === 'jobs.list' && /"page":\s*([2-9]|\d\d)/.test(body)) return { delayAnswerMs: LATE_MS };
      if (late === 'datasets' && method === 'datasets.list') return { delayAnswerMs: LATE_MS };
      return null;
    });
  }, 60_000);

  afterAll(async () => {
    for (const core of open) await core.close().catch(() => undefined);
    await proxy?.close();
    await server?.close();
    t.cleanup();
  }, 60_000);

  const startCore = async (dataDir: string): Promise<Core> => {
    const core = startCoreWorker({
      dataDir,
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: proxy.url, apiToken: server.adminToken },
    });
    open.push(core);
    await core.start();
    return core;
  };
  const closeTimed = async (core: Core): Promise<number> => {
    const started = performance.now();
    await core.close();
    open.splice(open.indexOf(core), 1);
    return performance.now() - started;
  };
  const cacheFile = (dataDir: string) =>
    join(
      dataDir,
      readdirSync(dataDir).find((f) => /^cache-.*\.sqlite$/.test(f))!,
    );
  const cachedIds = async (core: Core) =>
    Array.from(decodeIdRuns((await core.handlers['jobs.idSet']({ filter: { showArchived: true } })).runs));
  const syncedAgain = async (core: Core) => {
    await core.handlers['sync.now']({});
    return waitFor(
      'the next pull',
      async () => {
        const s = await core.handlers['sync.state']({});
        return !s.syncing && s.lastSyncAt ? s : null;
      },
      60_000,
    );
  };

  /** What the closed core left: a whole file, the rows written, the interrupted list marked failed (read again next time). */
  const expectConsistent = (dataDir: string, interruptedList: RegExp) => {
    const file = cacheFile(dataDir);
    expect(readFile<{ integrity_check: string }>(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const lists = readFile<{ list: string; last_error: string | null }>(file, 'SELECT list, last_error FROM sync_state');
    const interrupted = lists.filter((l) => interruptedList.test(l.list) && l.last_error);
    expect(interrupted.length).toBeGreaterThan(0);
    // the close, not the user, stopped it: the next start's Sync page says so (not "cancelled")
    expect(interrupted[0]!.last_error).toBe(CLOSED_WORDING);
    // nothing was queued, so nothing may be left half sent
    expect(readFile<{ n: number }>(file, "SELECT COUNT(*) AS n FROM outbox WHERE state = 'sending'")).toEqual([{ n: 0 }]);
    return file;
  };

  it('closing while a jobs list is read ends the pull at once; the next start reads every job', async () => {
    const dataDir = join(t.dir, 'data-jobs');
    late = 'jobs';
    const first = await startCore(dataDir);
    const written = await waitFor('the first page of jobs', async () => {
      const ids = await cachedIds(first);
      return ids.length > 0 ? ids : null;
    });
    expect((await first.handlers['sync.state']({})).syncing).toBe(true);

    expect(await closeTimed(first)).toBeLessThan(CLOSE_BOUND_MS);

    const file = expectConsistent(dataDir, /^jobs:\d+$/);
    const kept = readFile<{ id: number }>(file, 'SELECT id FROM jobs ORDER BY id').map((r) => r.id);
    expect(kept.length).toBeGreaterThanOrEqual(written.length);
    expect(kept.length).toBeLessThan(serverJobIds.length);
    expect(kept.every((id) => serverJobIds.includes(id))).toBe(true);

    // the next start's pull is slow too: while it runs, its Sync page names the close as the cause
    const second = await startCore(dataDir);
    const during = await second.handlers['sync.state']({});
    expect(during.syncing).toBe(true);
    expect(during.staleLists.filter((l) => l.kind === 'jobs').length).toBeGreaterThan(0);
    expect(during.staleLists.filter((l) => l.kind === 'jobs').every((l) => l.reason === CLOSED_WORDING)).toBe(true);
    late = null;
    expect((await second.handlers['settings.get']({})).dataFileProblems).toEqual([]);
    const done = await syncedAgain(second);
    expect(done.lastError).toBeNull();
    expect(done.staleLists).toEqual([]);
    expect(await cachedIds(second)).toEqual(serverJobIds);
    await closeTimed(second);
  }, 120_000);

  it('closing while the datasets are listed ends the pull at once; the next start lists every dataset', async () => {
    const dataDir = join(t.dir, 'data-datasets');
    late = 'datasets';
    datasetsAsked = 0;
    const first = await startCore(dataDir);
    await waitFor('a datasets list on its way', () => datasetsAsked > 0, 60_000);
    // the datasets lists are answered late; the jobs came before them
    expect(await cachedIds(first)).toEqual(serverJobIds);

    expect(await closeTimed(first)).toBeLessThan(CLOSE_BOUND_MS);

    const file = expectConsistent(dataDir, /^datasets:\d+:\d+$/);
    expect(readFile<{ n: number }>(file, 'SELECT COUNT(*) AS n FROM datasets')[0]!.n).toBeLessThan(serverDatasetIds.length);

    late = null;
    const second = await startCore(dataDir);
    const done = await syncedAgain(second);
    expect(done.lastError).toBeNull();
    expect(done.staleLists).toEqual([]);
    expect(readFile<{ id: number }>(cacheFile(dataDir), 'SELECT id FROM datasets ORDER BY id').map((r) => r.id)).toEqual(serverDatasetIds);
    await closeTimed(second);
  }, 120_000);
});
