// The team activity feed: recording events (SDK action names plus the local server's job_* extensions)
// and the teams.activity listing with its filters (supervisely-api.md §2.3, §3.4.13).
import { z } from 'zod';
import type { DB } from '../store';
import type { Ctx, HandlerMap } from '../context';
import { requireTeamRole } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { envelope, parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';
import { findSyntheticImage, syntheticDatasets, syntheticName } from '../synthetic-images';

export interface ActivityEvent {
  teamId: number;
  userId: number;
  action: string;
  date: string;
  projectId?: number | null;
  datasetId?: number | null;
  imageId?: number | null;
  jobId?: number | null;
  jobName?: string | null;
  labelerId?: number | null;
  reviewStatus?: string | null;
  classId?: number | null;
  tagId?: number | null;
  meta?: Record<string, unknown>;
}

export function recordActivity(db: DB, e: ActivityEvent): void {
  db.prepare(
    `INSERT INTO activity (team_id, date, user_id, action, project_id, dataset_id, image_id, job_id, job_name,
       labeler_id, review_status, class_id, tag_id, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  ).run(
    e.teamId,
    e.date,
    e.userId,
    e.action,
    e.projectId ?? null,
    e.datasetId ?? null,
    e.imageId ?? null,
    e.jobId ?? null,
    e.jobName ?? null,
    e.labelerId ?? null,
    e.reviewStatus ?? null,
    e.classId ?? null,
    e.tagId ?? null,
    JSON.stringify(e.meta ?? {}),
  );
}

/** A job-scoped event: fills team/project/dataset/labeler from the job row. */
export function recordJobEvent(
  db: DB,
  job: { id: number; name: string; team_id: number; project_id: number; dataset_id: number; user_id: number },
  userId: number,
  action: string,
  date: string,
  extra: Partial<ActivityEvent> = {},
): void {
  recordActivity(db, {
    teamId: job.team_id,
    userId,
    action,
    date,
    projectId: job.project_id,
    datasetId: job.dataset_id,
    jobId: job.id,
    jobName: job.name,
    labelerId: job.user_id,
    ...extra,
  });
}

const ACTIVITY_FIELDS: FieldMap = {
  userId: { column: 'a.user_id', type: 'int' },
  labelerId: { column: 'a.labeler_id', type: 'int' },
  reviewStatus: { column: 'a.review_status', type: 'enum', values: ['none', 'done', 'accepted', 'rejected'] },
  projectId: { column: 'a.project_id', type: 'int' },
  datasetId: { column: 'a.dataset_id', type: 'int' },
  imageId: { column: 'a.image_id', type: 'int' },
  jobId: { column: 'a.job_id', type: 'int' },
  type: { column: 'a.action', type: 'string' },
  action: { column: 'a.action', type: 'string' },
  date: { column: 'a.date', type: 'timestamp' },
  id: { column: 'a.id', type: 'int' },
};
const ACTIVITY_SORT = { id: 'a.id', date: 'a.date' };

interface ActivityRow {
  id: number;
  user_id: number;
  user: string | null;
  action: string;
  date: string;
  project_id: number | null;
  project: string | null;
  dataset_id: number | null;
  dataset: string | null;
  image_id: number | null;
  image: string | null;
  class_id: number | null;
  class: string | null;
  job_id: number | null;
  job_name: string | null;
  tag_id: number | null;
  tag: string | null;
  meta: string;
  labeler_id: number | null;
  review_status: string | null;
}

const listSchema = z.object({ teamId: idSchema, filter: optionalFilter });

function listActivity(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(listSchema, body, ctx.method);
  requireTeamRole(ctx, req.teamId);
  const where = compileFilters(req.filter, ACTIVITY_FIELDS, ctx.method);
  where.clauses.unshift('a.team_id = ?');
  where.params.unshift(req.teamId);
  const page = parsePage(body);
  const { total, rows } = queryPage<ActivityRow>(
    ctx.db,
    {
      select: `a.*, u.login AS user, p.name AS project, d.name AS dataset, i.name AS image, c.title AS class, t.name AS tag`,
      from: `activity a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN projects p ON p.id = a.project_id
             LEFT JOIN datasets d ON d.id = a.dataset_id LEFT JOIN images i ON i.id = a.image_id
             LEFT JOIN project_classes c ON c.id = a.class_id LEFT JOIN project_tags t ON t.id = a.tag_id`,
      key: 'a.id',
      keyFrom: 'activity a',
      where,
      orderBy: parseSort(body, ACTIVITY_SORT, 'a.id', ctx.method),
    },
    page,
  );
  // formula images have no row to join: their names come from their dataset (one lookup per page)
  const unnamed = rows.filter((r) => r.image_id !== null && r.image === null && r.dataset_id !== null).map((r) => r.dataset_id!);
  const formula = new Map(syntheticDatasets(ctx.db, [...new Set(unnamed)]).map((d) => [d.id, d]));
  const imageName = (r: ActivityRow): string | null => {
    if (r.image !== null || r.image_id === null) return r.image;
    const ds = r.dataset_id === null ? undefined : formula.get(r.dataset_id);
    const k = ds ? r.image_id - ds.synth_first_id : -1;
    // a row whose dataset is not the image's (a multi-dataset job's event) looks the image up by id
    return ds && k >= 0 && k < ds.synth_count ? syntheticName(ds, k) : (findSyntheticImage(ctx.db, r.image_id)?.name ?? null);
  };
  return envelope(
    total,
    page,
    rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      user: r.user,
      action: r.action,
      date: r.date,
      projectId: r.project_id,
      project: r.project,
      datasetId: r.dataset_id,
      dataset: r.dataset,
      imageId: r.image_id,
      image: imageName(r),
      classId: r.class_id,
      class: r.class,
      figureId: null,
      jobId: r.job_id,
      job: r.job_name,
      tagId: r.tag_id,
      tag: r.tag,
      labelerId: r.labeler_id,
      reviewStatus: r.review_status,
      meta: JSON.parse(r.meta) as unknown,
    })),
  );
}

export const activityHandlers: HandlerMap = { 'teams.activity': listActivity };
