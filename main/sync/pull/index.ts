// Pull: server → cache. Jobs of every team first (what the grid shows), then roles and members, the labeling
// queues, then the catalog (workspaces, projects, datasets with their counts, meta of the projects jobs refer to or
// the user opened, when changed),
// then the job activity since the last pull and the jobs flagged stale. Every list fails alone: it
// is marked stale with the server's reason and the rest goes on (./context runList). Images are never
// listed here. Decisions: main/sync/README.md, "Pull".
import type { Cache } from '../../cache';
import type { SuperviselyApi } from '../../supervisely/api';
import { pullTeamActivity } from './activity';
import { pullCatalog, pullProjectMeta } from './catalog';
import { newReport, runList, type PullContext, type PullOptions, type PullReport } from './context';
import { detectUpdatedAtFilter, knownUpdatedAtFilter } from './incremental';
import { pullTeamJobs, refreshStaleJobs } from './jobs';
import { pullMembers } from './members';
import { pullQueues } from './queues';

export type { PullOptions, PullProgress, PullReport } from './context';
export { FULL_PULL_EVERY_MS, serverTimestamps, writeJobs } from './jobs';
export { pullJobActivity } from './activity';

export async function pullAll(cache: Cache, api: SuperviselyApi, options: PullOptions = {}): Promise<PullReport> {
  const ctx: PullContext = {
    cache,
    api,
    options,
    report: newReport(),
    now: options.now ?? (() => new Date()),
    call: { signal: options.signal },
    projectVersions: new Map(),
  };
  const progress = (step: string, done: number, total: number) => options.onProgress?.({ step, done, total });

  progress('teams', 0, 1);
  const teams = await runList(
    ctx,
    'teams',
    () => api.teams.list(ctx.call),
    (t) => {
      cache.catalog.replaceTeams(t);
      return t.length;
    },
  );
  // teams could not be listed: the teams the cache knows are still synced
  const teamIds = teams?.map((t) => t.id) ?? cache.catalog.teamIds();
  progress('teams', 1, 1);

  // asked once per server, on a team that has jobs in the cache (an empty team proves nothing)
  const probeTeam = teamIds.find((id) => cache.jobs.hasServerJobs(id));
  const filter =
    knownUpdatedAtFilter(cache) ?? (probeTeam === undefined ? null : await detectUpdatedAtFilter(cache, api, probeTeam, options.signal));
  for (const [i, teamId] of teamIds.entries()) {
    progress('jobs', i, teamIds.length);
    await pullTeamJobs(ctx, teamId, filter);
  }
  progress('jobs', teamIds.length, teamIds.length);

  progress('members', 0, teamIds.length);
  await pullMembers(ctx, teamIds);
  progress('members', teamIds.length, teamIds.length);

  progress('queues', 0, teamIds.length);
  await pullQueues(ctx, teamIds);
  progress('queues', teamIds.length, teamIds.length);

  progress('catalog', 0, teamIds.length);
  await pullCatalog(ctx, teamIds, (done) => progress('catalog', done, teamIds.length));
  await pullProjectMeta(ctx, ctx.report.full);

  for (const teamId of teamIds) await pullTeamActivity(ctx, teamId);
  await refreshStaleJobs(ctx);
  return ctx.report;
}
