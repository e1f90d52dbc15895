// The outbox writers: each UI action becomes outbox items written in the same transaction as its
// optimistic effect on the cache (new local jobs, status, archived, removing) and a history point.
import { randomUUID } from 'node:crypto';
import { AppError, type JobStatus, type ParsedRequestOf } from '#shared/contract';
import type { Cache, JobRecord, StoredJob } from '../cache';
import { parseMutation, type Mutation, type PayloadOf } from './mutations';

export interface Accepted { mutationIds: number[]; batchId: string; jobIds: number[] }

export interface Me { id: number; login: string }
export const getMe = (cache: Cache): Me => cache.kv.get<Me>('me', { id: 0, login: '' });

const STATUS_OF: Partial<Record<Mutation['kind'], JobStatus>> = { 'job.stop': 'stopped' };

/** The optimistic effect of one mutation on the cache (also re-applied after a pull or a remap). */
export function applyOptimistic(cache: Cache, m: Mutation): void {
  switch (m.kind) {
    case 'job.stop': case 'job.setStatus': {
      const status = m.kind === 'job.setStatus' ? m.payload.status : STATUS_OF[m.kind]!;
      cache.jobs.patch(m.payload.jobId, { status });
      return;
    }
    case 'job.archive': cache.jobs.patch(m.payload.jobId, { disabled: 1 }); return;
    case 'job.remove': cache.jobs.patch(m.payload.jobId, { removing: 1 }); return;
    default: return;
  }
}

/** Re-applies every open (pending/sending) item's effect on a job after its row was overwritten. */
export function reapplyOpen(cache: Cache, jobId: number): void {
  for (const item of cache.outbox.forJob(jobId)) {
    if (item.state !== 'pending' && item.state !== 'sending') continue;
    const stored = cache.outbox.get(item.id);
    const parsed = stored && parseMutation(stored.kind, stored.payload);
    if (parsed && parsed.ok) applyOptimistic(cache, parsed.mutation);
  }
}

const requireJob = (cache: Cache, id: number): StoredJob => {
  const job = cache.jobs.get(id);
  if (!job || job.removed_at) throw new AppError('not_found', `Job ${id} is not in the cache (it may have been removed). Sync and try again.`);
  return job;
};

export function enqueueCreateJobs(cache: Cache, req: ParsedRequestOf<'jobs.create'>, now: Date): Accepted {
  const at = now.toISOString();
  const batchId = randomUUID();
  const ctx = cache.catalog.datasetContext(req.datasetId);
  if (!ctx) throw new AppError('not_found', `Dataset ${req.datasetId} is not in the cache. Sync once while online, then create the job.`);
  const me = getMe(cache);
  return cache.transaction(() => {
    const mutationIds: number[] = [];
    const jobIds: number[] = [];
    const images = req.imageIds?.length ? req.imageIds.length : (cache.catalog.images(req.datasetId).length || 0);
    for (const userId of req.userIds) {
      const localId = cache.kv.nextLocalId();
      const record: JobRecord = {
        id: localId, name: req.name, description: req.description ?? '', readme: req.readme ?? '',
        team_id: ctx.teamId, workspace_id: ctx.workspaceId, workspace_name: ctx.workspaceName,
        project_id: ctx.projectId, project_name: ctx.projectName, dataset_id: req.datasetId, dataset_name: ctx.datasetName,
        created_by_id: me.id, created_by_login: me.login, assigned_to_id: userId,
        assigned_to_login: cache.users.login(userId) ?? `user ${userId}`, reviewer_id: req.reviewerId ?? null,
        reviewer_login: req.reviewerId !== undefined ? cache.users.login(req.reviewerId) : null, created_at: at,
        started_at: null, finished_at: null, updated_at: at, status: 'pending', disabled: 0,
        labeling_queue_id: null, labeling_exam_id: null, images_count: images, finished_images_count: 0,
        rejected_images_count: 0, accepted_images_count: 0, progress_images_count: 0,
        classes_to_label: JSON.stringify(req.classesToLabel), tags_to_label: JSON.stringify(req.tagsToLabel),
        range_start: req.imagesRange?.[0] ?? null, range_end: req.imagesRange?.[1] ?? null,
        objects_limit: req.objectsLimitPerImage ?? null, tags_limit: req.tagsLimitPerImage ?? null,
        filter_images_by_tags: JSON.stringify([
          ...req.includeImagesWithTags.map((name) => ({ name, positive: true })),
          ...req.excludeImagesWithTags.map((name) => ({ name, positive: false })),
        ]),
        priority: 2, guide_id: null, custom_data: '{}', local: 1, server_fingerprint: null,
      };
      cache.jobs.upsert([record]);
      const payload: PayloadOf<'job.create'> = {
        localId, teamId: ctx.teamId, queuedAt: at,
        input: {
          name: req.name, datasetId: req.datasetId, userId,
          ...(req.reviewerId !== undefined ? { reviewerId: req.reviewerId } : {}),
          ...(req.readme !== undefined ? { readme: req.readme } : {}),
          ...(req.description !== undefined ? { description: req.description } : {}),
          classesToLabel: req.classesToLabel, tagsToLabel: req.tagsToLabel,
          objectsLimitPerImage: req.objectsLimitPerImage ?? null, tagsLimitPerImage: req.tagsLimitPerImage ?? null,
          ...(req.imageIds ? { imageIds: req.imageIds } : {}),
          ...(req.imagesRange ? { imagesRange: req.imagesRange } : {}),
          includeImagesWithTags: req.includeImagesWithTags, excludeImagesWithTags: req.excludeImagesWithTags,
        },
      };
      mutationIds.push(cache.outbox.enqueue({
        kind: 'job.create', payload, summary: `Create job "${req.name}" for ${record.assigned_to_login}`, batchId, jobIds: [localId],
      }, at));
      cache.history.append([{ jobId: localId, status: 'pending', at, source: 'local_mutation', note: 'created here' }]);
      jobIds.push(localId);
    }
    return { mutationIds, batchId, jobIds };
  });
}

