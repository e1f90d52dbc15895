// A window of a dataset's images (the create form's list) from the real local server into a real cache file:
// each server page is read once while fresh; offline, or when the server fails, the cache answers what it has
// and the rest is counted as missing with the reason; a whole list read once (to split) answers by position.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import {
  datasetImagesWindow,
  IMAGES_FRESH_MS,
  IMAGES_PAGE_SIZE,
  refreshDatasetImages,
  searchDatasetImages,
} from '../../../main/sync/pull/onDemand';
import { adminApi, DATASET, interceptingProxy, tempDir } from '../support';

describe('a window of a dataset’s images', () => {
  const t = tempDir('ljd-imageswindow-');
  let server: RunningLocalServer | null = null;
  afterAll(async () => {
    await server?.close();
    t.cleanup();
  });

  it('is read a page at a time, and answered from the cache offline or when the server fails', async () => {
    const dataFile = join(t.dir, 'server.sqlite');
    const reads: string[] = [];
    server = await startLocalServer({
      port: 0,
      dataFile,
      world: 'team',
      jobs: 50,
      log: (l) => l.includes('/images.list') && reads.push(l),
    });
    const world = new Database(dataFile, { readonly: true });
    const big = world
      .prepare(`SELECT d.id, d.synth_count AS count FROM datasets d WHERE d.synth_count > 5000 ORDER BY d.id LIMIT 1`)
      .get() as { id: number; count: number };
    const smallSet = world
      .prepare(`SELECT d.id, d.synth_count AS count FROM datasets d WHERE d.synth_count BETWEEN 1000 AND 5000 ORDER BY d.id LIMIT 1`)
      .get() as { id: number; count: number };
    world.close();
    const cache = openCache(join(t.dir, 'cache.sqlite'));
    const api = adminApi(server.url, server.adminToken);
    const start = Date.now();
    const at = (ms: number) => () => new Date(start + ms);

    const online = await datasetImagesWindow(cache, api, big.id, 240, 20, { online: true, now: at(0) });
    expect(reads).toHaveLength(2); // positions 241–260 straddle pages 1 and 2 of 250
    expect(online.images.map((i) => i.position)).toEqual(Array.from({ length: 20 }, (_, i) => 241 + i));
    expect(online).toMatchObject({ total: big.count, missing: 0, problem: null });

    // fresh: no request; offline: the same rows from the cache, and a page never read is missing, with why
    expect(await datasetImagesWindow(cache, api, big.id, 240, 20, { online: true, now: at(60_000) })).toEqual(online);
    expect(reads).toHaveLength(2);
    expect(await datasetImagesWindow(cache, api, big.id, 240, 20, { online: false })).toEqual(online);
    const unread = await datasetImagesWindow(cache, api, big.id, 3 * IMAGES_PAGE_SIZE, 10, { online: false });
    expect(unread).toMatchObject({ total: big.count, images: [], missing: 10, problem: 'Offline: only images read before are shown.' });

    // a search on a dataset of a few thousand reads it whole first (1,000 a request) and finds its last image
    const small = { id: smallSet.id, count: smallSet.count };
    const before = reads.length;
    const found = await searchDatasetImages(cache, api, small.id, `_${String(small.count).padStart(7, '0')}.`, 5, {
      online: true,
      now: at(0),
    });
    expect(found).toMatchObject({ total: small.count, searched: small.count, more: false });
    expect(found.matches.map((m) => m.position)).toEqual([small.count]);
    expect(reads.length - before).toBe(1 + Math.ceil(small.count / 1000));

    // stale and the server gone: the cached rows still answer, and the reason is given
    await server.close();
    server = null;
    const failures: unknown[] = [];
    const failed = await datasetImagesWindow(cache, api, big.id, 240, 20, {
      online: true,
      now: at(IMAGES_FRESH_MS + 1),
      reportFailure: (e) => failures.push(e),
    });
    expect(failed.images).toEqual(online.images);
    expect(failed.missing).toBe(0);
    expect(failed.problem).toMatch(/^Images not read from the server: /);
    expect(failures.length).toBeGreaterThan(0);
    cache.close();
  }, 120_000);

  it('shows no numbers rather than wrong ones when the server pages by another size', async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'capped-server.sqlite'), world: 'demo' });
    // a server that caps per_page at 4: its page 2 is images 5–8, not 251–500
    const capped = await interceptingProxy(server.url, (method, body) => {
      if (method !== 'images.list') return null;
      const { page } = JSON.parse(body) as { page: number };
      const ids = [3882697, 3882698, 3882699, 3882700, 3882701, 3882702].slice((page - 1) * 4, page * 4);
      const entities = ids.map((id) => ({ id, name: `img_${id}.jpeg`, datasetId: DATASET, meta: {}, tags: [] }));
      return { status: 200, json: { total: 600, perPage: 4, pagesCount: 150, entities } };
    });
    const cache = openCache(join(t.dir, 'capped-cache.sqlite'));
    try {
      const window = await datasetImagesWindow(cache, adminApi(capped.url, server.adminToken), DATASET, 250, 10, { online: true });
      expect(window.images).toEqual([]);
      expect(window.missing).toBe(10);
      expect(window.problem).toMatch(/a page of 4 images where 250 were asked for, so their numbers are unknown/);
    } finally {
      cache.close();
      await capped.close();
      await server.close();
      server = null;
    }
  });

  it('answers by position from a whole list read once (to split it)', async () => {
    const dir = join(t.dir, 'whole');
    server = await startLocalServer({ port: 0, dataFile: `${dir}-server.sqlite`, world: 'demo' });
    const cache = openCache(`${dir}-cache.sqlite`);
    const api = adminApi(server.url, server.adminToken);
    await refreshDatasetImages(cache, api, DATASET, { online: true });
    const all = cache.catalog.images(DATASET);
    const window = await datasetImagesWindow(cache, api, DATASET, 2, 3, { online: false });
    expect(window.images.map((i) => [i.position, i.id])).toEqual(all.slice(2, 5).map((img, k) => [3 + k, img.id]));
    expect(window).toMatchObject({ total: 6, missing: 0, problem: null });
    cache.close();
  });
});
