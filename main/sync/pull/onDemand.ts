// What views fetch when they need it, never the sync: a dataset's images (a window of them a page at a time for
// the create form's list, a search among them, every id to split them, one for a thumbnail), a project's meta (a
// project the user opens) and a job's activity (its timeline opens). Cached with the time they were read (sync_state "images:<datasetId>",
// "job-activity:<jobId>"); a cached copy answers while it is fresh, when offline, or when the server
// refuses (a video dataset's images.list answering 400).
import type { Cache } from '../../cache';
import type { ListSyncState } from '../../cache/syncState';
import type { SuperviselyApi } from '../../supervisely/api';
import type { ProjectMeta } from '../../supervisely/types';
import { ApiError } from '../../supervisely/errors';
import { describeError, isConnectivityError } from '../errors';
import { pullJobActivity } from './activity';
import { metaListKey } from './catalog';

/** A dataset's images (or a job's activity) read within this long are shown without asking the server again. */
export const IMAGES_FRESH_MS = 10 * 60_000;
export const JOB_ACTIVITY_FRESH_MS = 5 * 60_000;

export interface OnDemandOptions {
  online: boolean;
  log?: (line: string) => void;
  reportFailure?: (err: unknown) => void;
  now?: () => Date;
}

export const imagesListKey = (datasetId: number): string => `images:${datasetId}`;

/** Reads the dataset's images from the server unless the cached ones are fresh; the cache answers either way. */
export async function refreshDatasetImages(cache: Cache, api: SuperviselyApi, datasetId: number, o: OnDemandOptions): Promise<void> {
  const now = o.now ?? (() => new Date());
  const key = imagesListKey(datasetId);
  const fetchedAt = cache.syncState.get(key)?.fetchedAt;
  if (!o.online || (fetchedAt && now().getTime() - Date.parse(fetchedAt) < IMAGES_FRESH_MS)) return;
  try {
    const images = await api.images.list(datasetId);
    cache.transaction(() => {
      cache.catalog.replaceImages(datasetId, images);
      cache.syncState.markFetched(key, now().toISOString(), images.length);
    });
  } catch (err) {
    if (isConnectivityError(err)) o.reportFailure?.(err);
    cache.syncState.markFailed(key, now().toISOString(), describeError(err));
    o.log?.(`images of dataset ${datasetId} not read: ${describeError(err)}`);
  }
}

/** Images per server page of a window read: a window of up to 500 rows touches at most three pages. */
export const IMAGES_PAGE_SIZE = 250;
export const imagesPageKey = (datasetId: number, page: number): string => `images:${datasetId}:page:${page}`;

/** What a page's sync_state cursor keeps: its id bounds (null when the page was empty) and the server's total then. */
interface PageCursor {
  firstId: number | null;
  lastId: number | null;
  total: number;
}
const readCursor = (raw: string | null | undefined): PageCursor | null => {
  try {
    return raw ? (JSON.parse(raw) as PageCursor) : null;
  } catch {
    return null;
  }
};

export interface ImagesWindow {
  total: number | null;
  offset: number;
  images: { position: number; id: number; name: string; tags: string[] }[];
  missing: number;
  problem: string | null;
}

// Two windows asking for the same page at once (a fast scroll) share one request.
const pagesInFlight = new WeakMap<Cache, Map<string, Promise<void>>>();

/** Reads `span` pages from `page` on (`page` a multiple of `span`) in one request, and caches each page with its bounds. */
async function fetchImagesPages(
  cache: Cache,
  api: SuperviselyApi,
  datasetId: number,
  page: number,
  span: number,
  o: OnDemandOptions,
): Promise<void> {
  const now = o.now ?? (() => new Date());
  const size = IMAGES_PAGE_SIZE * span;
  const { total, perPage, images } = await api.images.listPage(datasetId, { page: page / span + 1, perPage: size });
  // a server that pages by another size would put these rows at other positions: better none than wrong ones
  if (perPage !== size || images.length > size) {
    throw new ApiError(
      'malformed_response',
      `a page of ${perPage} images where ${size} were asked for, so their numbers are unknown`,
      'images.list',
      { field: 'perPage' },
    );
  }
  const sorted = [...images].sort((a, b) => a.id - b.id);
  cache.transaction(() => {
    for (let k = 0; k < span; k++) {
      const rows = sorted.slice(k * IMAGES_PAGE_SIZE, (k + 1) * IMAGES_PAGE_SIZE);
      const cursor: PageCursor = { firstId: rows[0]?.id ?? null, lastId: rows.at(-1)?.id ?? null, total };
      if (cursor.firstId !== null && cursor.lastId !== null)
        cache.catalog.replaceImagesBetween(datasetId, cursor.firstId, cursor.lastId, rows);
      cache.syncState.markFetched(imagesPageKey(datasetId, page + k), now().toISOString(), rows.length, JSON.stringify(cursor));
    }
  });
}

