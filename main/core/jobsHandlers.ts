// Handlers of the jobs.* channels: reads from the cache, writes through the outbox.
import {
  AppError,
  gridTupleOf,
  type BulkRun,
  type Handlers,
  type JobDetails,
  type JobGridRow,
  type JobStatus,
  type OutboxItem,
} from '#shared/contract';
import { encodeIdRuns } from '#shared/idRuns';
import {
  batchProgress,
  enqueueCreateJobs,
  enqueueEditJob,
  enqueueRestart,
  enqueueReview,
  startJobAction,
  type JobAction,
} from '../sync/enqueue';
import { refreshJobActivity } from '../sync/pull/onDemand';
import { ApiError } from '../supervisely/errors';
import { toAppError } from '../sync/errors';
import type { CoreContext } from './context';

type JobHandlers = Pick<
  Handlers,
  | 'jobs.query'
  | 'jobs.window'
  | 'jobs.idSet'
  | 'jobs.get'
  | 'jobs.stats'
  | 'jobs.statusCounts'
  | 'jobs.charts'
  | 'jobs.create'
  | 'jobs.stop'
  | 'jobs.archive'
  | 'jobs.remove'
  | 'jobs.setStatus'
  | 'jobs.edit'
  | 'jobs.review'
  | 'jobs.restart'
  | 'jobs.serverUrl'
  | 'jobs.watch'
  | 'jobs.unwatch'
  | 'jobs.watches'
  | 'queues.list'
>;

const parseJson = <T>(raw: string, fallback: T): T => {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
};

export function jobHandlers(ctx: CoreContext): JobHandlers {
  const accepted = (a: { mutationIds: number[]; batchId: string; jobIds: number[] }) => {
    ctx.afterOutboxChange(a.mutationIds, a.jobIds, a.batchId);
    return { mutationIds: a.mutationIds, batchId: a.batchId };
  };
  /** answered once its first items are queued; the views hear of the rest as they are */
  const jobAction = async (kind: JobAction, ids: number[], status?: JobStatus) => {
    const s = ctx.session();
    const { first, whole } = await startJobAction(s.cache, kind, ids, new Date(), status, (slice) => s.engine.push.queued(slice));
    whole.then(
      () => ctx.emit('sync.state', s.engine.getState()),
      (err: unknown) => ctx.log?.(`core: the rest of a ${kind} of ${ids.length} jobs was not queued: ${String(err)}`),
    );
    return accepted(first);
  };
  return {
    'jobs.query': async ({ filter, sort, offset, limit }) => ctx.session().cache.jobs.queryWhenOrdered(filter, sort, offset, limit),
    'jobs.window': async ({ filter, sort, offset, limit }) => {
      const { rows, total } = await ctx.session().cache.jobs.queryWhenOrdered(filter, sort, offset, limit);
      return { rows: rows.map(gridTupleOf), total };
    },
    'jobs.idSet': async ({ filter }) => {
      const { jobs } = ctx.session().cache;
      await jobs.textSearched(filter);
      const ids = jobs.sortedIds(filter); // encoded straight from the index's array
      return { runs: encodeIdRuns(ids), count: ids.length };
    },
    'jobs.get': async ({ id }) => {
      const s = ctx.session();
      let job = s.cache.jobs.get(id);
      if (!job) return null;
      // fetch the images when online and the cached list is missing or older than the job's counts
      // (the counts come with every sync; one source of truth per figure); never wait offline
      const row = s.cache.jobs.row(id);
      const stale = !job.entities_fetched || (row !== null && !entitiesMatchCounts(s.cache.jobs.entities(id) ?? [], row));
      if (stale && id > 0 && s.engine.connectivity.online !== false) {
        try {
          const info = await s.api.jobs.getInfoById(id);
          if (info?.entities) s.cache.transaction(() => s.cache.jobs.setEntities(id, info.entities!));
        } catch (err) {
          s.engine.connectivity.reportFailure(err);
        }
        job = s.cache.jobs.get(id) ?? job;
      }
      // the timeline opens: the job's own activity (annotation, review) from the server's feed
      const { connectivity } = s.engine;
      await refreshJobActivity(
        s.cache,
        s.api,
        { id, teamId: job.team_id },
        {
          online: connectivity.online !== false,
          log: ctx.log,
          reportFailure: (err) => connectivity.reportFailure(err),
        },
      );
      const filters = parseJson<{ name: string; positive: boolean }[]>(job.filter_images_by_tags, []);
      const current = s.cache.jobs.row(id)!;
      const outbox = s.cache.outbox.forJob(id);
      const details: JobDetails = {
        job: current,
        queue: current.labelingQueueId === null ? null : s.cache.queues.get(current.labelingQueueId),
        bulkRun: bulkRunOf(outbox, (batchId) => batchProgress(s.cache, batchId)),
        readme: job.readme,
        classesToLabel: parseJson(job.classes_to_label, []),
        tagsToLabel: parseJson(job.tags_to_label, []),
        objectsLimitPerImage: job.objects_limit,
        tagsLimitPerImage: job.tags_limit,
        imagesRange: { start: job.range_start, end: job.range_end },
        includeImagesWithTags: filters.filter((f) => f.positive === true).map((f) => f.name),
        excludeImagesWithTags: filters.filter((f) => f.positive !== true).map((f) => f.name),
        entities: s.cache.jobs.entities(id),
        history: s.cache.history.forJob(id),
        outbox,
      };
      return details;
    },
    'jobs.stats': async ({ id }) => {
      const s = ctx.session();
      if (id < 0 || s.engine.connectivity.online === false) return null;
      try {
        return await s.api.jobs.getStats(id);
      } catch (err) {
        if (s.engine.connectivity.reportFailure(err)) return null;
        // archived and removed jobs have no stats on the server (404)
        if (err instanceof ApiError && err.kind === 'not_found') return null;
        throw toAppError(err);
      }
    },
    'jobs.statusCounts': async ({ filter }) => ctx.session().cache.jobs.countsByStatus(filter),
    'jobs.charts': async ({ filter }) => {
      const jobs = ctx.session().cache.jobs;
      return {
        byStatus: await jobs.countsByStatus(filter),
        byAssignee: await jobs.countsByAssignee(filter),
        createdPerDay: await jobs.createdPerDay(filter),
      };
    },
    'jobs.create': async (req) => {
      const a = enqueueCreateJobs(ctx.session().cache, req, new Date());
      return { ...accepted(a), jobIds: a.jobIds };
    },
    'jobs.stop': ({ ids }) => jobAction('job.stop', ids),
    'jobs.archive': ({ ids }) => jobAction('job.archive', ids),
    'jobs.remove': ({ ids }) => jobAction('job.remove', ids),
    'jobs.setStatus': ({ ids, status }) => jobAction('job.setStatus', ids, status),
    'jobs.edit': async ({ id, userId, reviewerId }) =>
      accepted(
        enqueueEditJob(
          ctx.session().cache,
          {
            jobId: id,
            ...(userId !== undefined ? { userId } : {}),
            ...(reviewerId !== undefined ? { reviewerId } : {}),
          },
          new Date(),
        ),
      ),
    'jobs.review': async ({ id, imageId, status }) =>
      accepted(enqueueReview(ctx.session().cache, { jobId: id, imageId, status }, new Date())),
    'jobs.restart': async ({ id, userId, reviewerId, name }) => {
      const a = enqueueRestart(ctx.session().cache, { jobId: id, userId, reviewerId, name }, new Date());
      return { ...accepted(a), jobId: a.newJobId };
    },
    'jobs.serverUrl': async ({ id }) => {
      const s = ctx.session();
      const job = s.cache.jobs.get(id);
      return { url: job && !job.local && id > 0 ? jobWebUrl(s.serverAddress, id) : null };
    },
    'jobs.watch': async ({ jobId, status }) => {
      ctx.session().cache.watches.set(jobId, status, new Date().toISOString());
      return { ok: true as const };
    },
    'jobs.unwatch': async ({ jobId }) => {
      ctx.session().cache.watches.delete(jobId);
      return { ok: true as const };
    },
    'jobs.watches': async () => ctx.session().cache.watches.list(),
    'queues.list': async ({ teamId }) => ctx.session().cache.queues.list(teamId),
  };
}

