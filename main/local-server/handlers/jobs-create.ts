// Creating labeling jobs: jobs.add (one job per annotator; entities from ids, tag filters, range)
// and jobs.restart (new jobs from the rejected images of an existing one). supervisely-api.md §3.4.1, §3.4.10, §7.3.
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { badRequest, notFound, HttpError } from '../errors';
import { CREATE_JOBS, MANAGE_JOBS, requireRole, roleInTeam } from '../access';
import { idSchema, parseBody } from '../validate';
import { changeStatus, readEntities, requireJob, sortEntities, writeEntities, type Entity } from '../jobs-model';
import { recordJobEvent } from './activity';
import type { DB } from '../store';
import { datasetImages } from '../synthetic-images';

const limit = z.number().int().min(0).nullish();
const addSchema = z.object({
  name: z.string().trim().min(1).max(255),
  datasetId: idSchema,
  userIds: z.array(idSchema).min(1).max(500),
  readme: z.string().nullish(),
  description: z.string().max(255).nullish(),
  reviewerId: idSchema.nullish(),
  meta: z.object({
    classes: z.array(z.string()).default([]),
    projectTags: z.array(z.string()).default([]),
    imageTags: z.array(z.object({ name: z.string(), positive: z.boolean() })).default([]),
    imageFiguresLimit: limit,
    imageTagsLimit: limit,
    entityIds: z.array(idSchema).default([]),
    dynamicClasses: z.boolean().default(false),
    dynamicTags: z.boolean().default(false),
    allowRestore: z.boolean().optional(),
    range: z.object({ start: z.number().int().positive().nullable(), end: z.number().int().positive().nullable() }).nullish(),
    readOnlyTags: z.array(z.string()).optional(),
    guide: z.number().int().nullish(),
    toolboxSettings: z.record(z.string(), z.unknown()).optional(),
    disableConfirm: z.boolean().optional(),
    disableSubmit: z.boolean().optional(),
    enableIntermediateReview: z.boolean().optional(),
  }),
});

interface DatasetCtx {
  id: number;
  name: string;
  project_id: number;
  project_name: string;
  project_type: string;
  workspace_id: number;
  workspace_name: string;
  team_id: number;
}

export function requireDatasetForJobs(ctx: Ctx, datasetId: number): { ds: DatasetCtx; role: number } {
  const ds = ctx.db
    .prepare(
      `SELECT d.id, d.name, d.project_id, p.name AS project_name, p.type AS project_type, p.workspace_id,
            w.name AS workspace_name, p.team_id
     FROM datasets d JOIN projects p ON p.id = d.project_id JOIN workspaces w ON w.id = p.workspace_id WHERE d.id = ?`,
    )
    .get(datasetId) as DatasetCtx | undefined;
  const role = ds ? roleInTeam(ctx, ds.team_id) : null;
  if (!ds || role === null) {
    throw notFound(`Dataset with datasetId ${datasetId} is either archived, doesn't exist or you don't have enough permissions to access`);
  }
  return { ds, role };
}

function loginOfMember(db: DB, teamId: number, userId: number, what: string): string {
  const row = db
    .prepare('SELECT u.login, m.role_id FROM users u LEFT JOIN members m ON m.user_id = u.id AND m.team_id = ? WHERE u.id = ?')
    .get(teamId, userId) as { login: string; role_id: number | null } | undefined;
  if (!row) throw badRequest(`${what} ${userId} does not exist`);
  if (row.role_id === null) throw badRequest(`${what} ${userId} (${row.login}) is not a member of team ${teamId}`);
  return row.login;
}

