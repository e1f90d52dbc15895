// The catalog of a pull, after jobs and members: each team's workspaces, their projects, each project's
// datasets (with their image counts) and the meta of the projects jobs refer to. Images are not listed
// here: a view asks for a dataset's images when it needs them (core/catalogHandlers).
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

/** Meta (classes, tags) of the projects cached jobs refer to: those without it, or all on a full pull; others when opened. */
export async function pullReferencedMeta(ctx: PullContext, all: boolean): Promise<void> {
  const { cache, api } = ctx;
  for (const { projectId, teamId } of cache.catalog.projectsReferencedByJobs({ withoutMetaOnly: !all })) {
    await runList(
      ctx,
      `meta:${teamId}:${projectId}`,
      () => api.projects.getMeta(projectId, ctx.call),
      (m) => {
        cache.catalog.setProjectMeta(projectId, m);
        return m.classes.length + m.tags.length;
      },
    );
  }
}
