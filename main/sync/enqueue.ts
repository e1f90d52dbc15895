// The outbox writers: each UI action becomes outbox items written in the same transaction as its
// optimistic effect on the cache (new local rows, status, archived, removing) and a history point.
// What each kind does is in its spec (mutations/<kind>.ts); this module only turns requests into items.
import { randomUUID } from 'node:crypto';
import { AppError, type CreateOptions, type JobStatus, type ParsedRequestOf } from '#shared/contract';
import type { Cache } from '../cache';
import { forget, inBulkTurn, inResumableSlices, inTimedSlices, interrupted } from './bulkWrites';
import { cancellingOf } from './discard';
import { localJobRecord, type JobCreatePayload } from './mutations/jobCreate';
import { restartedJobRecord, type JobRestartPayload } from './mutations/jobRestart';
import { requireJob } from './mutations/jobTarget';
import { applyOptimistic, specOf, type Mutation, type PayloadOf } from './mutations';
import { getMe } from './mutations/spec';

export interface Accepted {
  mutationIds: number[];
  batchId: string;
  jobIds: number[];
}

/** Writes one item with its optimistic effect; the caller holds the transaction. */
function enqueue(cache: Cache, m: Mutation, at: string, batchId: string, jobIds: readonly number[], beforeImage?: unknown): number {
  const summary = specOf(m.kind).summary(cache, m.payload as never);
  const item = { kind: m.kind, payload: m.payload, summary, batchId, jobIds, ...(beforeImage ? { beforeImage } : {}) };
  const id = cache.outbox.enqueue(item, at);
  applyOptimistic(cache, m);
  return id;
}

export function enqueueCreateJobs(cache: Cache, req: ParsedRequestOf<'jobs.create'>, now: Date): Accepted {
  const at = now.toISOString();
  const batchId = randomUUID();
  const ctx = cache.catalog.datasetContext(req.datasetId);
  if (!ctx) throw new AppError('not_found', `Dataset ${req.datasetId} is not in the cache. Sync once while online, then create the job.`);
  const me = getMe(cache);
  return cache.transaction(() => {
    const mutationIds: number[] = [];
    const jobIds: number[] = [];
    const shareOf = new Map(req.assignments?.map((a) => [a.userId, a.imageIds]));
    const { dynamicClasses, dynamicTags, disableConfirm, disableSubmit, enableQualityCheck, guideId, readOnlyTags } = req;
    const options: CreateOptions = definedOnly({
      dynamicClasses,
      dynamicTags,
      disableConfirm,
      disableSubmit,
      enableQualityCheck,
      guideId,
      readOnlyTags,
    });
    // like the SDK: toolbox settings only for video projects
    if (req.toolboxSettings && ctx.projectType === 'videos') options.toolboxSettings = req.toolboxSettings;
    for (const userId of req.userIds) {
      const localId = cache.kv.nextLocalId();
      const share = shareOf.get(userId);
      const payload: JobCreatePayload = {
        localId,
        teamId: ctx.teamId,
        queuedAt: at,
        input: {
          name: req.name,
          datasetId: req.datasetId,
          userId,
          ...(req.reviewerId !== undefined ? { reviewerId: req.reviewerId } : {}),
          ...(req.readme !== undefined ? { readme: req.readme } : {}),
          ...(req.description !== undefined ? { description: req.description } : {}),
          classesToLabel: req.classesToLabel,
          tagsToLabel: req.tagsToLabel,
          objectsLimitPerImage: req.objectsLimitPerImage ?? null,
          tagsLimitPerImage: req.tagsLimitPerImage ?? null,
          ...(share ? { imageIds: share } : req.imageIds ? { imageIds: req.imageIds } : {}),
          ...(!share && req.imagesRange ? { imagesRange: req.imagesRange } : {}),
          includeImagesWithTags: req.includeImagesWithTags,
          excludeImagesWithTags: req.excludeImagesWithTags,
          ...options,
        },
      };
      cache.jobs.upsert([localJobRecord(cache, payload, me)]);
      mutationIds.push(enqueue(cache, { kind: 'job.create', payload }, at, batchId, [localId]));
      cache.history.append([{ jobId: localId, status: 'pending', at, source: 'local_mutation', note: 'created here' }]);
      jobIds.push(localId);
    }
    return { mutationIds, batchId, jobIds };
  });
}