/** Images of the dataset selected by entity ids, then include/exclude tags, then the 1-based range. */
function selectEntities(db: DB, datasetId: number, meta: z.output<typeof addSchema>['meta'], tagIds: Map<string, number>): Entity[] {
  let images = datasetImages(db, datasetId);
  if (meta.entityIds.length) {
    const wanted = new Set(meta.entityIds);
    const present = new Set(images.map((i) => i.id));
    const missing = [...wanted].filter((id) => !present.has(id));
    if (missing.length) throw badRequest(`meta.entityIds: images ${missing.join(', ')} are not in dataset ${datasetId}`);
    images = images.filter((i) => wanted.has(i.id));
  }
  if (meta.imageTags.length && images.length) {
    const tagsOf = new Map<number, Set<number>>();
    const rows = db
      .prepare(`SELECT image_id, tag_id FROM image_tags WHERE image_id IN (SELECT id FROM images WHERE dataset_id = ?)`)
      .all(datasetId) as { image_id: number; tag_id: number }[];
    for (const r of rows) (tagsOf.get(r.image_id) ?? tagsOf.set(r.image_id, new Set()).get(r.image_id)!).add(r.tag_id);
    images = images.filter((img) => {
      const has = tagsOf.get(img.id) ?? new Set<number>();
      return meta.imageTags.every((t) => has.has(tagIds.get(t.name)!) === t.positive);
    });
  }
  const range = meta.range;
  if (range && (range.start !== null || range.end !== null)) {
    if (range.start === null || range.end === null) throw badRequest('meta.range needs both start and end (1-based, inclusive)');
    if (range.end < range.start) throw badRequest(`meta.range: end (${range.end}) is before start (${range.start})`);
    images = images.slice(range.start - 1, range.end);
  }
  if (!images.length) throw badRequest('The job would contain no images: check meta.entityIds, meta.imageTags and meta.range');
  return sortEntities(images.map((i) => ({ id: i.id, name: i.name, reviewStatus: 'none' as const })));
}

interface NewJob {
  ds: DatasetCtx;
  name: string;
  readme: string;
  description: string;
  userId: number;
  reviewerId: number;
  meta: Record<string, unknown>;
  entities: Entity[];
}

/** Inserts one job with its entities and records job_created. */
export function insertJob(ctx: Ctx, j: NewJob): number {
  const db = ctx.db;
  const labeler = loginOfMember(db, j.ds.team_id, j.userId, 'User');
  const reviewer = loginOfMember(db, j.ds.team_id, j.reviewerId, 'Reviewer');
  const info = db
    .prepare(
      `INSERT INTO jobs (team_id, workspace_id, workspace_title, project_id, project_title, project_type, dataset_id, dataset_title,
       name, readme, description, created_by, manager_login, user_id, labeler_login, reviewer_id, reviewer_login,
       created_at, updated_at, status, images_count, priority, meta)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'pending',?,2,?)`,
    )
    .run(
      j.ds.team_id,
      j.ds.workspace_id,
      j.ds.workspace_name,
      j.ds.project_id,
      j.ds.project_name,
      j.ds.project_type,
      j.ds.id,
      j.ds.name,
      j.name,
      j.readme,
      j.description,
      ctx.caller.id,
      ctx.caller.login,
      j.userId,
      labeler,
      j.reviewerId,
      reviewer,
      ctx.now,
      ctx.now,
      j.entities.length,
      JSON.stringify(j.meta),
    );
  const id = Number(info.lastInsertRowid);
  writeEntities(db, id, j.entities, ctx.now);
  recordJobEvent(
    db,
    { id, name: j.name, team_id: j.ds.team_id, project_id: j.ds.project_id, dataset_id: j.ds.id, user_id: j.userId },
    ctx.caller.id,
    'job_created',
    ctx.now,
    { meta: { status: 'pending', userId: j.userId, reviewerId: j.reviewerId } },
  );
  return id;
}

