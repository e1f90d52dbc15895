// The project browser's channels against the team world (60 projects of every type, synthetic datasets) over
// real HTTP and a real cache file: projects with dataset counts without listing images, the meta read when a
// project is opened and kept while fresh, a page of a dataset's images, and all of it offline from the cache.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import { PROJECT_TYPES } from '../../../main/local-server/world-team';
import { adminApi, interceptingProxy, tempDir, waitFor } from '../support';

const TEAM = 9;

describe('project browser', () => {
  const t = tempDir('ljd-projects-');
  let server: RunningLocalServer;
  let proxy: { url: string; close(): Promise<void> } | null = null;
  let core: Core;
  /** API methods the core sent, in order (the proxy sees every call) */
  const calls: string[] = [];
  const callsOf = (method: string) => calls.filter((c) => c === method).length;

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'team', jobs: 20 });
    proxy = await interceptingProxy(server.url, (method) => {
      calls.push(method);
      return null;
    });
    core = createCore({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      profileOverride: { serverAddress: proxy.url, apiToken: server.adminToken },
      syncIntervalSec: 3600,
    });
    await core.start();
    await waitFor('first sync', async () => (await core.handlers['sync.state']({})).lastSyncAt, 60_000);
  }, 90_000);
  afterAll(async () => {
    await core?.close();
    await proxy?.close();
    await server?.close();
    t.cleanup();
  });

  const h = () => core.handlers;
  const admin = () => adminApi(server.url, server.adminToken);

  it('lists the team’s projects of every type with their datasets and image counts, without listing images', async () => {
    const before = callsOf('images.list');
    const projects = await h()['projects.list']({ teamId: TEAM });
    expect(callsOf('images.list')).toBe(before);

    const onServer = await admin().projects.list({ teamId: TEAM });
    expect(projects.map((p) => p.id).sort()).toEqual(onServer.map((p) => p.id).sort());
    expect(new Set(projects.map((p) => p.type))).toEqual(new Set(PROJECT_TYPES.map(([type]) => type)));
    for (const p of projects) expect(p.usable).toBe(p.type === 'images');

    const sample = projects.find((p) => p.type === 'videos')!;
    const datasets = await admin().datasets.list(sample.id);
    expect(sample.datasets.map((d) => [d.id, d.imagesCount]).sort()).toEqual(datasets.map((d) => [d.id, d.imagesCount]).sort());
    expect(sample.datasets.every((d) => (d.imagesCount ?? 0) > 0)).toBe(true);
    expect(sample.workspaceName).not.toBe('');
  });

  it('reads a project’s classes and tags when opened, then answers from the cache while they are fresh', async () => {
    const project = (await h()['projects.list']({ teamId: TEAM })).find((p) => p.usable)!;
    const first = await h()['projects.meta']({ projectId: project.id, refresh: true });
    const expected = await admin().projects.getMeta(project.id);
    expect(first.problem).toBeNull();
    expect(first.fetchedAt).not.toBeNull();
    expect(first.meta!.classes.map((c) => [c.title, c.shape, c.color])).toEqual(expected.classes.map((c) => [c.title, c.shape, c.color]));
    expect(first.meta!.classes.length).toBeGreaterThanOrEqual(3);
    for (const c of first.meta!.classes) expect(c.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(first.meta!.tags.map((x) => [x.name, x.valueType, x.color])).toEqual(expected.tags.map((x) => [x.name, x.valueType, x.color]));

    const reads = callsOf('projects.meta');
    const again = await h()['projects.meta']({ projectId: project.id, refresh: false });
    expect(callsOf('projects.meta')).toBe(reads);
    expect(again).toEqual(first);
    // asked to refresh: the server is read again
    await h()['projects.meta']({ projectId: project.id, refresh: true });
    expect(callsOf('projects.meta')).toBe(reads + 1);
  });

  it('stores an opened project’s meta with its version, so the next sync does not read it again', async () => {
    const project = (await h()['projects.list']({ teamId: TEAM })).find((p) => p.usable)!;
    await h()['projects.meta']({ projectId: project.id, refresh: true });
    const reads = callsOf('projects.meta');
    await h()['sync.now']({});
    await waitFor('the next sync', async () => !(await h()['sync.state']({})).syncing, 60_000);
    expect(callsOf('projects.meta')).toBe(reads);
  }, 90_000);

  it('answers a clear not_found for a project or dataset the cache does not know', async () => {
    await expect(h()['projects.meta']({ projectId: 987_654_321, refresh: false })).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('987654321'),
    });
    await expect(h()['projects.images']({ datasetId: 987_654_321, offset: 0, limit: 10 })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('pages a dataset’s images in id order, as the server lists them', async () => {
    const project = (await h()['projects.list']({ teamId: TEAM })).find((p) => p.usable)!;
    const dataset = [...project.datasets].sort((a, b) => (a.imagesCount ?? 0) - (b.imagesCount ?? 0))[0]!;
    const page1 = await h()['projects.images']({ datasetId: dataset.id, offset: 0, limit: 24 });
    const page2 = await h()['projects.images']({ datasetId: dataset.id, offset: 24, limit: 24 });
    const onServer = await admin().images.list(dataset.id);
    expect(page1.problem).toBeNull();
    expect(page1.fetchedAt).not.toBeNull();
    expect(page1.total).toBe(onServer.length);
    expect(page1.datasetImagesCount).toBe(dataset.imagesCount);
    expect([...page1.images, ...page2.images].map((i) => [i.id, i.name])).toEqual(onServer.slice(0, 48).map((i) => [i.id, i.name]));
    // the second page came from the cache (the list is fresh)
    expect(callsOf('images.list')).toBeGreaterThan(0);
    const listed = callsOf('images.list');
    await h()['projects.images']({ datasetId: dataset.id, offset: 48, limit: 24 });
    expect(callsOf('images.list')).toBe(listed);
    // a thumbnail of the page, through the create form's channel
    const thumb = await h()['catalog.thumbnail']({ imageId: page1.images[0]!.id });
    expect(thumb.dataUrl).toMatch(/^data:image\/png;base64,/);
  });

  it('opens the biggest dataset with one server page, not its whole list', async () => {
    const datasets = (await h()['projects.list']({ teamId: TEAM })).filter((p) => p.usable).flatMap((p) => p.datasets);
    const biggest = [...datasets].sort((a, b) => (b.imagesCount ?? 0) - (a.imagesCount ?? 0))[0]!;
    expect(biggest.imagesCount).toBeGreaterThan(10_000);
    const before = callsOf('images.list');
    const page = await h()['projects.images']({ datasetId: biggest.id, offset: 0, limit: 48 });
    expect(callsOf('images.list') - before).toBe(1);
    expect(page.images).toHaveLength(48);
    expect(page.total).toBe(biggest.imagesCount);
    // a deep page reads the one server page under it
    const deep = await h()['projects.images']({ datasetId: biggest.id, offset: 10_000, limit: 48 });
    expect(callsOf('images.list') - before).toBe(2);
    expect(deep.images[0]!.id).toBeGreaterThan(page.images.at(-1)!.id);
  });

  it('offline: the projects, an opened project’s meta and an opened dataset’s images come from the cache', async () => {
    const projects = await h()['projects.list']({ teamId: TEAM });
    const project = projects.find((p) => p.usable)!;
    const dataset = [...project.datasets].sort((a, b) => (a.imagesCount ?? 0) - (b.imagesCount ?? 0))[0]!;
    // the sync reads the meta of the projects jobs refer to; one no job uses is read only when opened
    const withJobs = new Set((await admin().jobs.list({ teamId: TEAM, showDisabled: true })).map((j) => j.projectId));
    const neverOpened = projects.find((p) => !withJobs.has(p.id) && p.id !== project.id)!;
    const onlineMeta = await h()['projects.meta']({ projectId: project.id, refresh: false });
    const onlinePage = await h()['projects.images']({ datasetId: dataset.id, offset: 0, limit: 24 });

    await proxy!.close();
    proxy = null;
    await h()['sync.now']({});
    await waitFor('offline noticed', async () => (await h()['sync.state']({})).online === false, 30_000);

    expect(await h()['projects.list']({ teamId: TEAM })).toEqual(projects);
    const meta = await h()['projects.meta']({ projectId: project.id, refresh: true });
    expect(meta.meta).toEqual(onlineMeta.meta);
    expect(meta.fetchedAt).toBe(onlineMeta.fetchedAt);
    expect(meta.problem).toMatch(/^Offline: .*last read/);
    const page = await h()['projects.images']({ datasetId: dataset.id, offset: 0, limit: 24 });
    expect(page.images).toEqual(onlinePage.images);

    const unknownMeta = await h()['projects.meta']({ projectId: neverOpened.id, refresh: false });
    expect(unknownMeta).toEqual({ meta: null, fetchedAt: null, problem: expect.stringMatching(/never opened while online/) });
    const otherDataset = projects.find((p) => p.type === 'images' && p.id !== project.id)!.datasets[0]!;
    const unread = await h()['projects.images']({ datasetId: otherDataset.id, offset: 0, limit: 24 });
    expect(unread.images).toEqual([]);
    expect(unread.datasetImagesCount).toBe(otherDataset.imagesCount);
    expect(unread.problem).toMatch(/never opened while online/);
  }, 60_000);
});