/**
 * Images `offset` … `offset + limit − 1` of a dataset in id order (the order `meta.range` counts in). Only the
 * server pages under the window are read, each unless cached within IMAGES_FRESH_MS; offline or refused, the
 * cache answers what it has (a page read before, or the whole list) and the rest is counted as missing.
 */
export async function datasetImagesWindow(
  cache: Cache,
  api: SuperviselyApi,
  datasetId: number,
  offset: number,
  limit: number,
  o: OnDemandOptions,
  /** read this many pages per request (a whole-dataset read); the window must then start at a multiple of them */
  span = 1,
): Promise<ImagesWindow> {
  const now = o.now ?? (() => new Date());
  const pages: number[] = [];
  for (let p = Math.floor(offset / IMAGES_PAGE_SIZE); p <= Math.floor((offset + limit - 1) / IMAGES_PAGE_SIZE); p++) pages.push(p);
  let problem: string | null = null;
  const inFlight = pagesInFlight.get(cache) ?? new Map<string, Promise<void>>();
  pagesInFlight.set(cache, inFlight);
  const stale = pages.filter((p) => {
    const fetchedAt = cache.syncState.get(imagesPageKey(datasetId, p))?.fetchedAt;
    return o.online && !(fetchedAt && now().getTime() - Date.parse(fetchedAt) < IMAGES_FRESH_MS);
  });
  // one request per stale page, or one for the whole span when reading many pages at once
  const reads =
    span > 1 && stale.length ? [{ first: pages[0]!, span, covers: stale }] : stale.map((p) => ({ first: p, span: 1, covers: [p] }));
  await Promise.all(
    reads.map(async ({ first, span: n, covers }) => {
      const key = `${imagesPageKey(datasetId, first)}+${n}`;
      let read = inFlight.get(key);
      if (!read) {
        read = fetchImagesPages(cache, api, datasetId, first, n, o).finally(() => inFlight.delete(key));
        inFlight.set(key, read);
      }
      try {
        await read;
      } catch (err) {
        if (isConnectivityError(err)) o.reportFailure?.(err);
        for (const p of covers) cache.syncState.markFailed(imagesPageKey(datasetId, p), now().toISOString(), describeError(err));
        problem = `Images not read from the server: ${describeError(err)}`;
        o.log?.(`images of dataset ${datasetId} (from page ${first + 1}) not read: ${describeError(err)}`);
      }
    }),
  );

  // the total: the newest page read says it (of this window, else of the dataset); else the whole list read
  // once; else the dataset's count from sync
  const whole = cache.syncState.get(imagesListKey(datasetId));
  const cursors = pages.map((p) => ({ p, state: cache.syncState.get(imagesPageKey(datasetId, p)) }));
  const newestTotal = (states: (ListSyncState | null | undefined)[]) =>
    readCursor(
      states.filter((st): st is ListSyncState => !!st?.fetchedAt).sort((a, b) => Date.parse(b.fetchedAt!) - Date.parse(a.fetchedAt!))[0]
        ?.cursor,
    )?.total;
  const prefix = `${imagesListKey(datasetId)}:page:`;
  const total =
    newestTotal(cursors.map((c) => c.state)) ??
    newestTotal(cache.syncState.all().filter((st) => st.list.startsWith(prefix))) ??
    (whole?.fetchedAt ? whole.rows : null) ??
    cache.catalog.datasetImagesCount(datasetId);

  const images: ImagesWindow['images'] = [];
  for (const { p, state } of cursors) {
    const cursor = state?.fetchedAt ? readCursor(state.cursor) : null;
    const rows = cursor
      ? cursor.firstId === null || cursor.lastId === null
        ? []
        : cache.catalog.imagesBetween(datasetId, cursor.firstId, cursor.lastId)
      : whole?.fetchedAt
        ? cache.catalog.imagesAt(datasetId, p * IMAGES_PAGE_SIZE, IMAGES_PAGE_SIZE)
        : [];
    rows.forEach((r, i) => {
      const position = p * IMAGES_PAGE_SIZE + i + 1;
      if (position > offset && position <= offset + limit) images.push({ position, ...r });
    });
  }
  // with no count known, a failed read leaves the whole window unknown
  const expected = total !== null ? Math.max(0, Math.min(limit, total - offset)) : problem ? limit : images.length;
  const missing = Math.max(0, expected - images.length);
  if (missing && !problem) problem = o.online ? 'Some images could not be read.' : 'Offline: only images read before are shown.';
  return { total, offset, images, missing, problem };
}

