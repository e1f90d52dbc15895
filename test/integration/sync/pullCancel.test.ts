// sync.cancel during the first pull of a big team (the core in its worker, on the local server's team world):
// the pull stops through its AbortSignal, what it wrote stays, the list it was reading is marked not fresh
// with a plain reason (not "Last sync failed"), and the next sync completes with every job and nothing stale.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import type { Core } from '../../../main/core';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import { startCoreWorker } from '../../../main/worker/host';
import { adminApi, interceptingProxy, tempDir, waitFor } from '../support';

const TEAMS = [8, 9, 10, 11, 12];

describe('cancelling the first pull', () => {
  const t = tempDir('ljd-cancel-');
  let server: RunningLocalServer;
  let proxy: Awaited<ReturnType<typeof interceptingProxy>>;
  let core: Core;
  let serverJobIds: number[];
  /** while set, every jobs.list page after the first is answered late: the pull is mid-list when cancelled */
  let slowPages = true;
  /** jobs.changed events with `all` (the grid told to show what a pull wrote) */
  let gridTold = 0;

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'team', jobs: 3_000 });
    const admin = adminApi(server.url, server.adminToken);
    serverJobIds = [];
    for (const teamId of TEAMS) serverJobIds.push(...(await admin.jobs.list({ teamId, showDisabled: true })).map((j) => j.id));
    serverJobIds.sort((a, b) => a - b);
    proxy = await interceptingProxy(server.url, (method, body) =>
      slowPages && method === 'jobs.list' && /"page":\s*([2-9]|\d\d)/.test(body) ? { delayAnswerMs: 3_000 } : null,
    );
    core = startCoreWorker({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: proxy.url, apiToken: server.adminToken },
    });
    core.on('jobs.changed', (e) => void (e.all && gridTold++));
    await core.start();
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await proxy?.close();
    await server?.close();
    t.cleanup();
  });

  const cachedIds = async () => Array.from(decodeIdRuns((await core.handlers['jobs.idSet']({ filter: { showArchived: true } })).runs));

  it('stops the pull, keeps what it wrote, marks the list it was reading not fresh, and the next sync completes', async () => {
    const h = core.handlers;
    // the first page of a team's jobs is written; its second page is on its way
    await waitFor('the grid told of the first page', () => gridTold > 0);
    const firstRows = await waitFor('the first page of jobs', async () => {
      const ids = await cachedIds();
      return ids.length > 0 ? ids : null;
    });
    expect((await h['sync.state']({})).syncing).toBe(true);
    // told at most every 2 s and only after a page: no other page comes before the cancel, so the next one is the cancel's
    const toldBefore = gridTold;
    expect(await h['sync.cancel']({})).toEqual({ cancelled: true });

    const after = await waitFor('the pull to stop', async () => {
      const s = await h['sync.state']({});
      return s.syncing ? null : s;
    });
    // a cancel is not a failure: no "last sync failed", no sync recorded, the list being read named as not refreshed
    expect(after.lastError).toBeNull();
    expect(after.lastSyncAt).toBeNull();
    expect(after.cancelledAt).not.toBeNull();
    expect(after.staleLists).toEqual([
      expect.objectContaining({ kind: 'jobs', reason: 'Sync was cancelled before this list was read to its end.', fetchedAt: null }),
    ]);
    // the rows written stay; the rest never came
    const kept = await cachedIds();
    expect(kept.length).toBeGreaterThanOrEqual(firstRows.length);
    expect(kept.length).toBeLessThan(serverJobIds.length);
    expect(kept.every((id) => serverJobIds.includes(id))).toBe(true);
    // the grid is told to show what was written since
    await waitFor('the grid told after the cancel', () => gridTold > toldBefore, 5_000);
    // nothing is running any more
    expect(await h['sync.cancel']({})).toEqual({ cancelled: false });

    // the next sync reads everything: every job, nothing stale, a sync recorded
    slowPages = false;
    await h['sync.now']({});
    const done = await waitFor(
      'the next sync',
      async () => {
        const s = await h['sync.state']({});
        return !s.syncing && s.lastSyncAt ? s : null;
      },
      60_000,
    );
    expect(done.lastError).toBeNull();
    expect(done.cancelledAt).toBeNull();
    expect(done.staleLists).toEqual([]);
    expect(await cachedIds()).toEqual(serverJobIds);
  }, 90_000);
});
