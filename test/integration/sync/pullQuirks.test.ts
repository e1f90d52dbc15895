// The pull against a real-looking team (the local server's team world) and against each quirk of real
// servers, each switched on alone: the pull completes with every other list fresh, no job is lost and
// none falsely removed, no images.list during sync, and unknown statuses reach the cache's filters.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../main/cache';
import { LOOPBACK_CERT, startLocalServer, type Quirks, type RunningLocalServer } from '../../../main/local-server';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { BACKGROUND_POLICY } from '../../../main/supervisely/policy';
import { pullAll } from '../../../main/sync/pull';
import { knownUpdatedAtFilter } from '../../../main/sync/pull/incremental';
import { ensureProjectMeta, refreshDatasetImages } from '../../../main/sync/pull/onDemand';
import { tempDir } from '../support';

const JOBS = 2_000;
const TEAMS = [8, 9, 10, 11, 12];

describe('pull on the team world, one quirk at a time', () => {
  const t = tempDir('ljd-quirks-');
  const closers: (() => unknown)[] = [];
  let base: RunningLocalServer;
  /** every job on the server, archived included: what no pull may lose or take for removed */
  let serverJobIds: number[];
  let run = 0;
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  beforeAll(async () => {
    base = await startLocalServer({ port: 0, dataFile: join(t.dir, 'base.sqlite'), world: 'team', jobs: JOBS });
    const api = client(base.url, base.adminToken);
    serverJobIds = [];
    for (const teamId of TEAMS) serverJobIds.push(...(await api.jobs.list({ teamId, showDisabled: true })).map((j) => j.id));
    serverJobIds.sort((a, b) => a - b);
    await base.close();
  }, 60_000);

  function client(url: string, token: string, calls?: string[]): SuperviselyApi {
    return createSuperviselyApi({
      serverAddress: url,
      apiToken: token,
      ...BACKGROUND_POLICY,
      retryBaseMs: 50,
      onAttempt: (e) => calls?.push(e.endpoint),
    });
  }

  /** A server on a copy of the team world with these quirks, a fresh cache, and the endpoints called. */
  async function world(quirks: Quirks): Promise<{ server: RunningLocalServer; api: SuperviselyApi; cache: Cache; calls: string[] }> {
    const n = ++run;
    copyFileSync(join(t.dir, 'base.sqlite'), join(t.dir, `server-${n}.sqlite`));
    const server = await startLocalServer({ port: 0, dataFile: join(t.dir, `server-${n}.sqlite`), quirks });
    closers.push(() => server.close());
    const calls: string[] = [];
    const api = client(server.url, server.adminToken, calls);
    await api.users.getMyInfo(); // as the engine does: the server's clock is known before the first list
    const cache = openCache(join(t.dir, `cache-${n}.sqlite`));
    closers.push(() => cache.close());
    return { server, api, cache, calls };
  }

  const cachedJobIds = (cache: Cache) =>
    TEAMS.flatMap((teamId) => Array.from(cache.jobs.sortedIds({ teamId, showArchived: true }))).sort((a, b) => a - b);

  it('the team world: jobs of every team, unknown statuses kept, no images.list, a repeat sync writes nothing', async () => {
    const { api, cache, calls } = await world({});
    const first = await pullAll(cache, api);
    expect(first.stale).toEqual([]);
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
    expect(calls.filter((c) => c === 'images.list')).toEqual([]);
    // the first list of every team comes before any member or catalog list
    const firstJobs = calls.indexOf('jobs.list');
    expect(firstJobs).toBeLessThan(calls.indexOf('members.list'));
    expect(calls.lastIndexOf('jobs.list')).toBeLessThan(calls.indexOf('workspaces.list'));
    expect(Array.from(cache.jobs.sortedIds({ statuses: ['quality_check'], showArchived: true })).length).toBeGreaterThan(0);
    expect((await cache.jobs.countsByStatus({ showArchived: true })).map((c) => c.status)).toContain('quality_check');
    // datasets carry their counts; meta only for projects jobs refer to
    const projects = cache.db.prepare('SELECT COUNT(*) FROM projects').pluck().get() as number;
    expect(calls.filter((c) => c === 'projects.meta').length).toBeLessThan(projects);
    expect(cache.db.prepare('SELECT SUM(images_count) FROM datasets').pluck().get()).toBeGreaterThan(1_000_000);

    // second pull: the server is asked once whether it honours updatedAt, then only what changed is read
    calls.length = 0;
    const second = await pullAll(cache, api);
    expect(knownUpdatedAtFilter(cache)).toBe('honoured');
    expect(second.full).toBe(false);
    expect(second.jobsWritten).toBe(0);
    expect(second.removedJobIds).toEqual([]);
    expect(calls.filter((c) => c === 'images.list')).toEqual([]);
  }, 60_000);

  it('project meta: read for projects jobs refer to or the user opened, again only when the project changed', async () => {
    const { api, cache, calls, server } = await world({});
    const metaCalls = () => calls.filter((c) => c === 'projects.meta').length;
    await pullAll(cache, api);
    const referenced = cache.catalog.projectsReferencedByJobs({ withoutMetaOnly: false });
    expect(referenced.length).toBeGreaterThan(1);
    expect(metaCalls()).toBe(referenced.length);

    // a full pull of an unchanged world asks for no meta at all
    calls.length = 0;
    const again = await pullAll(cache, api, { full: true });
    expect(again.full).toBe(true);
    expect(metaCalls()).toBe(0);

    // one project's classes change on the server (its updatedAt moves): only that meta is read again
    const admin = client(server.url, server.adminToken);
    const changed = referenced[0]!.projectId;
    const meta = await admin.projects.getMeta(changed);
    const added = { id: null, title: 'added_later', shape: 'rectangle', color: '#00FF00', description: '', hotkey: '', geometryConfig: {} };
    await admin.projects.updateMeta(changed, { ...meta, classes: [...meta.classes, added] });
    calls.length = 0;
    await pullAll(cache, api, { full: true });
    expect(metaCalls()).toBe(1);
    expect(cache.catalog.projectMeta(changed)?.classes.map((c) => c.title)).toContain('added_later');

    // a project no job refers to is not asked, until the user opens it; then it is kept current like the others
    const all = cache.db.prepare('SELECT id FROM projects ORDER BY id').pluck().all() as number[];
    const opened = all.find((id) => !referenced.some((r) => r.projectId === id))!;
    expect(cache.catalog.projectMeta(opened)).toBeNull();
    await ensureProjectMeta(cache, api, opened, { online: true });
    calls.length = 0;
    await pullAll(cache, api, { full: true });
    expect(metaCalls()).toBe(0); // the on-demand read recorded the project's version
    const openedMeta = await admin.projects.getMeta(opened);
    await admin.projects.updateMeta(opened, { ...openedMeta, classes: [...openedMeta.classes, added] });
    calls.length = 0;
    await pullAll(cache, api);
    expect(metaCalls()).toBe(1);
    expect(cache.catalog.projectMeta(opened)?.classes.map((c) => c.title)).toContain('added_later');
  }, 60_000);

  it('a server that ignores the updatedAt filter: it is found out, and every pull lists everything', async () => {
    const { api, cache } = await world({ updatedAtFilter: 'ignored' });
    await pullAll(cache, api);
    const second = await pullAll(cache, api);
    expect(knownUpdatedAtFilter(cache)).toBe('ignored');
    expect(second.full).toBe(true);
    expect(second.stale).toEqual([]);
    expect(second.removedJobIds).toEqual([]);
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
  }, 60_000);

  it('a server that refuses the updatedAt filter: full lists, nothing stale', async () => {
    const { api, cache } = await world({ updatedAtFilter: 'rejected' });
    await pullAll(cache, api);
    const second = await pullAll(cache, api);
    expect(knownUpdatedAtFilter(cache)).toBe('rejected');
    expect(second.full).toBe(true);
    expect(second.stale).toEqual([]);
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
  }, 60_000);

  it('members.list forbidden: only the members lists are stale, with the server reason', async () => {
    const { api, cache } = await world({ forbiddenList: 'members.list' });
    const report = await pullAll(cache, api);
    expect(report.stale.map((s) => s.list).sort()).toEqual(TEAMS.map((id) => `members:${id}`).sort());
    expect(report.stale[0]!.reason).toMatch(/^Your role does not allow this \(403\)/);
    expect(cache.syncState.stale().map((s) => [s.kind, s.teamId])).toEqual(TEAMS.map((id) => ['members', id]));
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
    expect(report.fresh).toEqual(expect.arrayContaining(['teams', 'roles', ...TEAMS.map((id) => `jobs:${id}`)]));
  }, 60_000);

  it('jobs.list forbidden: the jobs lists are stale, members and the catalog still fresh, nothing removed', async () => {
    const { api, cache, server } = await world({});
    await pullAll(cache, api);
    await server.close();
    const again = await startLocalServer({ port: 0, dataFile: server.dataFile, quirks: { forbiddenList: 'jobs.list' } });
    closers.push(() => again.close());
    const report = await pullAll(cache, client(again.url, again.adminToken), { full: true });
    expect(report.stale.map((s) => s.list).sort()).toEqual(TEAMS.map((id) => `jobs:${id}`).sort());
    expect(report.removedJobIds).toEqual([]);
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
    expect(report.fresh).toEqual(expect.arrayContaining(TEAMS.map((id) => `members:${id}`)));
  }, 60_000);

  it('images.list refused for videos: sync never asks; the view asking gets the cached images and a recorded reason', async () => {
    const { api, cache, calls } = await world({ imagesListRefusedFor: 'videos' });
    const report = await pullAll(cache, api);
    expect(report.stale).toEqual([]);
    expect(calls).not.toContain('images.list');
    const dataset = (type: string) =>
      cache.db
        .prepare(
          `SELECT d.id FROM datasets d JOIN projects p ON p.id = d.project_id
      WHERE p.type = ? AND d.images_count < 10000 ORDER BY d.id LIMIT 1`,
        )
        .pluck()
        .get(type) as number;
    await refreshDatasetImages(cache, api, dataset('videos'), { online: true });
    expect(cache.catalog.images(dataset('videos'))).toEqual([]);
    expect(cache.syncState.get(`images:${dataset('videos')}`)?.lastError).toMatch(/refused the request \(400\)/);
    expect(cache.syncState.stale()).toEqual([]); // a view's read, not a sync list
    const images = dataset('images');
    await refreshDatasetImages(cache, api, images, { online: true });
    const count = cache.catalog.datasetImagesCount(images);
    expect(cache.catalog.images(images)).toHaveLength(count!);
    // fresh: asked again within the freshness time, the server is not asked
    calls.length = 0;
    await refreshDatasetImages(cache, api, images, { online: true });
    expect(calls).toEqual([]);
  }, 60_000);

  it('an http → https redirect: the client switches once and the pull completes over https', async () => {
    const defaultCAs = getCACertificates('default');
    setDefaultCACertificates([...defaultCAs, LOOPBACK_CERT]); // trust the local server's loopback certificate
    try {
      const { api, cache, server } = await world({ httpsRedirect: true });
      const report = await pullAll(cache, api);
      expect(api.serverAddress).toBe(server.httpsUrl);
      expect(report.stale).toEqual([]);
      expect(cachedJobIds(cache)).toEqual(serverJobIds);
    } finally {
      setDefaultCACertificates(defaultCAs);
    }
  }, 60_000);

  it('a bare host whose https answers at once: the probe switches before the first call, no redirect is needed', async () => {
    const defaultCAs = getCACertificates('default');
    setDefaultCACertificates([...defaultCAs, LOOPBACK_CERT]);
    try {
      // the TLS listener answers https itself; typed without a scheme, as a new user types app.supervisely.com
      const { server } = await world({ httpsRedirect: true });
      const host = new URL(server.httpsUrl!).host;
      const calls: string[] = [];
      const moved: string[] = [];
      const api = createSuperviselyApi({
        serverAddress: host,
        apiToken: server.adminToken,
        ...BACKGROUND_POLICY,
        retryBaseMs: 50,
        onAttempt: (e) => calls.push(`${e.endpoint} ${e.outcome}`),
        onServerAddressChanged: (a) => moved.push(a),
      });
      const cache = openCache(join(t.dir, `cache-bare-${run}.sqlite`));
      closers.push(() => cache.close());
      await api.users.getMyInfo();
      const report = await pullAll(cache, api);
      expect(api.serverAddress).toBe(server.httpsUrl);
      expect(moved).toEqual([server.httpsUrl]);
      // every call answered at once over https: no redirect, no failed attempt in plain http on the TLS port
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.filter((c) => !c.endsWith(' ok'))).toEqual([]);
      expect(report.stale).toEqual([]);
      expect(cachedJobIds(cache)).toEqual(serverJobIds);
    } finally {
      setDefaultCACertificates(defaultCAs);
    }
  }, 60_000);

  it('a rate limit with 429 + Retry-After: the pull waits as told and completes', async () => {
    const { api, cache, calls } = await world({ rateLimit: { requests: 40, windowMs: 1000 } });
    const report = await pullAll(cache, api);
    expect(report.stale).toEqual([]);
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
    expect(calls.length).toBeGreaterThan(40);
  }, 90_000);

  it('slow pages: the pull completes with everything fresh', async () => {
    const { api, cache } = await world({ pageLatencyMs: 50 });
    const report = await pullAll(cache, api);
    expect(report.stale).toEqual([]);
    expect(cachedJobIds(cache)).toEqual(serverJobIds);
  }, 90_000);

  it('a server clock hours behind ours: incremental pulls still see every change ("since" is the server clock)', async () => {
    const { api, cache, server } = await world({ clockOffsetHours: -5 });
    await pullAll(cache, api);
    await pullAll(cache, api); // learns that the filter is honoured
    const admin = client(server.url, server.adminToken);
    const job = (await admin.jobs.list({ teamId: 9 })).find((j) => j.status === 'pending');
    await admin.jobs.setStatus(job!.id, 'in_progress');
    const report = await pullAll(cache, api);
    expect(report.full).toBe(false);
    expect(report.statusChanges).toEqual([{ jobId: job!.id, from: 'pending', to: 'in_progress' }]);
    expect(cache.jobs.get(job!.id)!.status).toBe('in_progress');
  }, 60_000);
});