type JobAction = 'job.stop' | 'job.archive' | 'job.remove' | 'job.setStatus';
const VERB: Record<JobAction, string> = { 'job.stop': 'Stop', 'job.archive': 'Archive', 'job.remove': 'Remove', 'job.setStatus': 'Set status of' };

/** One item per job (per-job results and retries); the push loop may batch removals on the wire. */
export function enqueueJobAction(cache: Cache, kind: JobAction, ids: readonly number[], now: Date, status?: JobStatus): Accepted {
  const at = now.toISOString();
  const batchId = randomUUID();
  return cache.transaction(() => {
    const mutationIds: number[] = [];
    for (const jobId of ids) {
      const job = requireJob(cache, jobId);
      const mutation = (kind === 'job.setStatus' ? { kind, payload: { jobId, status: status! } } : { kind, payload: { jobId } }) as Mutation;
      const summary = `${VERB[kind]} "${job.name}"${kind === 'job.setStatus' ? ` to ${status}` : ''}`;
      mutationIds.push(cache.outbox.enqueue({ kind, payload: mutation.payload, summary, batchId, jobIds: [jobId], beforeImage: job }, at));
      applyOptimistic(cache, mutation);
      const newStatus = kind === 'job.stop' ? 'stopped' : kind === 'job.setStatus' ? status : undefined;
      if (newStatus) cache.history.append([{ jobId, status: newStatus, at, source: 'local_mutation', note: `${VERB[kind].toLowerCase()} queued` }]);
      if (kind === 'job.archive') cache.history.append([{ jobId, status: job.status, at, source: 'local_mutation', note: 'archive queued' }]);
    }
    return { mutationIds, batchId, jobIds: [...ids] };
  });
}

export function enqueueCreateUser(cache: Cache, req: ParsedRequestOf<'users.create'>, now: Date): Accepted & { userId: number } {
  const at = now.toISOString();
  const batchId = randomUUID();
  return cache.transaction(() => {
    const userId = cache.kv.nextLocalId();
    cache.users.upsertUser({ id: userId, login: req.login, name: req.name || null, email: req.email || null, disabled: false, local: true });
    const mutationIds = [cache.outbox.enqueue({
      kind: 'user.create', summary: `Create user ${req.login}`, batchId, jobIds: [],
      payload: { userId, login: req.login, password: req.password, isRestricted: req.isRestricted, name: req.name, email: req.email },
    }, at)];
    if (req.teamId !== undefined && req.roleId !== undefined) {
      mutationIds.push(...enqueueMembership(cache, 'user.addToTeam', { userId, teamId: req.teamId, roleId: req.roleId }, at, batchId));
    }
    return { mutationIds, batchId, jobIds: [], userId };
  });
}

export function enqueueMembership(cache: Cache, kind: 'user.addToTeam' | 'user.changeRole', p: { userId: number; teamId: number; roleId: number }, at: string, batchId: string = randomUUID()): number[] {
  return cache.transaction(() => {
    const login = cache.users.login(p.userId);
    if (!login) throw new AppError('not_found', `User ${p.userId} is not in the cache. Sync and try again.`);
    cache.users.setMembership(p.teamId, p.userId, p.roleId, cache.users.roleName(p.roleId));
    const verb = kind === 'user.addToTeam' ? 'Add' : 'Change role of';
    return [cache.outbox.enqueue({ kind, payload: p, summary: `${verb} ${login} ${kind === 'user.addToTeam' ? 'to' : 'in'} team ${p.teamId} as ${cache.users.roleName(p.roleId) ?? `role ${p.roleId}`}`, batchId, jobIds: [] }, at)];
  });
}
