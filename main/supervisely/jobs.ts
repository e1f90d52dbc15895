// api.labeling_job of the SDK over jobs.* (supervisely-api.md §3.4, §3.5): the exact request bodies, create (non-
// idempotent, then one jobs.info per job), listing with the SDK's filter order, status, wait, removal.
import { z } from 'zod';
import type { SuperviselyApi } from './api';
import { ApiError, isApiError } from './errors';
import { createdJobsWire, jobWire } from './schemas';
import { streamPages } from './pagination';
import { mapWithConcurrency, slicesOf } from './concurrency';
import {
  callIgnoringAnswer,
  callParsed,
  eq,
  infoOrNull,
  listAll,
  pageOptions,
  readBackCreated,
  type FilterCondition,
  type ResourceContext,
} from './context';
import { listActivity } from './teams';
import type { CreateJobsInput, JobListFilter, JobStatusOrUnknown, JobWire } from './types';

export type JobsApi = SuperviselyApi['jobs'];

/** The SDK sends at most this many ids per jobs.bulk.remove. */
export const REMOVE_SLICE = 50;

/** jobs.add body (§3.4.1): meta always complete, limits 0 when none, range only when given. */
export function jobsAddBody(input: CreateJobsInput): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    classes: input.classesToLabel ?? [],
    projectTags: input.tagsToLabel ?? [],
    imageTags: [
      ...(input.includeImagesWithTags ?? []).map((name) => ({ name, positive: true })),
      ...(input.excludeImagesWithTags ?? []).map((name) => ({ name, positive: false })),
    ],
    imageFiguresLimit: input.objectsLimitPerImage ?? 0,
    imageTagsLimit: input.tagsLimitPerImage ?? 0,
    entityIds: input.imageIds ?? [],
    dynamicClasses: input.dynamicClasses ?? false,
    dynamicTags: input.dynamicTags ?? false,
    allowRestore: false,
  };
  if (input.imagesRange) meta.range = { start: input.imagesRange[0], end: input.imagesRange[1] };
  // the SDK's optional keys, each only when given, in its order
  if (input.readOnlyTags !== undefined) meta.readOnlyTags = input.readOnlyTags;
  if (input.guideId !== undefined) meta.guide = input.guideId;
  if (input.toolboxSettings !== undefined) meta.toolboxSettings = input.toolboxSettings;
  if (input.disableConfirm !== undefined) meta.disableConfirm = input.disableConfirm;
  if (input.disableSubmit !== undefined) meta.disableSubmit = input.disableSubmit;
  if (input.enableQualityCheck !== undefined) meta.enableIntermediateReview = input.enableQualityCheck;
  const body: Record<string, unknown> = { name: input.name, datasetId: input.datasetId, userIds: input.userIds, meta };
  if (input.readme !== undefined) body.readme = String(input.readme);
  if (input.description !== undefined) body.description = String(input.description);
  if (input.reviewerId !== undefined) body.reviewerId = input.reviewerId;
  return body;
}

/**
 * jobs.list filters in the SDK's order (createdBy, userId, reviewerId, projectId, datasetId,
 * labelingQueueId null, labelingQueueId in, status !in), then our `id in` and `updatedAt >=`.
 */
export function jobListConditions(f: JobListFilter): FilterCondition[] {
  if (f.isPartOfQueue === false && f.queueIds !== undefined) {
    throw new ApiError(
      'validation',
      'A job list cannot ask for jobs outside any queue and for jobs of given queues at the same time',
      'jobs.list',
    );
  }
  const out: FilterCondition[] = [];
  if (f.createdById !== undefined) out.push(eq('createdBy', f.createdById));
  if (f.assignedToId !== undefined) out.push(eq('userId', f.assignedToId));
  if (f.reviewerId !== undefined) out.push(eq('reviewerId', f.reviewerId));
  if (f.projectId !== undefined) out.push(eq('projectId', f.projectId));
  if (f.datasetId !== undefined) out.push(eq('datasetId', f.datasetId));
  if (f.isPartOfQueue === false) out.push(eq('labelingQueueId', null));
  if (f.queueIds !== undefined) out.push({ field: 'labelingQueueId', operator: 'in', value: f.queueIds });
  if (f.excludeStatuses?.length) out.push({ field: 'status', operator: '!in', value: f.excludeStatuses });
  if (f.ids !== undefined) out.push({ field: 'id', operator: 'in', value: f.ids });
  if (f.updatedSince !== undefined) out.push({ field: 'updatedAt', operator: '>=', value: f.updatedSince });
  return out;
}

export function jobsListBody(f: JobListFilter): Record<string, unknown> {
  return { teamId: f.teamId, showDisabled: f.showDisabled ?? false, filter: jobListConditions(f) };
}

