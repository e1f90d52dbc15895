// The outbox without a server: payloads that no longer parse are failed (not retried, not dropped),
// discard undoes optimistic effects, remap rewrites every reference, the done log is trimmed while
// ids keep growing, and connectivity backs off 1 s → 60 s.
import { afterEach, describe, expect, it } from 'vitest';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { backoffMs, Connectivity } from '../../../main/sync/connectivity';
import { discardMutations } from '../../../main/sync/discard';
import { enqueueCreateJobs, enqueueCreateUser, enqueueJobAction } from '../../../main/sync/enqueue';
import { PushLoop } from '../../../main/sync/push';
import { remapId } from '../../../main/sync/remap';
import { ApiError } from '../../../main/supervisely/errors';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempCache } from '../cache/helpers';

let ctx: ReturnType<typeof tempCache>;
afterEach(() => ctx.cleanup());

const seed = () => {
  ctx = tempCache();
  const { cache } = ctx;
  cache.transaction(() => {
    cache.db.prepare(`INSERT INTO teams (id, name) VALUES (1, 't')`).run();
    cache.db.prepare(`INSERT INTO workspaces (id, team_id, name) VALUES (10, 1, 'w')`).run();
    cache.db.prepare(`INSERT INTO projects (id, workspace_id, team_id, name, type, info) VALUES (100, 10, 1, 'p', 'images', '{}')`).run();
    cache.db.prepare(`INSERT INTO datasets (id, project_id, name, info) VALUES (1000, 100, 'd', '{}')`).run();
    cache.jobs.upsert(syntheticJobs(3, 5));
  });
  return cache;
};
const createReq = {
  name: 'offline job',
  datasetId: 1000,
  userIds: [11],
  classesToLabel: [],
  tagsToLabel: [],
  includeImagesWithTags: [],
  excludeImagesWithTags: [],
};

