// Reading labeling jobs: jobs.list (team listing with filters, sort, projection, visibility),
// jobs.info (one job with entities) and jobs.stats (computed from the job). supervisely-api.md §3.4.2, §3.4.3, §3.4.8.
import { z } from 'zod';
import { RawJson, type Ctx, type HandlerMap } from '../context';
import { OWN_JOBS_ONLY, ROLE, requireTeamRole } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';
import { JOB_STATUSES, NEWER_JOB_STATUSES, jobInfoJson, jobJsonSql, readEntities, requireJob } from '../jobs-model';

const int = (column: string) => ({ column, type: 'int' as const });
const ts = (column: string) => ({ column, type: 'timestamp' as const });
export const JOB_FIELDS: FieldMap = {
  id: int('id'),
  name: { column: 'name', type: 'string', like: true },
  status: { column: 'status', type: 'enum', values: [...JOB_STATUSES, ...NEWER_JOB_STATUSES] },
  createdBy: int('created_by'),
  userId: int('user_id'),
  reviewerId: int('reviewer_id'),
  projectId: int('project_id'),
  datasetId: int('dataset_id'),
  workspaceId: int('workspace_id'),
  labelingQueueId: int('labeling_queue_id'),
  labelingExamId: int('labeling_exam_id'),
  priority: int('priority'),
  projectType: { column: 'project_type', type: 'string', like: true },
  createdAt: ts('created_at'),
  updatedAt: ts('updated_at'),
  startedAt: ts('started_at'),
  finishedAt: ts('finished_at'),
};
const JOB_SORT: Record<string, string> = {
  id: 'id',
  userId: 'user_id',
  createdBy: 'created_by',
  reviewerId: 'reviewer_id',
  projectId: 'project_id',
  datasetId: 'dataset_id',
  name: 'name',
  createdAt: 'created_at',
  status: 'status',
  updatedAt: 'updated_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  priority: 'priority',
  reviewFinishedAt: 'review_finished_at',
  annotationFinishedAt: 'annotation_finished_at',
  labelingQueueId: 'labeling_queue_id',
};

const listSchema = z.object({
  teamId: idSchema,
  showDisabled: z.boolean().nullish(),
  filter: optionalFilter,
  fields: z.array(z.string()).nullish(),
});

function listJobs(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(listSchema, body, ctx.method);
  const role = requireTeamRole(ctx, req.teamId);
  const where = compileFilters(req.filter, JOB_FIELDS, ctx.method);
  const scope = ['team_id = ?'];
  const params: unknown[] = [req.teamId];
  if (!req.showDisabled) scope.push('disabled = 0');
  if ((OWN_JOBS_ONLY as number[]).includes(role)) {
    scope.push(role === ROLE.reviewer ? '(user_id = ? OR reviewer_id = ? OR created_by = ?)' : '(user_id = ? OR reviewer_id = ?)');
    params.push(...(role === ROLE.reviewer ? [ctx.caller.id, ctx.caller.id, ctx.caller.id] : [ctx.caller.id, ctx.caller.id]));
  }
  where.clauses.unshift(...scope);
  where.params.unshift(...params);
  const page = parsePage(body);
  const fields = req.fields?.length ? new Set(req.fields) : null;
  const { total, rows } = queryPage<{ j: string }>(
    ctx.db,
    { select: `${jobJsonSql(fields)} AS j`, from: 'jobs', key: 'id', where, orderBy: parseSort(body, JOB_SORT, 'id', ctx.method) },
    page,
  );
  const entities = rows.map((r) => r.j).join(',');
  return new RawJson(
    `{"total":${total},"perPage":${page.perPage},"pagesCount":${Math.ceil(total / page.perPage)},"entities":[${entities}]}`,
  );
}

const idBody = z.object({ id: idSchema });

function jobInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(idBody, body, ctx.method);
  requireJob(ctx, id);
  return new RawJson(jobInfoJson(ctx.db, id));
}

function seconds(from: string | null, to: string | null): number {
  if (!from || !to) return 0;
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

function jobStats(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(idBody, body, ctx.method);
  const { job } = requireJob(ctx, id);
  const entities = readEntities(ctx.db, id);
  const meta = JSON.parse(job.meta) as { classes: { id: number }[]; projectTags: { id: number }[] };
  const classIds = meta.classes.map((c) => c.id);
  const tagIds = meta.projectTags.map((t) => t.id);
  const classes = ctx.db
    .prepare(`SELECT id, title, color, shape FROM project_classes WHERE project_id = ? ORDER BY title`)
    .all(job.project_id) as { id: number; title: string; color: string; shape: string }[];
  const tags = ctx.db
    .prepare(`SELECT id, name, color, value_type, possible_values FROM project_tags WHERE project_id = ? ORDER BY name`)
    .all(job.project_id) as { id: number; name: string; color: string; value_type: string; possible_values: string | null }[];
  const tagsStats: Record<string, unknown>[] = [];
  for (const t of tags.filter((t) => !tagIds.length || tagIds.includes(t.id))) {
    tagsStats.push({ id: t.id, name: t.name, color: t.color, images: 0, figures: 0 });
    if (t.value_type === 'oneof_string' && t.possible_values) {
      for (const v of JSON.parse(t.possible_values) as string[]) {
        tagsStats.push({ parentId: t.id, name: `${t.name} (${v})`, color: t.color, images: 0, figures: 0 });
      }
    }
  }
  const annotationEnd = job.annotation_finished_at ?? (job.status === 'in_progress' ? ctx.now : null);
  return {
    job: {
      id: job.id,
      name: job.name,
      startedAt: job.started_at,
      finishedAt: job.finished_at,
      imagesCount: job.images_count,
      finishedImagesCount: job.finished_images_count,
      annotationDuration: seconds(job.started_at, annotationEnd),
      editingDuration: 0,
      tagsStats,
    },
    classes: classes
      .filter((c) => !classIds.length || classIds.includes(c.id))
      .map((c) => ({
        id: c.id,
        name: c.title,
        color: c.color,
        shape: c.shape,
        imagesCount: 0,
        labelsCount: 0,
        totalDuration: 0,
        avgDuration: null,
      })),
    images: {
      total: entities.length,
      images: entities.map((e) => ({
        id: e.id,
        name: e.name,
        reviewStatus: e.reviewStatus,
        labelsCount: 0,
        annotationDuration: 0,
        totalDuration: 0,
      })),
    },
  };
}

export const jobQueryHandlers: HandlerMap = { 'jobs.list': listJobs, 'jobs.info': jobInfo, 'jobs.stats': jobStats };
