// job.restart: sends a job back (jobs.restart): a new job for one annotator with the job's rejected
// images, and the old job completed. Queued with a local id for the new job, shown at once; jobs.restart
// is not idempotent, so a restart sent before is looked up on the server (like a create) before any resend.
import { z } from 'zod';
import type { Cache, JobRecord, StoredJob } from '../../cache';
import { recordFromServer } from '../../cache';
import type { JobWire } from '../../supervisely/types';
import { jobName } from './jobTarget';
import { findLostJob, lookalikes, sameJobSubject, type JobLookalike } from './lostCreate';
import { defineMutation, type Subject } from './spec';

const Id = z.number().int();

const schema = z.object({
  /** the job sent back, and the local id of the job the restart makes */
  jobId: Id,
  localId: Id,
  teamId: Id,
  datasetId: Id,
  queuedAt: z.string(),
  name: z.string().min(1).max(255),
  userId: Id,
  reviewerId: Id.nullable(),
  existingJobIds: z.array(Id).optional(),
});
export type JobRestartPayload = z.output<typeof schema>;

const lookalikeOf = (p: JobRestartPayload): JobLookalike => ({
  teamId: p.teamId,
  datasetId: p.datasetId,
  userId: p.userId,
  name: p.name,
  existingJobIds: p.existingJobIds,
});

/** The new job's row until the server answers: the old job's settings, its rejected images, nothing done yet. */
export function restartedJobRecord(cache: Cache, source: StoredJob, p: JobRestartPayload, rejected: number): JobRecord {
  const login = (id: number) => cache.users.login(id) ?? `user ${id}`;
  return {
    ...source,
    id: p.localId,
    name: p.name,
    assigned_to_id: p.userId,
    assigned_to_login: login(p.userId),
    reviewer_id: p.reviewerId,
    reviewer_login: p.reviewerId === null ? null : login(p.reviewerId),
    created_at: p.queuedAt,
    started_at: null,
    finished_at: null,
    updated_at: p.queuedAt,
    status: 'pending',
    disabled: 0,
    images_count: rejected,
    finished_images_count: 0,
    rejected_images_count: 0,
    accepted_images_count: 0,
    progress_images_count: 0,
    range_start: null,
    range_end: null,
    local: 1,
    server_fingerprint: null,
  };
}

export const jobRestart = defineMutation({
  schema,
  creates: true,
  subjects(p) {
    const reads: Subject[] = [`job:${p.jobId}`, `user:${p.userId}`];
    if (p.reviewerId !== null) reads.push(`user:${p.reviewerId}`);
    return { writes: [`job:${p.localId}`, `job:${p.jobId}`, sameJobSubject(lookalikeOf(p))], reads };
  },
  remap(p, kind, localId, serverId) {
    const swap = (id: number) => (id === localId ? serverId : id);
    if (kind === 'job') return p.jobId === localId ? { ...p, jobId: serverId } : null;
    if (p.userId !== localId && p.reviewerId !== localId) return null;
    return { ...p, userId: swap(p.userId), reviewerId: p.reviewerId === null ? null : swap(p.reviewerId) };
  },
  summary: (cache, p) => `Restart "${jobName(cache, p.jobId)}" for ${cache.users.login(p.userId) ?? `user ${p.userId}`}`,
  // the new job's row is written when queued (enqueueRestart); the old job is completed by the restart
  optimistic: (cache, p) => cache.jobs.patch(p.jobId, { status: 'completed' }),
  async send({ api }, p) {
    const made = await api.jobs.restart(p.jobId, { userIds: [p.userId], reviewerId: p.reviewerId, name: p.name });
    if (!made[0]) throw new Error(`"${p.name}" has no rejected images on the server any more, so there is nothing to send back.`);
    return made[0];
  },
  created: (p, answer) => ({ kind: 'job', localId: p.localId, serverId: (answer as JobWire).id }),
  apply(cache, p, answer) {
    const info = answer as JobWire;
    cache.jobs.upsert([recordFromServer(info)]);
    cache.jobs.markStale([p.jobId]);
    cache.history.append([{ jobId: info.id, status: info.status, at: info.createdAt, source: 'server_timestamp', note: 'restarted' }]);
    return { result: { serverId: info.id }, jobIds: [info.id, p.jobId], rowsReplaced: [info.id] };
  },
  beforeFirstSend: async (ctx, p) => ({ ...p, existingJobIds: (await lookalikes(ctx, lookalikeOf(p))).map((j) => j.id) }),
  reconcile: (ctx, p, item) => findLostJob(ctx, lookalikeOf(p), item.sentAt ?? p.queuedAt, 'restart'),
  refused: (cache, p) => deleteLocalRow(cache, p.localId),
  discard: (cache, p) => deleteLocalRow(cache, p.localId),
});

function deleteLocalRow(cache: Cache, localId: number): void {
  if (cache.jobs.get(localId)?.local) cache.jobs.delete(localId);
}
