// The lead's changes to one job through the outbox, against the local server over real HTTP and a real
// SQLite cache: a new annotator and reviewer, review statuses, and a restart whose answer was lost
// (reconciled, never sent twice) or that the server no longer has anything to send back for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { Connectivity } from '../../../main/sync/connectivity';
import { enqueueEditJob, enqueueRestart, enqueueReview } from '../../../main/sync/enqueue';
import { pullAll } from '../../../main/sync/pull';
import { PushLoop } from '../../../main/sync/push';
import { addMembers, adminApi, DATASET, interceptingProxy, startServer, TEAM, tempDir } from '../support';

describe("a lead's changes to one job", () => {
  const t = tempDir('ljd-lead-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  async function world(file: string, intercept: Parameters<typeof interceptingProxy>[1] = () => null) {
    const dir = join(t.dir, file);
    mkdirSync(dir);
    const server = await startServer(dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const { labeler_1: labeler } = await addMembers(admin, ['labeler_1']);
    const [job] = await admin.jobs.create({ name: 'lemons', datasetId: DATASET, userIds: [7] });
    const proxy = await interceptingProxy(server.url, intercept);
    closers.push(() => proxy.close());
    const cache = openCache(join(dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    cache.kv.set('me', { id: 7, login: 'my_username' });
    const api = adminApi(proxy.url, server.adminToken);
    const push = new PushLoop({ cache, api, connectivity: new Connectivity(Date.now, 20), retryBaseMs: 20 });
    const run = async () => {
      push.start();
      await push.drain();
      await push.stop();
    };
    const pull = async () => {
      await pullAll(cache, admin, { full: true });
      const info = await admin.jobs.getInfoById(job!.id);
      cache.transaction(() => cache.jobs.setEntities(job!.id, info!.entities!));
    };
    await pull();
    return { admin, cache, run, pull, labeler: labeler!, job: job!, images: job!.entities!.map((e) => e.id) };
  }

  it('changes the annotator and reviewer, shown at once and on the server after the push', async () => {
    const w = await world('edit');
    const item = enqueueEditJob(w.cache, { jobId: w.job.id, userId: w.labeler, reviewerId: w.labeler }, new Date()).mutationIds[0]!;
    expect(w.cache.jobs.row(w.job.id)).toMatchObject({ assignedToLogin: 'labeler_1', reviewerLogin: 'labeler_1' });
    await w.run();
    expect(w.cache.outbox.get(item)!.state).toBe('done');
    expect(await w.admin.jobs.getInfoById(w.job.id)).toMatchObject({ assignedToId: w.labeler, reviewerId: w.labeler });
  }, 60_000);

  it('refuses to queue a new annotator the cache does not know', async () => {
    const w = await world('edit-unknown');
    expect(() => enqueueEditJob(w.cache, { jobId: w.job.id, userId: 424242 }, new Date())).toThrow(/User 424242 is not in the cache/);
    expect(w.cache.outbox.list({ limit: 10 })).toHaveLength(0);
    expect(w.cache.jobs.row(w.job.id)).toMatchObject({ assignedToLogin: 'my_username' });
  }, 60_000);

  it('marks images accepted and rejected: the counts follow at once, the server has them after the push', async () => {
    const w = await world('review');
    enqueueReview(w.cache, { jobId: w.job.id, imageId: w.images[0]!, status: 'accepted' }, new Date());
    enqueueReview(w.cache, { jobId: w.job.id, imageId: w.images[1]!, status: 'rejected' }, new Date());
    expect(w.cache.jobs.row(w.job.id)).toMatchObject({ acceptedImagesCount: 1, rejectedImagesCount: 1, finishedImagesCount: 2 });
    await w.run();
    const info = await w.admin.jobs.getInfoById(w.job.id);
    expect(
      info!
        .entities!.filter((e) => e.reviewStatus !== 'none')
        .map((e) => [e.id, e.reviewStatus])
        .sort(),
    ).toEqual(
      [
        [w.images[0], 'accepted'],
        [w.images[1], 'rejected'],
      ].sort(),
    );
    expect(() => enqueueReview(w.cache, { jobId: w.job.id, imageId: 1, status: 'accepted' }, new Date())).toThrow(
      /not one of the cached images/,
    );
  }, 60_000);

  it('a restart whose answer was lost is found on the server, not sent again', async () => {
    let restarts = 0;
    const w = await world('restart-lost', (method) => (method === 'jobs.restart' && restarts++ === 0 ? { loseAnswer: true } : null));
    await w.admin.jobs.setEntityReviewStatus(w.job.id, w.images[0]!, 'rejected');
    await w.pull();
    const queued = enqueueRestart(w.cache, { jobId: w.job.id, userId: w.labeler, reviewerId: null, name: 'lemons (redo)' }, new Date());
    expect(w.cache.jobs.row(queued.newJobId)).toMatchObject({
      name: 'lemons (redo)',
      assignedToLogin: 'labeler_1',
      imagesCount: 1,
      local: true,
    });
    expect(w.cache.jobs.row(w.job.id)).toMatchObject({ status: 'completed' });
    await w.run();
    expect(restarts).toBe(1);
    const item = w.cache.outbox.get(queued.mutationIds[0]!)!;
    expect(item.state).toBe('done');
    const made = (await w.admin.jobs.list({ teamId: TEAM, showDisabled: true })).filter((j) => j.name === 'lemons (redo)');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ assignedToId: w.labeler, imagesCount: 1 });
    expect(w.cache.jobs.get(queued.newJobId)).toBeNull();
    expect(w.cache.jobs.row(made[0]!.id)).toMatchObject({ name: 'lemons (redo)', local: false });
    expect(await w.admin.jobs.getStatus(w.job.id)).toBe('completed');
  }, 60_000);

  it('a restart the server has nothing to send back for fails with the reason, and its local row goes', async () => {
    const w = await world('restart-empty');
    await w.admin.jobs.setEntityReviewStatus(w.job.id, w.images[0]!, 'rejected');
    await w.pull();
    const queued = enqueueRestart(w.cache, { jobId: w.job.id, userId: w.labeler, reviewerId: null, name: 'again' }, new Date());
    // meanwhile the reviewer changed their mind on the server
    await w.admin.jobs.setEntityReviewStatus(w.job.id, w.images[0]!, 'accepted');
    await w.run();
    const item = w.cache.outbox.get(queued.mutationIds[0]!)!;
    expect(item.state).toBe('failed');
    expect(item.last_error).toMatch(/no rejected images on the server any more/);
    expect(w.cache.jobs.get(queued.newJobId)).toBeNull();
    expect((await w.admin.jobs.list({ teamId: TEAM, showDisabled: true })).map((j) => j.name)).not.toContain('again');
  }, 60_000);

  it('refuses to queue a restart of a job with no rejected images', async () => {
    const w = await world('restart-none');
    expect(() => enqueueRestart(w.cache, { jobId: w.job.id, userId: w.labeler, reviewerId: null, name: 'x' }, new Date())).toThrow(
      /has no rejected images/,
    );
  }, 60_000);
});