function definedOnly<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

export type JobAction = 'job.stop' | 'job.archive' | 'job.remove' | 'job.setStatus';

/** A bulk action being written: kept in the cache until its last item is, so a restart finishes it. */
interface JobActionIntent {
  kind: JobAction;
  ids: number[];
  status?: JobStatus;
  at: string;
  batchId: string;
}
/** kv key of a bulk action being written (and `<key>.done`: how many of its ids have their item) */
const INTENT_KEY = 'outbox.writing';

/** The bulk action being written on a cache: how many of its ids have their item, and whether the lead stopped it. */
interface Writing {
  batchId: string;
  total: number;
  done: number;
  stopped: boolean;
}
const writing = new WeakMap<Cache, Writing>();

/** A bulk action answered once its first items are written; the rest follow in the background. */
export interface StartedJobAction {
  first: Accepted;
  /** every item written, once the last one is (or the lead stopped it): the first ones included */
  whole: Promise<Accepted>;
}

/**
 * One item per job (per-job results and retries); the push loop may batch removals on the wire. The items are
 * written in transactions of a few milliseconds, yielding between them: 10,000 in one held the core ~1 s.
 * Every id is checked first, so an unknown one refuses the whole action. It answers once the first transaction
 * is in (100,000 jobs take ~15 s to write); from then on the action is kept in the cache, so one cut short by the
 * app's end is finished at the next start (finishInterruptedJobAction), never half kept. `onSlice` is told of each
 * later transaction's items.
 */
export function startJobAction(
  cache: Cache,
  kind: JobAction,
  ids: readonly number[],
  now: Date,
  status?: JobStatus,
  onSlice?: (slice: Accepted) => void,
): Promise<StartedJobAction> {
  return new Promise((answer, refuse) => {
    const whole: Promise<Accepted> = inBulkTurn(cache, async () => {
      await inTimedSlices(cache, 0, ids.length, (start, end) => {
        const missing = cache.jobs.firstMissing(ids.slice(start, end));
        if (missing !== undefined) requireJob(cache, missing);
      });
      const intent: JobActionIntent = { kind, ids: [...ids], at: now.toISOString(), batchId: randomUUID(), ...(status ? { status } : {}) };
      return writeJobActions(cache, intent, 0, (slice, first) => (first ? answer({ first: slice, whole }) : onSlice?.(slice)));
    });
    // answered already unless it wrote nothing
    whole.then((a) => answer({ first: a, whole }), refuse);
  });
}

/** startJobAction, awaited to its last item. */
export async function enqueueJobAction(
  cache: Cache,
  kind: JobAction,
  ids: readonly number[],
  now: Date,
  status?: JobStatus,
): Promise<Accepted> {
  return (await startJobAction(cache, kind, ids, now, status)).whole;
}

/**
 * Writes the items of `intent.ids` from `from` on, a slice per transaction, telling `sliced` of each once it is in;
 * returns every item written, and the jobs they are for.
 */