describe('outbox', () => {
  it('marks an unparseable payload failed with its reason, once, and keeps it', async () => {
    const cache = seed();
    const now = new Date();
    const [id] = (await enqueueJobAction(cache, 'job.stop', [1], now)).mutationIds;
    cache.db.prepare(`UPDATE outbox SET payload = '{"jobId":"one"}' WHERE id = ?`).run(id);
    const unknown = cache.outbox.enqueue({ kind: 'job.teleport', payload: {}, summary: 'x', batchId: null, jobIds: [] }, now.toISOString());
    // nothing listens on port 9: a send would fail as offline, so "failed" proves no send happened
    const api = createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't', retryLimit: 1 });
    const push = new PushLoop({ cache, api, connectivity: new Connectivity() });
    push.start();
    await push.idle();
    await push.stop();
    expect(cache.outbox.get(id!)).toMatchObject({ state: 'failed', attempts: 0 });
    expect(cache.outbox.get(id!)!.last_error).toMatch(/jobId/);
    expect(cache.outbox.get(unknown)!.last_error).toMatch(/Unknown change "job.teleport"/);
    expect(cache.jobs.row(1)!.problem).toMatch(/no longer fits/);
  });

  it('discard restores the before-image, deletes a local create, and orphans its followers', async () => {
    const cache = seed();
    const now = new Date();
    const before = cache.jobs.get(2)!;
    const archive = (await enqueueJobAction(cache, 'job.archive', [2], now)).mutationIds[0]!;
    expect(cache.jobs.get(2)!.disabled).toBe(1);
    await discardMutations(cache, [archive]);
    expect(cache.jobs.get(2)!.disabled).toBe(before.disabled);
    expect(cache.jobs.get(2)!.stale).toBe(1);
    expect(cache.outbox.get(archive)).toBeNull();

    const created = enqueueCreateJobs(cache, createReq, now);
    const stop = (await enqueueJobAction(cache, 'job.stop', created.jobIds, now)).mutationIds[0]!;
    await discardMutations(cache, [created.mutationIds[0]!]);
    expect(cache.jobs.get(created.jobIds[0]!)).toBeNull();
    const api = createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't', retryLimit: 1 });
    const push = new PushLoop({ cache, api, connectivity: new Connectivity() });
    push.start();
    await push.idle();
    await push.stop();
    expect(cache.outbox.get(stop)).toMatchObject({ state: 'failed' });
    expect(cache.outbox.get(stop)!.last_error).toMatch(/never created/);
  });

  it('discarding a change under a later one of the same job undoes only its own effect; discarding both brings the job back as it was', async () => {
    const cache = seed();
    const now = new Date();
    cache.jobs.patch(2, { status: 'in_progress', disabled: 0 });
    const before = cache.jobs.get(2)!;
    const archive = (await enqueueJobAction(cache, 'job.archive', [2], now)).mutationIds[0]!;
    const stop = (await enqueueJobAction(cache, 'job.stop', [2], now)).mutationIds[0]!;
    expect(cache.jobs.get(2)).toMatchObject({ disabled: 1, status: 'stopped' });
    // the archive's Cancel: the job is not archived any more, and still shows its queued stop
    await discardMutations(cache, [archive]);
    expect(cache.jobs.get(2)).toMatchObject({ disabled: 0, status: 'stopped', stale: 1 });
    await discardMutations(cache, [stop]);
    expect(cache.jobs.get(2)).toEqual({ ...before, stale: 1 });

    // both at once (one transaction): as it was before the first, not the state the second was queued on
    const again = await enqueueJobAction(cache, 'job.archive', [2], now);
    const stopAgain = await enqueueJobAction(cache, 'job.stop', [2], now);
    await discardMutations(cache, [...again.mutationIds, ...stopAgain.mutationIds]);
    expect(cache.jobs.get(2)).toEqual({ ...before, stale: 1 });
  });

  it('what the push loop may send: a refused change holds back only what needs its create, or the twins of one being checked', async () => {
    const cache = seed();
    const now = new Date();
    const setState = (id: number, state: string) => cache.db.prepare('UPDATE outbox SET state = ? WHERE id = ?').run(state, id);
    const one = async (kind: 'job.stop' | 'job.archive', jobId: number) =>
      (await enqueueJobAction(cache, kind, [jobId], now)).mutationIds[0]!;
    const create = () => enqueueCreateJobs(cache, createReq, now);
    const twinBefore = create().mutationIds[0]!;
    const failedArchive = await one('job.archive', 1);
    const stopAfterIt = await one('job.stop', 1);
    const failedCreate = create();
    const stopOfUncreated = await one('job.stop', failedCreate.jobIds[0]!);
    const stopOfTwo = await one('job.stop', 2);
    const checking = create().mutationIds[0]!;
    const twinAfter = create().mutationIds[0]!;
    setState(failedArchive, 'failed');
    setState(failedCreate.mutationIds[0]!, 'conflict');
    setState(checking, 'needs_checking');
    const push = new PushLoop({
      cache,
      api: createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't' }),
      connectivity: new Connectivity(),
    });
    const ready = (push as unknown as { readyItems(inFlight: Set<number>): { id: number }[] }).readyItems(new Set());
    expect(ready.map((i) => i.id)).toEqual([twinBefore, stopAfterIt, stopOfTwo]);
    // held back, not failed: each waits for the user's answer on the change before it
    expect([stopOfUncreated, twinAfter].map((id) => cache.outbox.get(id)!.state)).toEqual(['pending', 'pending']);
  });

  it('remap moves the job, its history, watches, links and queued payloads to the server id', async () => {
    const cache = seed();
    const now = new Date();
    const {
      jobIds: [localId],
    } = enqueueCreateJobs(cache, createReq, now);
    const stop = (await enqueueJobAction(cache, 'job.stop', [localId!], now)).mutationIds[0]!;
    cache.watches.set(localId!, 'completed', now.toISOString());
    remapId(cache, 'job', localId!, 500);
    expect(cache.jobs.get(localId!)).toBeNull();
    expect(cache.jobs.get(500)).toMatchObject({ name: 'offline job', status: 'stopped', local: 0 });
    expect(JSON.parse(cache.outbox.get(stop)!.payload)).toEqual({ jobId: 500 });
    expect(cache.outbox.jobIds(stop)).toEqual([500]);
    expect(cache.history.forJob(500).map((h) => h.status)).toEqual(['pending', 'stopped']);
    expect(cache.watches.list()).toEqual([{ jobId: 500, status: 'completed' }]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'offline job' }))).toEqual([500]);
  });

  it('remap of a user created offline moves the local jobs assigned to it or reviewed by it (no -2 left behind)', () => {
    const cache = seed();
    const now = new Date();
    const user = { login: 'labeler_2', password: 'password123', isRestricted: false, name: '', email: '' };
    const { userId } = enqueueCreateUser(cache, user, now);
    const {
      jobIds: [jobId],
    } = enqueueCreateJobs(cache, { ...createReq, userIds: [userId], reviewerId: userId }, now);
    remapId(cache, 'user', userId, 105);
    expect(cache.jobs.get(jobId!)).toMatchObject({ assigned_to_id: 105, reviewer_id: 105 });
    expect(cache.db.prepare('SELECT count(*) FROM users WHERE id < 0').pluck().get()).toBe(0);
  });

  it('a change that failed while offline waits out its backoff, until sendPendingNow (back online, sync.now)', async () => {
    const cache = seed();
    const [id] = (await enqueueJobAction(cache, 'job.stop', [1], new Date())).mutationIds;
    // nothing listens on port 9: the attempt fails as unreachable and the item backs off
    const api = createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't', retryLimit: 1 });
    const push = new PushLoop({ cache, api, connectivity: new Connectivity() });
    push.start();
    for (let i = 0; i < 100 && cache.outbox.get(id!)!.attempts === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await push.stop();
    const waiting = cache.outbox.get(id!)!;
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(waiting.next_attempt_at).toBeGreaterThan(Date.now());
    expect(cache.outbox.sendPendingNow()).toBe(1);
    expect(cache.outbox.get(id!)).toMatchObject({ state: 'pending', next_attempt_at: 0 });
  });

  it('keeps a trimmed log of done items; ids keep growing after trimming', () => {
    const cache = seed();
    const at = new Date().toISOString();
    const ids = [];
    for (let i = 0; i < 12; i++) {
      const id = cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: 1 }, summary: 's', batchId: 'b', jobIds: [1] }, at);
      cache.outbox.markDone(id, null, at);
      ids.push(id);
    }
    expect(cache.outbox.trimDone(5)).toBe(7);
    expect(cache.outbox.list({ limit: 100 }).map((i) => i.id)).toEqual(ids.slice(7).reverse());
    const next = cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: 1 }, summary: 's', batchId: null, jobIds: [1] }, at);
    expect(next).toBeGreaterThan(ids.at(-1)!);
    // the batch's progress still counts the done items the trim removed (it said 5 of 5 before)
    expect(cache.outbox.batchProgress('b')).toEqual({ total: 12, done: 12, failed: 0 });

    // a second batch with a refused change, trimmed twice: its counts add up, the first batch's stay
    const refused = cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: 2 }, summary: 's', batchId: 'c', jobIds: [2] }, at);
    cache.outbox.markProblem(refused, 'conflict', 'gone', at);
    for (let i = 0; i < 6; i++) {
      const id = cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: 2 }, summary: 's', batchId: 'c', jobIds: [2] }, at);
      cache.outbox.markDone(id, null, at);
    }
    expect(cache.outbox.trimDone(4)).toBe(7); // the first batch's last five, and two of the second's
    expect(cache.outbox.trimDone(2)).toBe(2);
    expect(cache.outbox.batchProgress('b')).toEqual({ total: 12, done: 12, failed: 0 });
    expect(cache.outbox.batchProgress('c')).toEqual({ total: 7, done: 6, failed: 1 });
  });
});

describe('connectivity', () => {
  it('backs off 1 s, 2 s, 4 s … 60 s and recovers on any answer', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    let now = 0;
    const c = new Connectivity(() => now);
    const changes: boolean[] = [];
    c.onChange((o) => changes.push(o));
    const offline = new ApiError('offline', 'refused', 'jobs.list');
    c.reportFailure(offline);
    c.reportFailure(offline);
    expect(c.online).toBe(false);
    expect(c.waitMs()).toBe(2000);
    now = 1500;
    expect(c.waitMs()).toBe(500);
    c.forceTry();
    expect(c.waitMs()).toBe(0);
    // a refusal (403) still means the server is there
    c.reportFailure(new ApiError('forbidden', 'no', 'jobs.bulk.remove'));
    expect(c.online).toBe(true);
    expect(changes).toEqual([false, true]);
  });
});