function addJobs(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(addSchema, body, ctx.method);
  const { ds, role } = requireDatasetForJobs(ctx, req.datasetId);
  requireRole(role, CREATE_JOBS, 'create labeling jobs');
  if (new Set(req.userIds).size !== req.userIds.length) throw badRequest('userIds contains the same user more than once');
  const m = req.meta;
  const byName = (table: 'project_classes' | 'project_tags', col: 'title' | 'name', names: string[], what: string) =>
    names.map((n) => {
      const row = ctx.db.prepare(`SELECT id FROM ${table} WHERE project_id = ? AND ${col} = ?`).get(ds.project_id, n) as
        { id: number } | undefined;
      if (!row) throw badRequest(`${what} '${n}' does not exist in project ${ds.project_id} (${ds.project_name})`);
      return { id: row.id, name: n };
    });
  const classes = byName('project_classes', 'title', m.classes, 'meta.classes: class');
  const projectTags = byName('project_tags', 'name', m.projectTags, 'meta.projectTags: tag');
  const filterTags = byName(
    'project_tags',
    'name',
    m.imageTags.map((t) => t.name),
    'meta.imageTags: tag',
  );
  if (m.readOnlyTags) byName('project_tags', 'name', m.readOnlyTags, 'meta.readOnlyTags: tag');
  const tagIds = new Map(filterTags.map((t) => [t.name, t.id]));
  const entities = selectEntities(ctx.db, ds.id, m, tagIds);
  const {
    classes: _c,
    projectTags: _p,
    imageTags: _i,
    imageFiguresLimit,
    imageTagsLimit,
    range,
    entityIds,
    dynamicClasses,
    dynamicTags,
    allowRestore: _a,
    ...extra
  } = m;
  const meta = {
    classes,
    projectTags,
    imageTags: m.imageTags.map((t) => ({ id: tagIds.get(t.name)!, name: t.name, positive: t.positive })),
    imageFiguresLimit: imageFiguresLimit || null,
    imageTagsLimit: imageTagsLimit || null,
    range: { start: range?.start ?? null, end: range?.end ?? null },
    entityIds,
    dynamicClasses,
    dynamicTags,
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined && v !== null)),
  };
  const reviewerId = req.reviewerId ?? ctx.caller.id;
  return req.userIds.map((userId) => {
    const id = insertJob(ctx, {
      ds,
      name: req.name,
      readme: req.readme ?? '',
      description: req.description ?? '',
      userId,
      reviewerId,
      meta,
      entities: entities.map((e) => ({ ...e })),
    });
    return { id, userId, type: 'annotation', name: req.name };
  });
}

const restartSchema = z.object({
  id: idSchema,
  completeExisting: z.boolean().default(true),
  userIds: z.array(idSchema).min(1).max(500),
  reviewerId: idSchema.nullish(),
  name: z.string().trim().min(1).max(255).optional(),
});

function restartJob(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(restartSchema, body, ctx.method);
  const { job, role } = requireJob(ctx, req.id);
  requireRole(role, MANAGE_JOBS, 'restart labeling jobs');
  if (new Set(req.userIds).size !== req.userIds.length) throw badRequest('userIds contains the same user more than once');
  const rejected = readEntities(ctx.db, job.id).filter((e) => e.reviewStatus === 'rejected');
  if (!rejected.length) throw new HttpError(400, 'No images found', `No images found: job ${job.id} has no rejected images to restart`);
  const { ds } = requireDatasetForJobs(ctx, job.dataset_id);
  const oldMeta = JSON.parse(job.meta) as Record<string, unknown>;
  const meta = { ...oldMeta, range: { start: null, end: null }, entityIds: rejected.map((e) => e.id) };
  const name = req.name ?? job.name;
  const created = req.userIds.map((userId) => {
    const id = insertJob(ctx, {
      ds,
      name,
      readme: job.readme,
      description: job.description,
      userId,
      reviewerId: req.reviewerId ?? ctx.caller.id,
      meta,
      entities: sortEntities(rejected.map((e) => ({ id: e.id, name: e.name, reviewStatus: 'none' as const }))),
    });
    return { id, userId, type: 'annotation', name };
  });
  if (req.completeExisting) changeStatus(ctx.db, job, 'completed', ctx.caller.id, ctx.now);
  return created;
}

export const jobCreateHandlers: HandlerMap = { 'jobs.add': addJobs, 'jobs.restart': restartJob };
