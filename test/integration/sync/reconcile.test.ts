// Exactly once for creates whose answer was lost (issue 13.2): a queued create is matched only to a
// job that provably came from it. (a) A same-named job made elsewhere before the first send is not
// claimed; (b) two identical creates do not claim each other's job, even while one is reading its
// job back; (c) where the server shows several lookalikes the item waits as "needs checking" with
// them listed, and the user's answer (it was created as one / send again) settles it exactly once. (e) A create
// discarded while the check before its first send is on the wire is never sent; (f) one sent before cannot be
// discarded while its check is on the wire.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../main/cache';
import { Connectivity } from '../../../main/sync/connectivity';
import { cancelBatch, discardMutations } from '../../../main/sync/discard';
import { enqueueCreateJobs } from '../../../main/sync/enqueue';
import { pullAll } from '../../../main/sync/pull';
import { PushLoop } from '../../../main/sync/push';
import { addMembers, adminApi, DATASET, interceptingProxy, startServer, TEAM, tempDir } from '../support';

const nameOf = (body: string): string => (JSON.parse(body) as { name?: string }).name ?? '';

describe('reconciling creates whose answer was lost', () => {
  const t = tempDir('ljd-reconcile-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  async function world(file: string, intercept: Parameters<typeof interceptingProxy>[1]) {
    const dir = join(t.dir, file);
    mkdirSync(dir);
    const server = await startServer(dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const userId = (await addMembers(admin, ['labeler_1'])).labeler_1!;
    const proxy = await interceptingProxy(server.url, intercept);
    closers.push(() => proxy.close());
    const api = adminApi(proxy.url, server.adminToken);
    const cache = openCache(join(dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    await pullAll(cache, admin, { full: true });
    cache.kv.set('me', { id: 7, login: 'my_username' });
    const push = new PushLoop({ cache, api, connectivity: new Connectivity(Date.now, 20), retryBaseMs: 20 });
    const queue = (name: string) =>
      enqueueCreateJobs(
        cache,
        {
          name,
          datasetId: DATASET,
          userIds: [userId],
          classesToLabel: [],
          tagsToLabel: [],
          includeImagesWithTags: [],
          excludeImagesWithTags: [],
        },
        new Date(),
      ).mutationIds[0]!;
    const onServer = async (name: string) => (await admin.jobs.list({ teamId: TEAM, showDisabled: true })).filter((j) => j.name === name);
    return { admin, userId, cache, push, queue, onServer };
  }

  const serverIdOf = (cache: Cache, id: number) => (JSON.parse(cache.outbox.get(id)!.result!) as { serverId: number }).serverId;

  it('(e) a create discarded while its check for lookalikes is on the wire is never sent', async () => {
    let lists = 0;
    let adds = 0;
    // the check before the first send (jobs.list) answers slowly; the lead discards the change meanwhile
    const w = await world('e', (method) => {
      if (method === 'jobs.add') adds++;
      return method === 'jobs.list' && ++lists === 1 ? { delayAnswerMs: 600 } : null;
    });
    const item = w.queue('discarded meanwhile');
    w.push.start();
    for (let i = 0; i < 200 && lists === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lists).toBe(1);
    await discardMutations(w.cache, [item]);
    await w.push.drain();
    await w.push.stop();
    // before: markSending updated no row and the create went out anyway, a job the lead had given up on
    expect(adds).toBe(0);
    expect(await w.onServer('discarded meanwhile')).toEqual([]);
    expect(w.cache.outbox.get(item)).toBeNull();
  }, 60_000);

  it('(f) a create sent before cannot be discarded while its check is on the wire: it may have been made, and is', async () => {
    let lists = 0;
    let adds = 0;
    // its first send reaches the server, whose answer is lost; the check before the next one answers slowly
    const w = await world('f', (method) => {
      if (method === 'jobs.add') return ++adds === 1 ? { loseAnswer: true } : null;
      return method === 'jobs.list' && adds === 1 && ++lists === 1 ? { delayAnswerMs: 800 } : null;
    });
    const item = w.queue('made after all');
    const batchId = w.cache.outbox.get(item)!.batch_id!;
    w.push.start();
    for (let i = 0; i < 400 && lists === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lists).toBe(1);
    // the lead gives up on it meanwhile: refused, and a Cancel of its batch leaves it to the check's answer
    await expect(discardMutations(w.cache, [item])).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/checked/) });
    expect((await cancelBatch(w.cache, batchId)).discarded).toEqual([]);
    await w.push.drain();
    await w.push.stop();
    // before: the discard went through ("cancelled") while the check found the job made
    expect(adds).toBe(1);
    const [made] = await w.onServer('made after all');
    expect(w.cache.outbox.get(item)!.state).toBe('done');
    expect(serverIdOf(w.cache, item)).toBe(made!.id);
    expect(w.cache.jobs.get(made!.id)).toMatchObject({ name: 'made after all' });
  }, 60_000);

  it('(a) does not claim a same-named job made elsewhere before its first send', async () => {
    let refused = 0;
    // the first jobs.add never reaches the server and its answer is a 500: the outcome is unknown
    const w = await world('a', (method, body) =>
      method === 'jobs.add' && nameOf(body) === 'same name' && refused++ === 0 ? { status: 500, json: { error: 'boom' } } : null,
    );
    const item = w.queue('same name');
    // meanwhile the lead makes a job of the same name with the same account elsewhere (web UI, SDK)
    const [elsewhere] = await w.admin.jobs.create({ name: 'same name', datasetId: DATASET, userIds: [w.userId] });
    w.push.start();
    await w.push.drain();
    await w.push.stop();
    expect(refused).toBe(2);
    expect(w.cache.outbox.get(item)!.state).toBe('done');
    const jobs = await w.onServer('same name');
    expect(jobs).toHaveLength(2);
    expect(serverIdOf(w.cache, item)).not.toBe(elsewhere!.id);
    expect(jobs.map((j) => j.id)).toContain(serverIdOf(w.cache, item));
  }, 60_000);

  it('(b) two identical creates do not claim each other’s job while one is reading it back', async () => {
    let adds = 0;
    let infos = 0;
    const w = await world('b', (method, body) => {
      // the second create's first send fails with an unknown outcome; the first one's read-back is slow
      if (method === 'jobs.add' && nameOf(body) === 'twin' && ++adds === 2) return { status: 500, json: { error: 'boom' } };
      if (method === 'jobs.info' && ++infos === 1) return { delayAnswerMs: 800 };
      return null;
    });
    const first = w.queue('twin');
    const second = w.queue('twin');
    w.push.start();
    await w.push.drain();
    await w.push.stop();
    expect(w.cache.outbox.get(first)!.state).toBe('done');
    expect(w.cache.outbox.get(second)!.state).toBe('done');
    const jobs = await w.onServer('twin');
    expect(jobs).toHaveLength(2);
    expect(new Set([serverIdOf(w.cache, first), serverIdOf(w.cache, second)])).toEqual(new Set(jobs.map((j) => j.id)));
  }, 60_000);

  it('(c) several lookalikes since the first send: needs checking with both shown; the user settles it', async () => {
    const w = await world('c', () => null);
    const [ours, twin, item] = await lostCreateWithTwin(w, 'unsure');
    const waiting = w.cache.outbox.toItem(w.cache.outbox.get(item)!);
    expect(waiting.state).toBe('needs_checking');
    expect(waiting.candidates!.map((c) => c.id)).toEqual([ours!.id, twin!.id]);
    expect(waiting.lastError).toMatch(/2 jobs named "unsure" appeared/);
    expect(w.cache.outbox.counts().problems).toBe(1);
    // a later identical create waits for the answer rather than claim one of them
    const later = w.queue('unsure');
    await w.push.idle();
    expect(w.cache.outbox.get(later)!.state).toBe('pending');

    await expect(w.push.resolve(item, { createdAs: 424242 })).rejects.toThrow(/not one of the jobs/);
    await w.push.resolve(item, { createdAs: ours!.id });
    expect(w.cache.outbox.get(item)!.state).toBe('done');
    expect(serverIdOf(w.cache, item)).toBe(ours!.id);
    expect(w.cache.jobs.get(ours!.id)?.local).toBe(0);
    await w.push.drain();
    await w.push.stop();
    // the later create was sent (the two lookalikes existed before its first send): 3 jobs, each once
    expect(w.cache.outbox.get(later)!.state).toBe('done');
    expect(await w.onServer('unsure')).toHaveLength(3);
  }, 60_000);

  it('(d) "send again" sends it once more as a new create', async () => {
    const w = await world('d', () => null);
    const [ours, twin, item] = await lostCreateWithTwin(w, 'again');
    await w.push.resolve(item, 'sendAgain');
    await w.push.drain();
    await w.push.stop();
    expect(w.cache.outbox.get(item)!.state).toBe('done');
    expect([ours.id, twin.id]).not.toContain(serverIdOf(w.cache, item));
    expect(await w.onServer('again')).toHaveLength(3);
  }, 60_000);

  /**
   * Plays a create whose jobs.add reached the server but whose answer was lost, while a twin was made
   * elsewhere; the push loop is started and has put the item in needs_checking.
   */
  async function lostCreateWithTwin(w: Awaited<ReturnType<typeof world>>, name: string) {
    const item = w.queue(name);
    // what the push loop commits before the first send (nothing alike existed), then the request lands
    w.cache.outbox.setPayload(item, { ...JSON.parse(w.cache.outbox.get(item)!.payload), existingJobIds: [] });
    w.cache.outbox.markSending(item, new Date().toISOString());
    const [ours] = await w.admin.jobs.create({ name, datasetId: DATASET, userIds: [w.userId] });
    const [twin] = await w.admin.jobs.create({ name, datasetId: DATASET, userIds: [w.userId] });
    // the process died before the answer: at the next start the item is back to pending, sent once before
    w.cache.outbox.requeueSending(new Date().toISOString());
    w.push.start();
    for (let i = 0; i < 200 && w.cache.outbox.get(item)!.state !== 'needs_checking'; i++) await new Promise((r) => setTimeout(r, 20));
    return [ours!, twin!, item] as const;
  }
});