export interface ImagePool {
  total: number | null;
  /** every image id known, in id order (position k is ids[k − 1]) */
  ids: number[];
  /** the images that have tags, with them (the others have none) */
  tagged: { id: number; tags: string[] }[];
  missing: number;
  problem: string | null;
}

/** Requests of a whole-dataset read in flight at once, each of POOL_SPAN pages (1,000 images). */
const POOL_CONCURRENCY = 4;
const POOL_SPAN = 4;

/**
 * Every image id of a dataset (and the tags of those that have some), to split them among annotators: read
 * 1,000 at a time and each part written to the cache as it comes, so only a few are in memory at once,
 * and answered as bare ids (a tenth of the rows' size). Offline, what the cache has, with the rest missing.
 */
export async function datasetImagePool(cache: Cache, api: SuperviselyApi, datasetId: number, o: OnDemandOptions): Promise<ImagePool> {
  const idsByGroup: number[][] = [];
  const tagged: ImagePool['tagged'] = [];
  let missing = 0;
  let problem: string | null = null;
  const take = (p: number, w: ImagesWindow) => {
    idsByGroup[p] = w.images.map((i) => i.id);
    for (const i of w.images) if (i.tags.length) tagged.push({ id: i.id, tags: i.tags });
    missing += w.missing;
    problem ??= w.problem;
  };
  const groupSize = IMAGES_PAGE_SIZE * POOL_SPAN;
  const first = await datasetImagesWindow(cache, api, datasetId, 0, groupSize, o, POOL_SPAN);
  take(0, first);
  const groups = Math.ceil((first.total ?? 0) / groupSize);
  let next = 1;
  const worker = async () => {
    while (next < groups) {
      const g = next++;
      take(g, await datasetImagesWindow(cache, api, datasetId, g * groupSize, groupSize, o, POOL_SPAN));
    }
  };
  await Promise.all(Array.from({ length: Math.min(POOL_CONCURRENCY, Math.max(0, groups - 1)) }, worker));
  tagged.sort((a, b) => a.id - b.id);
  return { total: first.total, ids: idsByGroup.flat(), tagged, missing, problem };
}

/** A dataset this small is read whole before a search, so the search sees every name. */
export const SEARCH_READS_ALL_UP_TO = 5_000;

export interface ImagesSearch {
  total: number | null;
  /** how many images the search looked at: all of them, or the ones read so far */
  searched: number;
  matches: ImagesWindow['images'];
  /** more matches than `limit` */
  more: boolean;
}

/**
 * Images whose name contains `text`, with their positions, among the ones read so far (the server has no
 * name search every server can answer: the local server's formula datasets filter on id only). A small
 * dataset is read whole first, so its search is complete; a big one says how many images it looked at.
 */
