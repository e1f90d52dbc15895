// Handlers of the projects.* channels (the project browser): a team's projects with their datasets from the
// cache; a project's meta read from the server when it is opened and older than META_FRESH_MS, kept in the
// cache under the sync's own list key so both agree on its freshness; a page of a dataset's images, read
// through the create form's images window (only the server pages under it, never the whole dataset).
import { AppError, type Handlers } from '#shared/contract';
import { createProjectBrowseRepo, type ProjectBrowseRepo } from '../cache/projectBrowse';
import type { Db } from '../cache';
import type { ProjectMeta } from '../supervisely/types';
import { describeError, isConnectivityError } from '../sync/errors';
import { metaListKey } from '../sync/pull/catalog';
import { datasetImagesWindow, IMAGES_PAGE_SIZE, imagesPageKey, readProjectMeta } from '../sync/pull/onDemand';
import type { CoreContext } from './context';

type ProjectsHandlers = Pick<Handlers, 'projects.list' | 'projects.meta' | 'projects.images'>;

/** A project's classes and tags read within this long are shown without asking the server again. */
export const META_FRESH_MS = 5 * 60_000;
/** Labeling jobs are made on image projects; other types are listed but cannot be used. */
const USABLE_TYPE = 'images';

const metaView = (meta: ProjectMeta) => ({
  classes: meta.classes.map((c) => ({ id: c.id, title: c.title, shape: c.shape, color: c.color })),
  tags: meta.tags.map((t) => ({ id: t.id, name: t.name, valueType: t.valueType, values: t.values, color: t.color })),
});

export function projectsHandlers(ctx: CoreContext, now: () => Date = () => new Date()): ProjectsHandlers {
  // one set of prepared statements per cache file (a profile switch opens another)
  const repos = new WeakMap<Db, ProjectBrowseRepo>();
  const browse = (): ProjectBrowseRepo => {
    const { db } = ctx.session().cache;
    let repo = repos.get(db);
    if (!repo) repos.set(db, (repo = createProjectBrowseRepo(db)));
    return repo;
  };
  const online = () => ctx.session().engine.connectivity.online !== false;

  return {
    'projects.list': async ({ teamId }) => {
      const repo = browse();
      const datasets = repo.datasetsByProject(teamId);
      return repo.projects(teamId).map((p) => ({
        ...p,
        usable: p.type === USABLE_TYPE,
        datasets: (datasets.get(p.id) ?? []).map(({ id, name, parentId, imagesCount }) => ({ id, name, parentId, imagesCount })),
      }));
    },

    'projects.meta': async ({ projectId, refresh }) => {
      const s = ctx.session();
      const teamId = browse().teamOf(projectId);
      if (teamId === null)
        throw new AppError('not_found', `Project ${projectId} is not in the cache: it may have been removed from the server.`);
      const key = metaListKey(teamId, projectId);
      const cached = s.cache.catalog.projectMeta(projectId);
      const fetchedAt = s.cache.syncState.get(key)?.fetchedAt ?? null;
      const fresh = cached !== null && fetchedAt !== null && now().getTime() - Date.parse(fetchedAt) < META_FRESH_MS;
      const answer = (meta: ProjectMeta | null, at: string | null, problem: string | null) => ({
        meta: meta ? metaView(meta) : null,
        fetchedAt: at,
        problem,
      });
      if (fresh && !refresh) return answer(cached, fetchedAt, null);
      if (!online()) {
        return answer(
          cached,
          fetchedAt,
          cached
            ? 'Offline: these are the classes and tags as last read from the server.'
            : 'Offline, and this project was never opened while online: its classes and tags are not in the cache.',
        );
      }
      try {
        const meta = await readProjectMeta(s.cache, s.api, projectId, now);
        return answer(meta, s.cache.syncState.get(key)?.fetchedAt ?? now().toISOString(), null);
      } catch (err) {
        if (isConnectivityError(err)) s.engine.connectivity.reportFailure(err);
        ctx.log?.(`meta of project ${projectId} not read: ${describeError(err)}`);
        const shown = cached ? ' Showing the classes and tags as last read.' : '';
        return answer(cached, fetchedAt, `Could not read the classes and tags: ${describeError(err)}${shown}`);
      }
    },

    'projects.images': async ({ datasetId, offset, limit }) => {
      const s = ctx.session();
      const repo = browse();
      if (!repo.datasetKnown(datasetId))
        throw new AppError('not_found', `Dataset ${datasetId} is not in the cache: it may have been removed from the server.`);
      const isOnline = online();
      const window = await datasetImagesWindow(s.cache, s.api, datasetId, offset, limit, {
        online: isOnline,
        log: ctx.log,
        reportFailure: (err) => s.engine.connectivity.reportFailure(err),
        now,
      });
      const sizes = repo.sizesOf(window.images.map((i) => i.id));
      const images = window.images.map(({ id, name }) => ({ id, name, ...(sizes.get(id) ?? { width: null, height: null }) }));
      const fetchedAt = s.cache.syncState.get(imagesPageKey(datasetId, Math.floor(offset / IMAGES_PAGE_SIZE)))?.fetchedAt ?? null;
      const problem =
        !isOnline && images.length === 0 && window.missing > 0
          ? 'Offline, and this dataset was never opened while online: its images are not in the cache.'
          : window.problem;
      return { images, total: window.total, datasetImagesCount: s.cache.catalog.datasetImagesCount(datasetId), fetchedAt, problem };
    },
  };
}
