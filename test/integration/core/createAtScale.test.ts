// The create form on the team world's biggest image dataset (100,000 to 250,000 formula images), against the real
// local server: opening it reads one page of images, not the dataset, and answers a small window; a far
// window costs a page more; the window's positions are the server's meta.range positions, so a job on a range
// holds exactly the images the form showed there; a job on "all images" needs no id list.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import { IMAGES_PAGE_SIZE } from '../../../main/sync/pull/onDemand';
import { adminApi, tempDir, waitFor } from '../support';

const HUGE = 100_000;

describe('the create form at team scale', () => {
  const t = tempDir('ljd-createscale-');
  let server: RunningLocalServer | null = null;
  let core: Core | null = null;
  const requests: string[] = [];
  afterAll(async () => {
    await core?.close();
    await server?.close();
    t.cleanup();
  });

  it('opens a huge dataset with a bounded read, and creates jobs on all images and on a range', async () => {
    const dataFile = join(t.dir, 'server.sqlite');
    server = await startLocalServer({ port: 0, dataFile, world: 'team', jobs: 300, log: (line) => requests.push(line) });
    const world = new Database(dataFile, { readonly: true });
    const huge = world
      .prepare(
        `SELECT d.id, d.synth_count AS count, p.team_id AS teamId FROM datasets d JOIN projects p ON p.id = d.project_id
        WHERE d.synth_count >= ? AND p.type = 'images' ORDER BY d.synth_count DESC LIMIT 1`,
      )
      .get(HUGE) as { id: number; count: number; teamId: number };
    const annotator = world
      .prepare('SELECT user_id FROM members WHERE team_id = ? AND role_id = 3 ORDER BY user_id LIMIT 1')
      .pluck()
      .get(huge.teamId) as number;
    world.close();
    expect(huge.count).toBeGreaterThanOrEqual(HUGE);

    core = createCore({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      profileOverride: { serverAddress: server.url, apiToken: server.adminToken },
      syncIntervalSec: 3600,
    });
    await core.start();
    const h = core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt, 60_000);

    const imageReads = () => requests.filter((r) => r.includes('/images.list')).length;
    const before = imageReads();
    // what the form asks when the dataset is chosen: the first window
    const first = await h['catalog.imagesPage']({ datasetId: huge.id, offset: 0, limit: 100 });
    expect(imageReads() - before).toBe(1);
    expect(first.total).toBe(huge.count);
    expect(first.images.map((i) => i.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(first.missing).toBe(0);
    expect(JSON.stringify(first).length).toBeLessThan(20_000);
    // the ids rise with the position: id order, the order meta.range counts in
    expect(first.images.every((img, i) => i === 0 || img.id > first.images[i - 1]!.id)).toBe(true);

    // the same window again comes from the cache; a window deep inside reads only the page(s) under it
    await h['catalog.imagesPage']({ datasetId: huge.id, offset: 0, limit: 100 });
    expect(imageReads() - before).toBe(1);
    const deep = Math.floor((huge.count * 0.8) / 1000) * 1000 + 120; // inside one server page
    const far = await h['catalog.imagesPage']({ datasetId: huge.id, offset: deep, limit: 100 });
    expect(imageReads() - before).toBe(2);
    expect(far.images.map((i) => i.position)).toEqual(Array.from({ length: 100 }, (_, i) => deep + 1 + i));
    expect(far.images[0]!.id - first.images[0]!.id).toBe(deep);
    // the end of the dataset: only the images that exist, none missing
    const last = await h['catalog.imagesPage']({ datasetId: huge.id, offset: huge.count - 10, limit: 100 });
    expect(last.images).toHaveLength(10);
    expect(last.missing).toBe(0);

    // a search looks at the images read so far (a big dataset is not read whole for it) and says so
    const wanted = far.images[42]!;
    const found = await h['catalog.imagesSearch']({ datasetId: huge.id, text: wanted.name.slice(-15), limit: 10 });
    expect(found.matches).toEqual([wanted]);
    expect(found.searched).toBeLessThan(1_500);
    expect(found.total).toBe(huge.count);
    expect(imageReads() - before).toBeLessThanOrEqual(4);

    // a split needs every id: read part by part, answered as bare ids in id order
    const readsBeforePool = imageReads();
    const pool = await h['catalog.imagePool']({ datasetId: huge.id });
    // 1,000 images a request (four cached pages each): the pages read before sit in groups that still need reading
    expect(imageReads() - readsBeforePool).toBe(Math.ceil(huge.count / (4 * IMAGES_PAGE_SIZE)));
    expect(pool).toMatchObject({ total: huge.count, missing: 0, problem: null });
    expect(pool.ids).toHaveLength(huge.count);
    expect(pool.ids[deep]).toBe(far.images[0]!.id);
    expect(pool.ids.every((id, i) => i === 0 || id > pool.ids[i - 1]!)).toBe(true);
    expect(JSON.stringify(pool).length).toBeLessThan(huge.count * 12);

    const admin = adminApi(server.url, server.adminToken);
    const base = {
      datasetId: huge.id,
      userIds: [annotator],
      classesToLabel: [],
      tagsToLabel: [],
      includeImagesWithTags: [],
      excludeImagesWithTags: [],
    };
    // a range the lead saw in the window: the job holds exactly those images
    await h['jobs.create']({ ...base, name: 'scale range', imagesRange: [deep + 11, deep + 20] });
    // all images: no id list anywhere
    await h['jobs.create']({ ...base, name: 'scale all' });
    await waitFor('jobs sent', async () => (await h['sync.state']({})).outboxPending === 0, 60_000);
    const made = (await admin.jobs.list({ teamId: huge.teamId })).filter((j) => j.name.startsWith('scale '));
    const rangeJob = made.find((j) => j.name === 'scale range')!;
    const allJob = made.find((j) => j.name === 'scale all')!;
    const info = await admin.jobs.getInfoById(rangeJob.id);
    expect(info!.entities!.map((e) => e.id).sort((a, b) => a - b)).toEqual(far.images.slice(10, 20).map((i) => i.id));
    expect(allJob.imagesCount).toBe(huge.count);
  }, 180_000);
});