export async function searchDatasetImages(
  cache: Cache,
  api: SuperviselyApi,
  datasetId: number,
  text: string,
  limit: number,
  o: OnDemandOptions,
): Promise<ImagesSearch> {
  const first = await datasetImagesWindow(cache, api, datasetId, 0, 1, o);
  if (first.total !== null && first.total > IMAGES_PAGE_SIZE && first.total <= SEARCH_READS_ALL_UP_TO) {
    await datasetImagePool(cache, api, datasetId, o); // reads every page not fresh, 1,000 images a request
  }
  const prefix = `${imagesListKey(datasetId)}:page:`;
  const pages = cache.syncState
    .all()
    .filter((st) => st.list.startsWith(prefix) && st.fetchedAt)
    .map((st) => ({ page: Number(st.list.slice(prefix.length)), rows: st.rows ?? 0, cursor: readCursor(st.cursor) }))
    .filter((p) => Number.isInteger(p.page) && p.cursor?.firstId != null && p.cursor.lastId != null)
    .sort((a, b) => a.page - b.page);
  const matches: ImagesWindow['images'] = [];
  let searched = 0;
  let more = false;
  const whole = cache.syncState.get(imagesListKey(datasetId));
  if (!pages.length && whole?.fetchedAt) {
    // only the whole list was read (to split it): positions count from the first image
    const found = cache.catalog.imagesNamed(datasetId, 0, Number.MAX_SAFE_INTEGER, text, limit + 1);
    searched = whole.rows ?? 0;
    more = found.length > limit;
    for (const { rank, ...r } of found.slice(0, limit)) matches.push({ position: rank, ...r });
  }
  for (const p of pages) {
    searched += p.rows;
    if (matches.length > limit) continue;
    for (const { rank, ...r } of cache.catalog.imagesNamed(datasetId, p.cursor!.firstId!, p.cursor!.lastId!, text, limit + 1)) {
      matches.push({ position: p.page * IMAGES_PAGE_SIZE + rank, ...r });
    }
  }
  if (matches.length > limit) more = true;
  return { total: first.total, searched: Math.min(searched, first.total ?? searched), matches: matches.slice(0, limit), more };
}

/**
 * Reads a project's meta and stores it with the project's version listed before the read, as sync stores
 * it (pull/catalog.ts), so the next sync does not read it again. Throws what the server answered.
 */
export async function readProjectMeta(cache: Cache, api: SuperviselyApi, projectId: number, at: () => Date): Promise<ProjectMeta> {
  const version = cache.catalog.projectVersion(projectId);
  const meta = await api.projects.getMeta(projectId);
  cache.transaction(() => {
    cache.catalog.setProjectMeta(projectId, meta);
    if (version) {
      const rows = meta.classes.length + meta.tags.length;
      cache.syncState.markFetched(metaListKey(version.teamId, projectId), at().toISOString(), rows, version.updatedAt);
    }
  });
  return meta;
}

/** A project's meta, read once from the server when the cache has none. */
export async function ensureProjectMeta(cache: Cache, api: SuperviselyApi, projectId: number, o: OnDemandOptions): Promise<void> {
  if (!o.online || cache.catalog.projectMeta(projectId)) return;
  try {
    await readProjectMeta(cache, api, projectId, o.now ?? (() => new Date()));
  } catch (err) {
    if (isConnectivityError(err)) o.reportFailure?.(err);
    o.log?.(`meta of project ${projectId} not read: ${describeError(err)}`);
  }
}

/** One image's row (for its preview address) when its dataset's images were never read. */
export async function ensureImage(cache: Cache, api: SuperviselyApi, imageId: number, o: OnDemandOptions): Promise<void> {
  if (!o.online || cache.catalog.imagePreviewUrl(imageId) !== null) return;
  try {
    const image = await api.images.getInfoById(imageId);
    if (image) cache.transaction(() => cache.catalog.putImages(image.datasetId, [image]));
  } catch (err) {
    if (isConnectivityError(err)) o.reportFailure?.(err);
    o.log?.(`image ${imageId} not read: ${describeError(err)}`);
  }
}

/** A job's activity into its timeline, unless read within JOB_ACTIVITY_FRESH_MS (sync adds what comes later). */
export async function refreshJobActivity(
  cache: Cache,
  api: SuperviselyApi,
  job: { id: number; teamId: number },
  o: OnDemandOptions,
): Promise<void> {
  const now = o.now ?? (() => new Date());
  const key = `job-activity:${job.id}`;
  const fetchedAt = cache.syncState.get(key)?.fetchedAt;
  if (!o.online || job.id < 0 || (fetchedAt && now().getTime() - Date.parse(fetchedAt) < JOB_ACTIVITY_FRESH_MS)) return;
  try {
    const points = await pullJobActivity(cache, api, job.teamId, job.id);
    cache.syncState.markFetched(key, now().toISOString(), points);
  } catch (err) {
    if (isConnectivityError(err)) o.reportFailure?.(err);
    cache.syncState.markFailed(key, now().toISOString(), describeError(err));
    o.log?.(`activity of job ${job.id} not read: ${describeError(err)}`);
  }
}
