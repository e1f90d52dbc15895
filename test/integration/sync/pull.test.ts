// Pull against the local server: jobs first, then members, then the catalog (no images: they are
// fetched on demand); jobs are pulled incrementally with updatedSince once the server proved it honours
// it (fully when it refuses that filter); a full list marks vanished jobs removed; a job with a queued
// change keeps its optimistic row; status history gets server timestamps, observed changes and the
// SDK's job activity (image review status) since the last pull.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { enqueueCreateJobs, enqueueJobAction } from '../../../main/sync/enqueue';
import { Connectivity } from '../../../main/sync/connectivity';
import { PushLoop } from '../../../main/sync/push';
import { pullAll } from '../../../main/sync/pull';
import { addMembers, adminApi, DATASET, interceptingProxy, startServer, TEAM, tempDir } from '../support';

describe('pull', () => {
  const t = tempDir('ljd-pull-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  /** a local server of its own in a subfolder, with one labeler (u.labeler_1); closed after the tests */
  async function serverOfItsOwn(name: string) {
    const dir = join(t.dir, name);
    mkdirSync(dir);
    const server = await startServer(dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1']);
    return { dir, server, admin, u };
  }

  it('pulls the catalog, incremental and full job lists, removals and history', async () => {
    const server = await startServer(t.dir);
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1']);
    const make = async (name: string) => (await admin.jobs.create({ name, datasetId: DATASET, userIds: [u.labeler_1!] }))[0]!;
    const a = await make('a');
    const b = await make('b');
    const c = await make('c');
    await admin.jobs.archive(c.id);

    let refuseUpdatedSince = false;
    const listBodies: string[] = [];
    const proxy = await interceptingProxy(server.url, (method, body) => {
      if (method !== 'jobs.list') return null;
      listBodies.push(body);
      return refuseUpdatedSince && body.includes('updatedAt')
        ? { status: 400, json: { error: 'Bad Request', details: { message: 'unknown filter field updatedAt' } } }
        : null;
    });
    closers.push(() => proxy.close());
    const api = adminApi(proxy.url, server.adminToken);
    const cache = openCache(join(t.dir, 'cache.sqlite'));
    closers.push(() => cache.close());

    const steps = new Set<string>();
    const first = await pullAll(cache, api, { onProgress: (p) => steps.add(p.step) });
    expect([...steps]).toEqual(['teams', 'jobs', 'members', 'queues', 'catalog']);
    expect(first.full).toBe(true);
    expect(first.stale).toEqual([]);
    expect(cache.catalog.teams().map((x) => x.id)).toEqual([TEAM]);
    expect(cache.catalog.images(DATASET)).toHaveLength(0);
    expect(cache.catalog.datasetImagesCount(DATASET)).toBe(6);
    expect(
      cache.catalog
        .projectMeta(5555)
        ?.classes.map((x) => x.title)
        .sort(),
    ).toEqual(['kiwi', 'lemon']);
    expect(cache.users.members(TEAM).map((m) => m.login)).toEqual(['labeler_1', 'my_username']);
    expect(cache.users.roles()).toHaveLength(6);
    expect(Array.from(cache.jobs.sortedIds({ teamId: TEAM, showArchived: true }))).toEqual([a.id, b.id, c.id]);
    expect(Array.from(cache.jobs.sortedIds({ teamId: TEAM }))).toEqual([a.id, b.id]);
    expect(cache.history.forJob(a.id)).toEqual([expect.objectContaining({ status: 'pending', source: 'server_timestamp' })]);
    expect(first.jobsWritten).toBe(3);
    // a full list of unchanged jobs writes nothing
    expect((await pullAll(cache, api, { full: true })).jobsWritten).toBe(0);

    // incremental: only what changed; a status change is observed and the activity feed is read
    await admin.jobs.setStatus(a.id, 'in_progress');
    const [image] = (await admin.jobs.getInfoById(a.id))!.entities!;
    await admin.jobs.setEntityReviewStatus(a.id, image!.id, 'done');
    listBodies.length = 0;
    const second = await pullAll(cache, api);
    expect(second.full).toBe(false);
    expect(listBodies.some((x) => x.includes('updatedAt'))).toBe(true);
    expect(cache.jobs.get(a.id)!.status).toBe('in_progress');
    expect(second.statusChanges).toEqual([{ jobId: a.id, from: 'pending', to: 'in_progress' }]);
    expect(second.jobsWritten).toBe(1);
    expect(cache.history.forJob(a.id).map((h) => `${h.status}/${h.source}/${h.note}`)).toEqual(
      expect.arrayContaining([
        'pending/server_timestamp/created',
        'in_progress/sync_observed/was pending',
        'in_progress/activity/image marked done by my_username',
      ]),
    );

    // a queued change is not clobbered by a pull
    await enqueueJobAction(cache, 'job.stop', [b.id], new Date());
    await admin.jobs.setStatus(b.id, 'on_review');
    await pullAll(cache, api);
    expect(cache.jobs.get(b.id)!.status).toBe('stopped');

    // the server refuses updatedSince: full list instead, which also notices a removal
    await admin.jobs.remove(a.id);
    refuseUpdatedSince = true;
    const third = await pullAll(cache, api);
    expect(third.full).toBe(true);
    expect(third.removedJobIds).toEqual([a.id]);
    expect(cache.jobs.get(a.id)!.removed_at).not.toBeNull();
    expect(Array.from(cache.jobs.sortedIds({ teamId: TEAM, showArchived: true }))).toEqual([b.id, c.id]);
    expect(cache.history.forJob(a.id).at(-1)).toMatchObject({ status: 'removed', source: 'sync_observed' });
    expect(cache.syncState.get(`jobs:${TEAM}`)?.lastError).toBeNull();
  }, 30_000);

  it('writes each chunk of a page in a turn of its own, never in the task that parsed the page', async () => {
    const { dir, server, admin, u } = await serverOfItsOwn('turns');
    for (const name of ['a', 'b', 'c']) await admin.jobs.create({ name, datasetId: DATASET, userIds: [u.labeler_1!] });
    const cache = openCache(join(dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    // the task that hands a page over ends when an immediate queued by it runs (immediates run in order)
    let inPageTask = false;
    const api = adminApi(server.url, server.adminToken);
    const listPages = api.jobs.listPages.bind(api.jobs);
    api.jobs.listPages = async function* (...args) {
      for await (const page of listPages(...args)) {
        inPageTask = true;
        setImmediate(() => (inPageTask = false));
        yield page;
      }
    };
    const transaction = cache.transaction.bind(cache);
    const writesInPageTask: number[] = [];
    let writes = 0;
    cache.transaction = (fn) => {
      writes++;
      if (inPageTask) writesInPageTask.push(writes);
      return transaction(fn);
    };
    await pullAll(cache, api, { full: true, chunkSize: 1 });
    expect(cache.jobs.count({ teamId: TEAM })).toBe(3);
    expect(writes).toBeGreaterThan(3);
    expect(writesInPageTask).toEqual([]);
  }, 30_000);

  it('a job our push creates while a full list is on its way is not taken for removed', async () => {
    const { dir, server, admin, u } = await serverOfItsOwn('race');
    let slowLists = false;
    const proxy = await interceptingProxy(server.url, (method) => (slowLists && method === 'jobs.list' ? { delayAnswerMs: 400 } : null));
    closers.push(() => proxy.close());
    const cache = openCache(join(dir, 'cache.sqlite'));
    closers.push(() => cache.close());
    await pullAll(cache, adminApi(proxy.url, server.adminToken), { full: true });
    cache.kv.set('me', { id: 7, login: 'my_username' });
    const {
      jobIds: [localId],
    } = enqueueCreateJobs(
      cache,
      {
        name: 'racer',
        datasetId: DATASET,
        userIds: [u.labeler_1!],
        classesToLabel: [],
        tagsToLabel: [],
        includeImagesWithTags: [],
        excludeImagesWithTags: [],
      },
      new Date(),
    );

    slowLists = true;
    const pulling = pullAll(cache, adminApi(proxy.url, server.adminToken), { full: true });
    await new Promise((r) => setTimeout(r, 150)); // the list has been computed without the new job
    const push = new PushLoop({ cache, api: admin, connectivity: new Connectivity() });
    push.start();
    await push.drain();
    await push.stop();
    const serverId = (await admin.jobs.list({ teamId: TEAM })).find((j) => j.name === 'racer')!.id;
    expect(cache.jobs.get(localId!)).toBeNull();
    await pulling;
    expect(cache.jobs.get(serverId)!.removed_at).toBeNull();
    expect(Array.from(cache.jobs.sortedIds({ teamId: TEAM }))).toEqual([serverId]);
  }, 30_000);
});