async function writeJobActions(
  cache: Cache,
  intent: JobActionIntent,
  from: number,
  sliced?: (slice: Accepted, first: boolean) => void,
): Promise<Accepted> {
  const { kind, ids, at, batchId, status } = intent;
  const all: Accepted = { mutationIds: [], batchId, jobIds: [] };
  const state: Writing = { batchId, total: ids.length, done: from, stopped: false };
  let slice: Accepted = { mutationIds: [], batchId, jobIds: [] };
  writing.set(cache, state);
  try {
    await inResumableSlices(
      cache,
      INTENT_KEY,
      intent,
      from,
      ids.length,
      (start, end) => {
        slice = { mutationIds: [], batchId, jobIds: [] };
        for (const jobId of ids.slice(start, end)) {
          const job = cache.jobs.get(jobId);
          // checked before the first slice; a pull may have removed it since (the server has no such job any more)
          if (!job || job.removed_at) continue;
          const payload = kind === 'job.setStatus' ? { jobId, status: status! } : { jobId };
          const mutation = { kind, payload } as Mutation;
          slice.mutationIds.push(enqueue(cache, mutation, at, batchId, [jobId], job));
          slice.jobIds.push(jobId);
          const point = specOf(kind).queued?.(job, mutation.payload as never);
          if (point) cache.history.append([{ jobId, ...point, at, source: 'local_mutation' }]);
        }
      },
      {
        sliced: (end) => {
          const first = state.done === from;
          state.done = end;
          all.mutationIds.push(...slice.mutationIds);
          all.jobIds.push(...slice.jobIds);
          sliced?.(slice, first);
        },
        stopped: () => state.stopped,
      },
    );
  } finally {
    if (writing.get(cache) === state) writing.delete(cache);
  }
  return all;
}

/**
 * Stops writing bulk action `batchId`: its jobs without an item keep what they show, and a restart does not write
 * them either. How many jobs that leaves out (0 when it is not being written).
 */
export function stopJobAction(cache: Cache, batchId: string): number {
  const state = writing.get(cache);
  if (!state || state.batchId !== batchId || state.stopped) return 0;
  // between two of its transactions (they are synchronous): the next one is not written
  state.stopped = true;
  forget(cache, INTENT_KEY);
  return state.total - state.done;
}

/**
 * A batch's progress: its changes done and refused, of all of them, those still being written included; and of those,
 * how many its Cancel under way has still to discard.
 */
export function batchProgress(
  cache: Cache,
  batchId: string,
): { done: number; failed: number; total: number; writing: number; cancelling: number } {
  const state = writing.get(cache);
  const unwritten = state?.batchId === batchId && !state.stopped ? state.total - state.done : 0;
  const p = cache.outbox.batchProgress(batchId);
  return { ...p, total: p.total + unwritten, writing: unwritten, cancelling: cancellingOf(cache, batchId) };
}

/** At the push loop's start: a bulk action the app's end cut short gets the rest of its items. */
export async function finishInterruptedJobAction(cache: Cache, log?: (line: string) => void): Promise<Accepted | null> {
  return inBulkTurn(cache, async () => {
    const cut = interrupted<JobActionIntent>(cache, INTENT_KEY);
    if (!cut) return null;
    const { intent, from } = cut;
    log?.(`outbox: a ${intent.kind} of ${intent.ids.length} jobs was cut short after ${from}; writing the rest`);
    return writeJobActions(cache, intent, from);
  });
}

/** A new annotator and/or reviewer for one job. */
export function enqueueEditJob(cache: Cache, p: PayloadOf<'job.edit'>, now: Date): Accepted {
  const at = now.toISOString();
  const batchId = randomUUID();
  return cache.transaction(() => {
    const job = requireJob(cache, p.jobId);
    for (const id of [p.userId, p.reviewerId]) {
      if (id === undefined || cache.users.login(id)) continue;
      throw new AppError('not_found', `User ${id} is not in the cache. Sync and try again.`);
    }
    return { mutationIds: [enqueue(cache, { kind: 'job.edit', payload: p }, at, batchId, [p.jobId], job)], batchId, jobIds: [p.jobId] };
  });
}

