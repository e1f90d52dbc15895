// Labeling queues: labeling-queues.list (team listing with filters on project, dataset, name, id) and
// labeling-queues.info, shaped as the SDK's LabelingQueueInfo reads them; labelers, reviewers, jobs and counts
// come from the queue's jobs.
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { notFound } from '../errors';
import { requireTeamRole } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { envelope, parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';

interface QueueRow {
  id: number;
  team_id: number;
  project_id: number;
  dataset_id: number | null;
  name: string;
  created_by: number;
  created_at: string;
  finished_at: string | null;
  status: string;
  disabled: number;
  meta: string;
}

const QUEUE_FIELDS: FieldMap = {
  id: { column: 'q.id', type: 'int' },
  name: { column: 'q.name', type: 'string', like: true },
  projectId: { column: 'q.project_id', type: 'int' },
  datasetId: { column: 'q.dataset_id', type: 'int' },
};
const QUEUE_SORT = { id: 'q.id', name: 'q.name', createdAt: 'q.created_at' };

/** The wire object: counts over the queue's jobs (entities, accepted, annotated = finished by the labeler). */
function queueJson(ctx: Ctx, q: QueueRow) {
  const jobs = ctx.db
    .prepare(
      `SELECT id, user_id, reviewer_id, status, images_count, accepted_images_count, finished_images_count FROM jobs
     WHERE labeling_queue_id = ? ORDER BY id DESC`,
    )
    .all(q.id) as {
    id: number;
    user_id: number;
    reviewer_id: number | null;
    status: string;
    images_count: number;
    accepted_images_count: number;
    finished_images_count: number;
  }[];
  const ids = (list: (number | null)[]) => [...new Set(list.filter((v): v is number => v !== null))].map((id) => ({ id }));
  const sum = (key: 'images_count' | 'accepted_images_count' | 'finished_images_count') => jobs.reduce((n, j) => n + j[key], 0);
  return {
    id: q.id,
    name: q.name,
    teamId: q.team_id,
    projectId: q.project_id,
    datasetId: q.dataset_id,
    createdBy: q.created_by,
    labelers: ids(jobs.map((j) => j.user_id)),
    reviewers: ids(jobs.map((j) => j.reviewer_id)),
    createdAt: q.created_at,
    finishedAt: q.finished_at,
    status: q.status,
    disabled: q.disabled === 1,
    jobs: jobs.map((j) => ({ id: j.id })),
    entitiesCount: sum('images_count'),
    acceptedCount: sum('accepted_images_count'),
    annotatedCount: sum('finished_images_count'),
    inProgressCount: jobs.filter((j) => j.status === 'in_progress').length,
    pendingCount: jobs.filter((j) => j.status === 'pending').length,
    meta: JSON.parse(q.meta) as unknown,
  };
}

const listSchema = z.object({ teamId: idSchema, showDisabled: z.boolean().nullish(), filter: optionalFilter });

function listQueues(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(listSchema, body, ctx.method);
  requireTeamRole(ctx, req.teamId);
  const where = compileFilters(req.filter, QUEUE_FIELDS, ctx.method);
  where.clauses.unshift('q.team_id = ?', ...(req.showDisabled ? [] : ['q.disabled = 0']));
  where.params.unshift(req.teamId);
  const page = parsePage(body);
  const { total, rows } = queryPage<QueueRow>(
    ctx.db,
    { select: 'q.*', from: 'labeling_queues q', where, orderBy: parseSort(body, QUEUE_SORT, 'q.id', ctx.method) },
    page,
  );
  return envelope(
    total,
    page,
    rows.map((q) => queueJson(ctx, q)),
  );
}

function queueInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema }), body, ctx.method);
  const q = ctx.db.prepare('SELECT * FROM labeling_queues WHERE id = ?').get(id) as QueueRow | undefined;
  const missing = () => notFound(`Labeling queue with id ${id} doesn't exist or you don't have access to it`);
  if (!q) throw missing();
  try {
    requireTeamRole(ctx, q.team_id);
  } catch {
    throw missing();
  }
  return queueJson(ctx, q);
}

export const queueHandlers: HandlerMap = { 'labeling-queues.list': listQueues, 'labeling-queues.info': queueInfo };
