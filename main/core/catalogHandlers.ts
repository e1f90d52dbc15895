// Handlers of the catalog.* and users.* channels: the catalog and members from the cache, a dataset's
// images and a project's meta fetched when a view asks (sync never lists them), thumbnails fetched once
// and kept in SQLite, each annotator's load from the cached jobs, user changes through the outbox.
import type { Handlers } from '#shared/contract';
import { enqueueCreateUser, enqueueMembership } from '../sync/enqueue';
import {
  datasetImagePool,
  datasetImagesWindow,
  searchDatasetImages,
  ensureImage,
  ensureProjectMeta,
  refreshDatasetImages,
  type OnDemandOptions,
} from '../sync/pull/onDemand';
import type { CoreContext } from './context';

type CatalogHandlers = Pick<
  Handlers,
  | 'catalog.teams'
  | 'catalog.workspaces'
  | 'catalog.projects'
  | 'catalog.datasets'
  | 'catalog.images'
  | 'catalog.imagesPage'
  | 'catalog.imagesSearch'
  | 'catalog.imagePool'
  | 'catalog.projectMeta'
  | 'catalog.thumbnail'
  | 'users.members'
  | 'users.load'
  | 'users.roles'
  | 'users.create'
  | 'users.addToTeam'
  | 'users.changeRole'
>;

const THUMBNAIL_TIMEOUT_MS = 10_000;
/** an annotator still has work in these; on review and later it is the reviewer's turn */
const OPEN_STATUSES = ['pending', 'in_progress'];

export function catalogHandlers(ctx: CoreContext): CatalogHandlers {
  const cache = () => ctx.session().cache;
  const onDemand = (): OnDemandOptions => {
    const { engine } = ctx.session();
    return { online: engine.connectivity.online !== false, log: ctx.log, reportFailure: (err) => engine.connectivity.reportFailure(err) };
  };
  return {
    'catalog.teams': async () => cache().catalog.teams(),
    'catalog.workspaces': async ({ teamId }) => cache().catalog.workspaces(teamId),
    'catalog.projects': async ({ workspaceId }) => cache().catalog.projects(workspaceId),
    'catalog.datasets': async ({ projectId }) => cache().catalog.datasets(projectId),
    'catalog.images': async ({ datasetId }) => {
      const s = ctx.session();
      await refreshDatasetImages(s.cache, s.api, datasetId, onDemand());
      return s.cache.catalog.images(datasetId);
    },
    'catalog.imagesPage': async ({ datasetId, offset, limit }) => {
      const s = ctx.session();
      return datasetImagesWindow(s.cache, s.api, datasetId, offset, limit, onDemand());
    },
    'catalog.imagesSearch': async ({ datasetId, text, limit }) => {
      const s = ctx.session();
      return searchDatasetImages(s.cache, s.api, datasetId, text, limit, onDemand());
    },
    'catalog.imagePool': async ({ datasetId }) => {
      const s = ctx.session();
      return datasetImagePool(s.cache, s.api, datasetId, onDemand());
    },
    'catalog.projectMeta': async ({ projectId }) => {
      const s = ctx.session();
      await ensureProjectMeta(s.cache, s.api, projectId, onDemand());
      const meta = s.cache.catalog.projectMeta(projectId);
      if (!meta) return null;
      return {
        classes: meta.classes.map((c) => ({ id: c.id, title: c.title, shape: c.shape, color: c.color })),
        tags: meta.tags.map((t) => ({ id: t.id, name: t.name, valueType: t.valueType, values: t.values, color: t.color })),
      };
    },
    'catalog.thumbnail': async ({ imageId }) => {
      const s = ctx.session();
      const stored = s.cache.catalog.thumbnail(imageId);
      if (stored) return { dataUrl: `data:${stored.mime};base64,${stored.data.toString('base64')}` };
      await ensureImage(s.cache, s.api, imageId, onDemand());
      const url = s.cache.catalog.imagePreviewUrl(imageId);
      if (!url || s.engine.connectivity.online === false) return { dataUrl: null };
      try {
        // the client sends the token only to our own server, follows no redirect and caps the size
        const image = await s.api.images.fetchPreview(url, { timeoutMs: THUMBNAIL_TIMEOUT_MS });
        if (!image) return { dataUrl: null };
        const { mime } = image;
        const data = Buffer.from(image.data);
        s.cache.catalog.saveThumbnail(imageId, mime, data, new Date().toISOString());
        return { dataUrl: `data:${mime};base64,${data.toString('base64')}` };
      } catch (err) {
        ctx.log?.(`thumbnail ${imageId}: ${err instanceof Error ? err.message : String(err)}`);
        return { dataUrl: null };
      }
    },
    'users.members': async ({ teamId }) => cache().users.members(teamId),
    'users.load': async ({ teamId }) =>
      (await cache().jobs.countsByAssignee({ teamId, statuses: OPEN_STATUSES })).map((a) => ({
        userId: a.userId,
        openJobs: a.jobs,
        imagesToDo: Math.max(0, a.images - a.finished),
      })),
    'users.roles': async () => cache().users.roles(),
    'users.create': async (req) => {
      const a = enqueueCreateUser(cache(), req, new Date());
      ctx.afterOutboxChange(a.mutationIds, [], a.batchId);
      return { mutationIds: a.mutationIds, batchId: a.batchId, userId: a.userId };
    },
    'users.addToTeam': async (req) => {
      const batchId = crypto.randomUUID();
      const ids = enqueueMembership(cache(), 'user.addToTeam', req, new Date().toISOString(), batchId);
      ctx.afterOutboxChange(ids, [], batchId);
      return { mutationIds: ids, batchId };
    },
    'users.changeRole': async (req) => {
      const batchId = crypto.randomUUID();
      const ids = enqueueMembership(cache(), 'user.changeRole', req, new Date().toISOString(), batchId);
      ctx.afterOutboxChange(ids, [], batchId);
      return { mutationIds: ids, batchId };
    },
  };
}