/** One image's review status; the image must be one of the job's cached images. */
export function enqueueReview(
  cache: Cache,
  req: { jobId: number; imageId: number; status: PayloadOf<'job.review'>['status'] },
  now: Date,
): Accepted {
  const at = now.toISOString();
  const batchId = randomUUID();
  return cache.transaction(() => {
    const job = requireJob(cache, req.jobId);
    const image = cache.jobs.entities(req.jobId)?.find((e) => e.id === req.imageId);
    if (!image) {
      throw new AppError('not_found', `Image ${req.imageId} is not one of the cached images of "${job.name}". Sync and try again.`);
    }
    const payload: PayloadOf<'job.review'> = { ...req, imageName: image.name ?? `image ${image.id}` };
    return { mutationIds: [enqueue(cache, { kind: 'job.review', payload }, at, batchId, [req.jobId], job)], batchId, jobIds: [req.jobId] };
  });
}

/** Sends a job back to one annotator with its rejected images: a local row for the new job, the old one completed. */
export function enqueueRestart(
  cache: Cache,
  req: { jobId: number; userId: number; reviewerId: number | null; name: string },
  now: Date,
): Accepted & { newJobId: number } {
  const at = now.toISOString();
  const batchId = randomUUID();
  return cache.transaction(() => {
    const job = requireJob(cache, req.jobId);
    if (job.dataset_id === null) {
      throw new AppError(
        'conflict',
        `"${job.name}" takes its images from several datasets; a restart needs one. Restart it on the server.`,
      );
    }
    const rejected = (cache.jobs.entities(req.jobId) ?? []).filter((e) => e.reviewStatus === 'rejected');
    if (rejected.length === 0 && job.rejected_images_count === 0) {
      throw new AppError('conflict', `"${job.name}" has no rejected images: reject some first, there is nothing to send back.`);
    }
    const localId = cache.kv.nextLocalId();
    const payload: JobRestartPayload = { ...req, localId, teamId: job.team_id, datasetId: job.dataset_id, queuedAt: at };
    cache.jobs.upsert([restartedJobRecord(cache, job, payload, rejected.length || job.rejected_images_count)]);
    if (rejected.length)
      cache.jobs.setEntities(
        localId,
        rejected.map((e) => ({ ...e, reviewStatus: 'none' })),
      );
    const mutationIds = [enqueue(cache, { kind: 'job.restart', payload }, at, batchId, [localId, req.jobId], job)];
    cache.history.append([
      { jobId: localId, status: 'pending', at, source: 'local_mutation', note: `restarted from "${job.name}" here` },
      { jobId: req.jobId, status: 'completed', at, source: 'local_mutation', note: 'restart queued' },
    ]);
    return { mutationIds, batchId, jobIds: [localId, req.jobId], newJobId: localId };
  });
}

export function enqueueCreateUser(cache: Cache, req: ParsedRequestOf<'users.create'>, now: Date): Accepted & { userId: number } {
  const at = now.toISOString();
  const batchId = randomUUID();
  return cache.transaction(() => {
    const userId = cache.kv.nextLocalId();
    cache.users.upsertUser({
      id: userId,
      login: req.login,
      name: req.name || null,
      email: req.email || null,
      disabled: false,
      local: true,
    });
    const payload: PayloadOf<'user.create'> = {
      userId,
      login: req.login,
      password: req.password,
      isRestricted: req.isRestricted,
      name: req.name,
      email: req.email,
    };
    const mutationIds = [enqueue(cache, { kind: 'user.create', payload }, at, batchId, [])];
    if (req.teamId !== undefined && req.roleId !== undefined) {
      mutationIds.push(...enqueueMembership(cache, 'user.addToTeam', { userId, teamId: req.teamId, roleId: req.roleId }, at, batchId));
    }
    return { mutationIds, batchId, jobIds: [], userId };
  });
}

export function enqueueMembership(
  cache: Cache,
  kind: 'user.addToTeam' | 'user.changeRole',
  p: { userId: number; teamId: number; roleId: number },
  at: string,
  batchId: string = randomUUID(),
): number[] {
  return cache.transaction(() => {
    if (!cache.users.login(p.userId)) throw new AppError('not_found', `User ${p.userId} is not in the cache. Sync and try again.`);
    return [enqueue(cache, { kind, payload: p }, at, batchId, [])];
  });
}
