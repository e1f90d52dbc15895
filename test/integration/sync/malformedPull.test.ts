// A server that answers jobs.list with unreadable rows: they are skipped and logged, the pull goes on,
// and the cache keeps exactly what it had (a job whose row could not be read is not taken as removed);
// a broken page envelope marks that list stale with a clear reason and the rest of the pull goes on.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { pullAll } from '../../../main/sync/pull';
import { addMembers, adminApi, DATASET, interceptingProxy, startServer, TEAM, tempDir } from '../support';

describe('malformed server data during pull', () => {
  const t = tempDir('ljd-malformed-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  it('records a clear error and leaves the cache unchanged', async () => {
    const server = await startServer(t.dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1']);
    await admin.jobs.create({ name: 'first', datasetId: DATASET, userIds: [u.labeler_1!] });

    let broken: 'row' | 'envelope' | false = false;
    const proxy = await interceptingProxy(server.url, (method) =>
      broken && method === 'jobs.list'
        ? {
            status: 200,
            json:
              broken === 'row'
                ? { total: 1, perPage: 500, pagesCount: 1, entities: [{ id: 'not-a-number', name: 7 }] }
                : { total: 1, pagesCount: 1, entities: [] },
          }
        : null,
    );
    closers.push(() => proxy.close());
    const log: string[] = [];
    const api = createSuperviselyApi({ serverAddress: proxy.url, apiToken: server.adminToken, retryBaseMs: 50, log: (l) => log.push(l) });
    const cache = openCache(join(t.dir, 'cache.sqlite'));
    closers.push(() => cache.close());

    await pullAll(cache, api, { full: true });
    const snapshot = () => JSON.stringify(cache.db.prepare('SELECT * FROM jobs ORDER BY id').all());
    const before = snapshot();
    expect(cache.jobs.count({ teamId: TEAM })).toBe(1);

    // the server changes, but its jobs.list answer is broken: nothing of it may land in the cache
    await admin.jobs.create({ name: 'second', datasetId: DATASET, userIds: [u.labeler_1!] });
    broken = 'row';
    await pullAll(cache, api, { full: true, log: (l) => log.push(l) });
    expect(log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^jobs\.list: skipped the row with id "not-a-number" \(entities\[0\]\.id\)/),
        `sync: 1 unreadable job rows of team ${TEAM} skipped (kept as they were)`,
      ]),
    );
    expect(snapshot()).toBe(before);

    broken = 'envelope';
    const report = await pullAll(cache, api, { full: true });
    expect(report.stale.map((s) => s.list)).toEqual([`jobs:${TEAM}`]);
    expect(report.stale[0]!.reason).toMatch(/unexpected shape/);
    expect(report.fresh).toEqual(expect.arrayContaining(['teams', `members:${TEAM}`, `workspaces:${TEAM}`]));
    expect(cache.syncState.get(`jobs:${TEAM}`)?.lastError).toMatch(/unexpected shape/);
    expect(cache.syncState.stale()).toEqual([expect.objectContaining({ list: `jobs:${TEAM}`, kind: 'jobs', teamId: TEAM })]);
    expect(snapshot()).toBe(before);

    // fixed server: the next pull clears the error and brings the new job
    broken = false;
    await pullAll(cache, api, { full: true });
    expect(cache.syncState.get(`jobs:${TEAM}`)?.lastError).toBeNull();
    expect(cache.syncState.stale()).toEqual([]);
    expect(cache.jobs.count({ teamId: TEAM })).toBe(2);
  }, 30_000);
});