/** `updatedAt >=` is our extension: a server that refuses it gets a clear validation error to fall back on. */
function explainUpdatedSince(err: unknown, f: JobListFilter): unknown {
  if (f.updatedSince === undefined || !isApiError(err, 'validation')) return err;
  return new ApiError(
    'validation',
    `The server does not accept the updatedAt filter of jobs.list (${err.details.serverMessage ?? err.message}); list all jobs instead.`,
    'jobs.list',
    { ...err.details, field: 'filter.updatedAt' },
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ApiError('aborted', 'Waiting for the job was cancelled', 'jobs.info'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ApiError('aborted', 'Waiting for the job was cancelled', 'jobs.info'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createJobsApi(ctx: ResourceContext): JobsApi {
  const getInfoById: JobsApi['getInfoById'] = (id, o) => infoOrNull(ctx, 'jobs.info', { id }, jobWire, o);

  const requireJob = async (id: number, o?: { signal?: AbortSignal }): Promise<JobWire> => {
    const job = await getInfoById(id, o);
    if (!job)
      throw new ApiError(
        'not_found',
        `Labeling job ${id} does not exist, was removed or archived, or is not visible to this token`,
        'jobs.info',
        { status: 404 },
      );
    return job;
  };

  const getStatus: JobsApi['getStatus'] = async (id, o) => (await requireJob(id, o)).status;

  const removeBatch: JobsApi['removeBatch'] = async (ids, o) => {
    let done = 0;
    for (const slice of slicesOf(ids, REMOVE_SLICE)) {
      await callIgnoringAnswer(ctx, 'jobs.bulk.remove', { ids: slice }, o);
      done += slice.length;
      o?.onProgress?.({ done, total: ids.length });
    }
  };

  return {
    async create(input, o) {
      const ids = await callParsed(ctx, 'jobs.add', jobsAddBody(input), createdJobsWire, o);
      // Like the SDK: one jobs.info per new job, in the answer's order.
      return readBackCreated(ids, async () => {
        const infos: JobWire[] = [];
        for (const id of ids) infos.push(await requireJob(id, o));
        return infos;
      });
    },
    async list(filter, o) {
      try {
        return await listAll(ctx, 'jobs.list', jobsListBody(filter), jobWire, o);
      } catch (err) {
        throw explainUpdatedSince(err, filter);
      }
    },
    async *listPages(filter, o) {
      try {
        yield* streamPages(ctx.transport, 'jobs.list', jobsListBody(filter), jobWire, {
          ...pageOptions(ctx, o),
          perPage: o?.perPage ?? ctx.perPage,
        });
      } catch (err) {
        throw explainUpdatedSince(err, filter);
      }
    },
    getInfoById,
    async getInfoByIds(ids, o) {
      // 404s are dropped, as the SDK does; order follows `ids`.
      const infos = await mapWithConcurrency(ids, o?.concurrency ?? 8, (id) => getInfoById(id, o));
      return infos.filter((j): j is JobWire => j !== null);
    },
    stop: (id, o) => callIgnoringAnswer(ctx, 'jobs.stop', { id }, o),
    archive: (id, o) => callIgnoringAnswer(ctx, 'jobs.archive', { id }, o),
    remove: (id, o) => removeBatch([id], o),
    removeBatch,
    getStatus,
    setStatus: (id, status, o) => callIgnoringAnswer(ctx, 'jobs.set-status', { id, status }, o),
    async wait(id, target, o) {
      const attempts = Math.max(1, o?.attempts ?? 999);
      const intervalMs = o?.intervalMs ?? 1000;
      let last: JobStatusOrUnknown | undefined;
      for (let i = 1; i <= attempts; i++) {
        last = await getStatus(id, o);
        if (last === target) return; // by value: the SDK's identity comparison is a bug we do not copy
        if (i < attempts) await sleep(intervalMs, o?.signal);
      }
      throw new ApiError('timeout', `job ${id} did not reach ${target} after ${attempts} checks (last status: ${last})`, 'jobs.info');
    },
    getStats: (id, o) => callParsed(ctx, 'jobs.stats', { id }, z.record(z.string(), z.unknown()), o),
    getActivity: (teamId, jobId, o) => listActivity(ctx, teamId, { jobId }, o),
    setEntityReviewStatus: (jobId, entityId, status, o) =>
      callIgnoringAnswer(ctx, 'jobs.entities.update-review-status', { jobId, entityId, status }, o),
    async setAssignees(id, change, o) {
      if (change.userId === undefined && change.reviewerId === undefined) throw new Error('setAssignees needs a userId or a reviewerId');
      await callIgnoringAnswer(ctx, 'jobs.editInfo', { id, ...change }, o);
      return requireJob(id, o);
    },
    async restart(id, input, o) {
      const body = {
        id,
        completeExisting: input.completeExisting ?? true,
        userIds: input.userIds,
        reviewerId: input.reviewerId ?? null,
        ...(input.name !== undefined ? { name: input.name } : {}),
      };
      let ids: number[];
      try {
        ids = await callParsed(ctx, 'jobs.restart', body, createdJobsWire, o);
      } catch (err) {
        // the SDK's ignore_no_rejected_error: nothing to send back is not a failure
        if (err instanceof ApiError && /No images found/i.test(`${err.message} ${err.details.serverMessage ?? ''}`)) return [];
        throw err;
      }
      return readBackCreated(ids, async () => {
        const infos: JobWire[] = [];
        for (const newId of ids) infos.push(await requireJob(newId, o));
        return infos;
      });
    },
  };
}