/**
 * The job's page in the server's web UI, always on the profile's own origin (the renderer opens it in
 * the user's browser). The path is the web UI's labeling-jobs page, which no API document states.
 */
export function jobWebUrl(serverAddress: string, jobId: number): string {
  const origin = new URL(serverAddress).origin;
  const url = new URL(`/labeling/jobs/${jobId}`, origin);
  if (url.origin !== origin) throw new AppError('internal', `The job's address left the server's origin (${origin}).`);
  return url.href;
}

/** The grid's bulk actions: each makes one item per job in one batch. */
const BULK_KINDS = new Set(['job.stop', 'job.archive', 'job.remove', 'job.setStatus']);

/**
 * The bulk run still acting on a job: its newest unsent item of a bulk kind whose batch spans several jobs.
 * While it is there, a change made on the job's own page would race it (which one the server sees last).
 */
export function bulkRunOf(
  outbox: readonly OutboxItem[],
  progress: (batchId: string) => { total: number; done: number; failed: number },
): BulkRun | null {
  const open = outbox.filter((i) => (i.state === 'pending' || i.state === 'sending') && i.batchId !== null && BULK_KINDS.has(i.kind));
  for (const item of open.reverse()) {
    const p = progress(item.batchId!);
    if (p.total > 1) return { batchId: item.batchId!, summary: item.summary, jobs: p.total, unsent: p.total - p.done - p.failed };
  }
  return null;
}

/** Whether a job's cached images tell the same story as its counts (finished, accepted, rejected). */
function entitiesMatchCounts(entities: readonly { reviewStatus: string | null }[], job: JobGridRow): boolean {
  const count = (...statuses: string[]) => entities.filter((e) => e.reviewStatus !== null && statuses.includes(e.reviewStatus)).length;
  return (
    entities.length === job.imagesCount &&
    count('accepted') === job.acceptedImagesCount &&
    count('rejected') === job.rejectedImagesCount &&
    count('done', 'accepted', 'rejected') === job.finishedImagesCount
  );
}
