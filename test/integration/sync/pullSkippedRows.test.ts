// What used to reach only the log now reaches the Sync view's state, per list and team: rows a list skipped
// because they did not parse (how many, and the first one's reason), and a failed re-read of the jobs flagged
// stale (with the server's reason). Both clear once a later read succeeds. Real HTTP through a proxy in front
// of the local server that puts bad rows into a real jobs.list page, or refuses the re-read by id.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { listStatus } from '../../../main/sync/listStatus';
import { pullAll } from '../../../main/sync/pull';
import { addMembers, adminApi, DATASET, interceptingProxy, startServer, TEAM, tempDir } from '../support';

describe('skipped rows and failed re-reads in the sync state', () => {
  const t = tempDir('ljd-skipped-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  it('counts the rows a list skipped per list and team, with the first reason; a complete read without bad rows clears it', async () => {
    const server = await startServer(t.dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1', 'labeler_2']);
    const [a, b] = await admin.jobs.create({ name: 'two', datasetId: DATASET, userIds: [u.labeler_1!, u.labeler_2!] });
    // the server's own page of jobs, as JSON, with two rows a newer server might send broken
    const raw = (await (
      await fetch(`${server.url}/public/api/v3/jobs.list`, {
        method: 'POST',
        headers: { 'x-api-key': server.adminToken, 'content-type': 'application/json' },
        body: JSON.stringify({ teamId: TEAM, showDisabled: true }),
      })
    ).json()) as { entities: Record<string, unknown>[] };
    expect(raw.entities.map((e) => e.id)).toEqual([a!.id, b!.id]);
    const broken = [{ ...raw.entities[0], status: 42 }, raw.entities[1], { id: 'not-a-number', name: 'no' }];
    let inject = true;
    const proxy = await interceptingProxy(server.url, (method) =>
      inject && method === 'jobs.list' ? { status: 200, json: { total: 3, perPage: 500, pagesCount: 1, entities: broken } } : null,
    );
    closers.push(() => proxy.close());
    const api = adminApi(proxy.url, server.adminToken);
    const cache = openCache(join(t.dir, 'cache.sqlite'));
    closers.push(() => cache.close());

    const first = await pullAll(cache, api);
    expect(first.stale).toEqual([]);
    expect(cache.jobs.get(b!.id)).not.toBeNull(); // the page survived
    expect(cache.jobs.get(a!.id)).toBeNull();
    expect(listStatus(cache).skippedRows).toEqual([
      {
        list: `jobs:${TEAM}`,
        kind: 'jobs',
        teamId: TEAM,
        teamName: 'my_team',
        count: 2,
        reason: expect.stringMatching(new RegExp(`^The row with id ${a!.id}: jobs\\.list answered in an unexpected shape: .*status`)),
        at: expect.any(String),
      },
    ]);

    // an incremental read sees only changed rows: it does not prove the bad row was fixed
    inject = false;
    await pullAll(cache, api); // learns that the server honours updatedAt
    const incremental = await pullAll(cache, api);
    expect(incremental.full).toBe(false);
    expect(listStatus(cache).skippedRows.map((r) => [r.list, r.count])).toEqual([[`jobs:${TEAM}`, 2]]);

    // a complete read without bad rows clears it, and brings the row that was skipped
    await pullAll(cache, api, { full: true });
    expect(listStatus(cache).skippedRows).toEqual([]);
    expect(cache.jobs.get(a!.id)?.status).toBe('pending');
  }, 30_000);

  it("a failed re-read of a team's jobs flagged stale is a stale entry of that team with the server's reason, until it succeeds", async () => {
    const other = tempDir('ljd-reread-');
    closers.push(() => other.cleanup());
    const server = await startServer(other.dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_3']);
    const [job] = await admin.jobs.create({ name: 'flagged', datasetId: DATASET, userIds: [u.labeler_3!] });
    let refuse = true;
    const proxy = await interceptingProxy(server.url, (method, body) => {
      if (method !== 'jobs.list') return null;
      // "updated since": nothing changed (as the server says once the job is older than the list's slack)
      if (body.includes('"field":"updatedAt"')) return { status: 200, json: { total: 0, perPage: 500, pagesCount: 0, entities: [] } };
      // only the re-read by id (a filter on id) is refused, as a role rule or a proxy might
      if (refuse && body.includes('"field":"id"')) {
        return { status: 403, json: { error: 'Forbidden', details: { message: 'jobs by id are not for your role' } } };
      }
      return null;
    });
    closers.push(() => proxy.close());
    const api = adminApi(proxy.url, server.adminToken);
    const cache = openCache(join(other.dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    await pullAll(cache, api);
    expect(listStatus(cache).staleLists).toEqual([]);

    cache.jobs.patch(job!.id, { stale: 1 }); // as a discarded change leaves it
    const report = await pullAll(cache, api);
    expect(report.full).toBe(false); // the flagged job is not in the list: only its re-read can refresh it
    expect(report.stale.map((s) => s.list)).toEqual([`stale-jobs:${TEAM}`]);
    expect(listStatus(cache).staleLists).toEqual([
      {
        list: `stale-jobs:${TEAM}`,
        kind: 'changed jobs',
        teamId: TEAM,
        teamName: 'my_team',
        reason:
          '1 job changed here could not be re-read: Your role does not allow this (403). Server said: jobs by id are not for your role',
        failedAt: expect.any(String),
        fetchedAt: null,
      },
    ]);
    expect(cache.jobs.staleIds()).toEqual([job!.id]); // still flagged: the next pull tries again

    refuse = false;
    await pullAll(cache, api);
    expect(listStatus(cache).staleLists).toEqual([]);
    expect(cache.jobs.staleIds()).toEqual([]);
  }, 30_000);
});
