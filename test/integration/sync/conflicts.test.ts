// Conflicts: a manager may not remove jobs (403) → that item becomes a conflict with the server's
// reason while the rest of the queue goes on; a job removed on the server meanwhile → stopping it
// is a conflict (the job is then re-read and shown as removed), removing it again counts as done.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { Connectivity } from '../../../main/sync/connectivity';
import { enqueueJobAction } from '../../../main/sync/enqueue';
import { pullAll } from '../../../main/sync/pull';
import { PushLoop } from '../../../main/sync/push';
import { addMembers, adminApi, DATASET, interceptingProxy, startServer, TEAM, tempDir } from '../support';

describe('conflicts', () => {
  const t = tempDir('ljd-conflict-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  it('refused and vanished jobs stop only their own item', async () => {
    const server = await startServer(t.dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1']);
    await addMembers(admin, ['boss'], 5);
    const jobs = [];
    for (const name of ['keep', 'refused', 'gone', 'gone-too']) {
      jobs.push((await admin.jobs.create({ name, datasetId: DATASET, userIds: [u.labeler_1!] }))[0]!);
    }
    const [keep, refused, gone, goneToo] = jobs;
    // the manager's view: same server, the manager's token
    const api = adminApi(server.url, server.tokenFor('boss'));
    const cache = openCache(join(t.dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    await pullAll(cache, api, { full: true });
    expect(cache.jobs.count({ teamId: TEAM })).toBe(4);

    const now = new Date();
    const removeRefused = (await enqueueJobAction(cache, 'job.remove', [refused!.id], now)).mutationIds[0]!;
    const stopGone = (await enqueueJobAction(cache, 'job.stop', [gone!.id], now)).mutationIds[0]!;
    const removeGone = (await enqueueJobAction(cache, 'job.remove', [goneToo!.id], now)).mutationIds[0]!;
    const stopKeep = (await enqueueJobAction(cache, 'job.stop', [keep!.id], now)).mutationIds[0]!;
    await admin.jobs.removeBatch([gone!.id, goneToo!.id]);

    const push = new PushLoop({ cache, api, connectivity: new Connectivity() });
    push.start();
    await push.drain();
    await push.stop();

    const refusedItem = cache.outbox.get(removeRefused)!;
    expect(refusedItem.state).toBe('conflict');
    expect(refusedItem.last_error).toMatch(/403/);
    expect(cache.outbox.get(stopGone)).toMatchObject({ state: 'conflict' });
    expect(cache.outbox.get(stopGone)!.last_error).toMatch(/no longer has it/);
    expect(cache.outbox.get(removeGone)!.state).toBe('done');
    expect(cache.outbox.get(stopKeep)!.state).toBe('done');
    expect((await admin.jobs.getInfoById(keep!.id))?.status).toBe('stopped');
    expect(await admin.jobs.getInfoById(refused!.id)).not.toBeNull();

    // the rows show the problem (a refused removal at once stops looking removed); the next pull
    // re-reads them: the vanished job is marked removed
    expect(cache.jobs.row(refused!.id)!.problem).toMatch(/403/);
    expect(cache.jobs.row(refused!.id)!.removing).toBe(false);
    await pullAll(cache, api, { full: true });
    expect(cache.jobs.get(gone!.id)!.removed_at).not.toBeNull();
    expect(Array.from(cache.jobs.sortedIds({ teamId: TEAM, showArchived: true }))).toEqual([keep!.id, refused!.id]);
    expect(cache.jobs.row(refused!.id)!.removing).toBe(false);
  }, 30_000);

  it('sends queued removals of many jobs 50 ids per jobs.bulk.remove call', async () => {
    const dir = join(t.dir, 'bulk');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const server = await startServer(dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1']);
    for (let i = 0; i < 120; i++) await admin.jobs.create({ name: `bulk-${i}`, datasetId: DATASET, userIds: [u.labeler_1!] });
    const removeCalls: number[] = [];
    const proxy = await interceptingProxy(server.url, (method, body) => {
      if (method === 'jobs.bulk.remove') removeCalls.push((JSON.parse(body) as { ids: number[] }).ids.length);
      return null;
    });
    closers.push(() => proxy.close());
    const api = adminApi(proxy.url, server.adminToken);
    const cache = openCache(join(dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    await pullAll(cache, api, { full: true });
    const { batchId } = await enqueueJobAction(cache, 'job.remove', Array.from(cache.jobs.sortedIds({ teamId: TEAM })), new Date());
    const push = new PushLoop({ cache, api, connectivity: new Connectivity(), concurrency: 1 });
    push.start();
    await push.drain();
    await push.stop();
    expect(removeCalls).toEqual([50, 50, 20]);
    expect(cache.outbox.batchProgress(batchId)).toEqual({ total: 120, done: 120, failed: 0 });
    expect(await admin.jobs.list({ teamId: TEAM, showDisabled: true })).toEqual([]);
    expect(Array.from(cache.jobs.sortedIds({ teamId: TEAM, showArchived: true }))).toEqual([]);
  }, 30_000);
});
