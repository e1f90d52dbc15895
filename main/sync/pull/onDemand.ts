// What views fetch when they need it, never the sync: a dataset's images (the create form on that
// dataset, thumbnails of a job's page), a project's meta (a project the user opens) and a job's activity
// (its timeline opens). Cached with the time they were read (sync_state "images:<datasetId>",
// "job-activity:<jobId>"); a cached copy answers while it is fresh, when offline, or when the server
// refuses (a video dataset's images.list answering 400).
import type { Cache } from '../../cache';
import type { SuperviselyApi } from '../../supervisely/api';
import { describeError, isConnectivityError } from '../errors';
import { pullJobActivity } from './activity';

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

/** A project's meta, read once from the server when the cache has none. */
export async function ensureProjectMeta(cache: Cache, api: SuperviselyApi, projectId: number, o: OnDemandOptions): Promise<void> {
  if (!o.online || cache.catalog.projectMeta(projectId)) return;
  try {
    const meta = await api.projects.getMeta(projectId);
    cache.transaction(() => cache.catalog.setProjectMeta(projectId, meta));
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
