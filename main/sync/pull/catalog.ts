// The catalog of a pull, after jobs and members: each team's workspaces, their projects, each project's
// datasets at every level (nested ones too, each with its parent id and its own image count, as the server
// counts it) and the meta of the projects jobs refer to or the user opened, read
// again only when the project changed. Images are not listed here: a view asks for a dataset's images when
// it needs them (core/catalogHandlers).
import { mapWithConcurrency } from '../../supervisely/concurrency';
import { runList, type PullContext } from './context';

/** Projects whose datasets are listed at once (the client bounds requests in flight anyway). */
const PROJECTS_AT_ONCE = 4;

export async function pullCatalog(ctx: PullContext, teamIds: readonly number[], progress: (done: number) => void): Promise<void> {
  const { cache, api } = ctx;
  for (const [i, teamId] of teamIds.entries()) {
    const workspaces = await runList(
      ctx,
      `workspaces:${teamId}`,
      () => api.workspaces.list(teamId, ctx.call),
      (w) => {
        cache.catalog.replaceWorkspaces(teamId, w);
        return w.length;
      },
    );
    // a workspace list that failed: its projects stay as cached, and are still refreshed below
    const workspaceIds = workspaces?.map((w) => w.id) ?? cache.catalog.workspaces(teamId).map((w) => w.id);
    for (const workspaceId of workspaceIds) {
      const projects = await runList(
        ctx,
        `projects:${teamId}:${workspaceId}`,
        () => api.projects.list({ workspaceId }, ctx.call),
        (p) => {
          cache.catalog.replaceProjects(workspaceId, p);
          return p.length;
        },
      );
      for (const p of projects ?? []) ctx.projectVersions.set(p.id, { teamId, updatedAt: p.updatedAt });
      const projectIds = projects?.map((p) => p.id) ?? cache.catalog.projects(workspaceId).map((p) => p.id);
      await mapWithConcurrency(projectIds, PROJECTS_AT_ONCE, (projectId) =>
        runList(
          ctx,
          `datasets:${teamId}:${projectId}`,
          () => api.datasets.list(projectId, ctx.call),
          (d) => {
            cache.catalog.replaceDatasets(projectId, d);
            return d.length;
          },
        ),
      );
    }
    progress(i + 1);
  }
}

/** The sync_state list of a project's meta; its cursor is the project's `updatedAt` when the meta was read. */
export const metaListKey = (teamId: number, projectId: number): string => `meta:${teamId}:${projectId}`;

/**
 * Meta (classes, tags) of the projects cached jobs refer to and of those the user opened (their meta is
 * cached): read when the cache has none, or when the project changed since it was read (the project's
 * `updatedAt` in this pull's projects.list differs from the one stored with the meta; the server bumps it
 * on projects.meta.update). A project whose list failed, or one already current, is not asked; a server
 * that sends no `updatedAt` proves nothing, so its meta is read again on full pulls only.
 */
export async function pullProjectMeta(ctx: PullContext, full: boolean): Promise<void> {
  const { cache, api } = ctx;
  const wanted = new Map(cache.catalog.projectsReferencedByJobs({ withoutMetaOnly: false }).map((p) => [p.projectId, p.teamId]));
  const missing = new Set(cache.catalog.projectsReferencedByJobs({ withoutMetaOnly: true }).map((p) => p.projectId));
  for (const [projectId, { teamId }] of ctx.projectVersions) {
    if (!wanted.has(projectId) && cache.catalog.projectMeta(projectId)) wanted.set(projectId, teamId);
  }
  for (const [projectId, teamId] of wanted) {
    const list = metaListKey(teamId, projectId);
    const version = ctx.projectVersions.get(projectId);
    const readAt = cache.syncState.get(list);
    const current =
      version === undefined || (version.updatedAt === null ? !full : readAt?.cursor === version.updatedAt && !readAt.lastError);
    if (!missing.has(projectId) && current) continue;
    const read = await runList(
      ctx,
      list,
      () => api.projects.getMeta(projectId, ctx.call),
      (m) => {
        cache.catalog.setProjectMeta(projectId, m);
        return m.classes.length + m.tags.length;
      },
    );
    // the version listed before the read: a change made meanwhile bumps it again, and the next pull reads it
    if (read)
      cache.syncState.markFetched(list, ctx.now().toISOString(), read.classes.length + read.tags.length, version?.updatedAt ?? null);
  }
}
