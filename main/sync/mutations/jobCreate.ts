// job.create: one labeling job for one annotator (the SDK's create() with a single user). Queued with a
// local (negative) id shown at once; jobs.add is not idempotent, so a create sent before is looked up
// on the server before it is sent again; the server's job then takes over the local id.
import { z } from 'zod';
import { CreateOptionsSchema } from '#shared/contract';
import type { Cache, JobRecord } from '../../cache';
import { recordFromServer } from '../../cache';
import type { JobWire } from '../../supervisely/types';
import { findLostJob, lookalikes, sameJobSubject, type JobLookalike } from './lostCreate';
import { defineMutation, type Subject } from './spec';

const Id = z.number().int();

export const CreateJobInputSchema = z.object({
  name: z.string().min(1),
  datasetId: Id,
  /** one job per mutation: the SDK's create() with a single annotator */
  userId: Id,
  reviewerId: Id.optional(),
  readme: z.string().optional(),
  description: z.string().optional(),
  classesToLabel: z.array(z.string()),
  tagsToLabel: z.array(z.string()),
  objectsLimitPerImage: z.number().int().nullable().optional(),
  tagsLimitPerImage: z.number().int().nullable().optional(),
  imageIds: z.array(Id).optional(),
  imagesRange: z.tuple([z.number().int(), z.number().int()]).optional(),
  includeImagesWithTags: z.array(z.string()),
  excludeImagesWithTags: z.array(z.string()),
  ...CreateOptionsSchema.shape,
});

const schema = z.object({
  localId: Id,
  teamId: Id,
  queuedAt: z.string(),
  input: CreateJobInputSchema,
  /** the matching jobs (same name, dataset, annotator, creator) that existed before the first send: never ours */
  existingJobIds: z.array(Id).optional(),
});
export type JobCreatePayload = z.output<typeof schema>;

/** What identifies the job this create makes, for finding it after a lost answer. */
const lookalikeOf = (p: JobCreatePayload): JobLookalike => ({
  teamId: p.teamId,
  datasetId: p.input.datasetId,
  userId: p.input.userId,
  name: p.input.name,
  existingJobIds: p.existingJobIds,
});

/**
 * How many images the job will have, as the server picks them (the entity ids, then the 1-based inclusive
 * `range` over those; main/local-server/handlers/jobs-create.ts): the subset's size, cut to the range. Tag filters need each image's tags,
 * which the cache may not have, so they are not counted here; the server's answer corrects the row.
 */
export function expectedImagesCount(cache: Cache, input: JobCreatePayload['input']): number {
  const base = input.imageIds?.length ? input.imageIds.length : (cache.catalog.datasetImagesCount(input.datasetId) ?? 0);
  if (!input.imagesRange) return base;
  const [start, end] = input.imagesRange;
  return Math.max(0, Math.min(end, base) - start + 1);
}

/** The row the grid shows until the server answers. */
export function localJobRecord(cache: Cache, p: JobCreatePayload, me: { id: number; login: string }): JobRecord {
  const { input } = p;
  const ctx = cache.catalog.datasetContext(input.datasetId)!;
  return {
    id: p.localId,
    name: input.name,
    description: input.description ?? '',
    readme: input.readme ?? '',
    team_id: ctx.teamId,
    workspace_id: ctx.workspaceId,
    workspace_name: ctx.workspaceName,
    project_id: ctx.projectId,
    project_name: ctx.projectName,
    dataset_id: input.datasetId,
    dataset_name: ctx.datasetName,
    created_by_id: me.id,
    created_by_login: me.login,
    assigned_to_id: input.userId,
    // no reviewer given: the server makes the creator the reviewer, so the queued row says so already
    assigned_to_login: cache.users.login(input.userId) ?? `user ${input.userId}`,
    reviewer_id: input.reviewerId ?? me.id,
    reviewer_login: input.reviewerId !== undefined ? cache.users.login(input.reviewerId) : me.login,
    created_at: p.queuedAt,
    started_at: null,
    finished_at: null,
    updated_at: p.queuedAt,
    status: 'pending',
    disabled: 0,
    labeling_queue_id: null,
    labeling_exam_id: null,
    images_count: expectedImagesCount(cache, input),
    finished_images_count: 0,
    rejected_images_count: 0,
    accepted_images_count: 0,
    progress_images_count: 0,
    classes_to_label: JSON.stringify(input.classesToLabel),
    tags_to_label: JSON.stringify(input.tagsToLabel),
    range_start: input.imagesRange?.[0] ?? null,
    range_end: input.imagesRange?.[1] ?? null,
    objects_limit: input.objectsLimitPerImage ?? null,
    tags_limit: input.tagsLimitPerImage ?? null,
    filter_images_by_tags: JSON.stringify([
      ...input.includeImagesWithTags.map((name) => ({ name, positive: true })),
      ...input.excludeImagesWithTags.map((name) => ({ name, positive: false })),
    ]),
    priority: 2,
    guide_id: null,
    custom_data: '{}',
    local: 1,
    server_fingerprint: null,
  };
}

export const jobCreate = defineMutation({
  schema,
  creates: true,
  subjects(p) {
    const reads: Subject[] = [`user:${p.input.userId}`];
    if (p.input.reviewerId !== undefined) reads.push(`user:${p.input.reviewerId}`);
    return { writes: [`job:${p.localId}`, sameJobSubject(lookalikeOf(p))], reads };
  },
  remap(p, kind, localId, serverId) {
    const { input } = p;
    if (kind !== 'user' || (input.userId !== localId && input.reviewerId !== localId)) return null;
    const swap = (id: number) => (id === localId ? serverId : id);
    const reviewer = input.reviewerId !== undefined ? { reviewerId: swap(input.reviewerId) } : {};
    return { ...p, input: { ...input, userId: swap(input.userId), ...reviewer } };
  },
  summary: (cache, p) => `Create job "${p.input.name}" for ${cache.users.login(p.input.userId) ?? `user ${p.input.userId}`}`,
  // the local row is written when queued (enqueueCreateJobs); nothing to re-apply on server rows
  optimistic: () => {},
  async send({ api }, p) {
    const { userId, ...rest } = p.input;
    const infos = await api.jobs.create({
      ...rest,
      userIds: [userId],
      objectsLimitPerImage: rest.objectsLimitPerImage ?? null,
      tagsLimitPerImage: rest.tagsLimitPerImage ?? null,
    });
    return infos[0];
  },
  created: (p, answer) => ({ kind: 'job', localId: p.localId, serverId: (answer as JobWire).id }),
  apply(cache, _p, answer) {
    const info = answer as JobWire;
    cache.jobs.upsert([recordFromServer(info)]);
    cache.history.append([{ jobId: info.id, status: info.status, at: info.createdAt, source: 'server_timestamp', note: 'created' }]);
    return { result: { serverId: info.id }, jobIds: [info.id], rowsReplaced: [info.id] };
  },
  beforeFirstSend: async (ctx, p) => ({ ...p, existingJobIds: (await lookalikes(ctx, lookalikeOf(p))).map((j) => j.id) }),
  reconcile: (ctx, p, item) => findLostJob(ctx, lookalikeOf(p), item.sentAt ?? p.queuedAt, 'create'),
  discard(cache, p) {
    const job = cache.jobs.get(p.localId);
    if (job?.local) cache.jobs.delete(job.id);
  },
});
