// The labeling-job record: its SQLite row, its wire JSON (supervisely-api.md §3.2/§3.3), entity counters and
// the status-change rule (timestamps + activity), shared by every jobs.* handler, the seed and simulate.
import type { DB } from './store';
import { notFound } from './errors';
import type { Ctx } from './context';
import { canSeeJob, requireTeamRole } from './access';
import { recordJobEvent } from './handlers/activity';

export const JOB_STATUSES = ['pending', 'in_progress', 'on_review', 'completed', 'stopped', 'review_completed'] as const;
/** Statuses a newer server has that the SDK (and the app) do not know: only the team world's data holds them. */
export const NEWER_JOB_STATUSES = ['quality_check'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const REVIEW_STATUSES = ['none', 'done', 'accepted', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface ServerJobRow {
  id: number;
  team_id: number;
  workspace_id: number;
  workspace_title: string;
  project_id: number;
  project_title: string;
  project_type: string;
  dataset_id: number;
  dataset_title: string;
  name: string;
  readme: string;
  description: string;
  created_by: number;
  manager_login: string;
  user_id: number;
  labeler_login: string;
  reviewer_id: number | null;
  reviewer_login: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  annotation_finished_at: string | null;
  review_finished_at: string | null;
  status: JobStatus;
  disabled: number;
  labeling_queue_id: number | null;
  labeling_exam_id: number | null;
  images_count: number;
  finished_images_count: number;
  rejected_images_count: number;
  accepted_images_count: number;
  progress_images_count: number;
  priority: number;
  custom_data: string;
  meta: string;
}

export interface Entity {
  id: number;
  name: string;
  reviewStatus: ReviewStatus;
}

/** Entities are kept in the order jobs.info shows them: name descending (then id descending). */
export function sortEntities(entities: Entity[]): Entity[] {
  return entities.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : b.id - a.id));
}

/** Counter rule: finished = done + accepted + rejected; progress = reviewed (accepted + rejected). */
export function countEntities(entities: Entity[]) {
  let done = 0,
    accepted = 0,
    rejected = 0;
  for (const e of entities) {
    if (e.reviewStatus === 'done') done++;
    else if (e.reviewStatus === 'accepted') accepted++;
    else if (e.reviewStatus === 'rejected') rejected++;
  }
  return {
    images_count: entities.length,
    finished_images_count: done + accepted + rejected,
    accepted_images_count: accepted,
    rejected_images_count: rejected,
    progress_images_count: accepted + rejected,
  };
}

/** Wire keys of a job (supervisely-api.md §3.2/§3.3) and the SQL producing each one; SQLite builds the JSON text. */
const JOB_KEYS: [string, string][] = [
  ['id', 'id'],
  ['name', 'name'],
  ['readme', 'readme'],
  ['description', 'description'],
  ['teamId', 'team_id'],
  ['workspaceId', 'workspace_id'],
  ['workspaceTitle', 'workspace_title'],
  ['projectId', 'project_id'],
  ['projectTitle', 'project_title'],
  ['projectType', 'project_type'],
  ['datasetId', 'dataset_id'],
  ['datasetTitle', 'dataset_title'],
  ['createdBy', 'created_by'],
  ['managerLogin', 'manager_login'],
  ['userId', 'user_id'],
  ['labelerLogin', 'labeler_login'],
  ['reviewerId', 'reviewer_id'],
  ['reviewerLogin', 'reviewer_login'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
  ['startedAt', 'started_at'],
  ['finishedAt', 'finished_at'],
  ['annotationFinishedAt', 'annotation_finished_at'],
  ['reviewFinishedAt', 'review_finished_at'],
  ['status', 'status'],
  ['disabled', "json(CASE disabled WHEN 1 THEN 'true' ELSE 'false' END)"],
  ['labelingQueueId', 'labeling_queue_id'],
  ['labelingExamId', 'labeling_exam_id'],
  ['imagesCount', 'images_count'],
  ['finishedImagesCount', 'finished_images_count'],
  ['rejectedImagesCount', 'rejected_images_count'],
  ['acceptedImagesCount', 'accepted_images_count'],
  ['progressImagesCount', 'progress_images_count'],
  ['priority', 'priority'],
  ['customData', 'json(custom_data)'],
  ['meta', 'json(meta)'],
];

const WIRE_KEYS = new Set(JOB_KEYS.map(([k]) => k));

/** SQL expression giving a job's JSON text; `fields` (if given) limits the keys (id always kept). */
export function jobJsonSql(fields?: ReadonlySet<string> | null): string {
  const keys = fields ? JOB_KEYS.filter(([k]) => k === 'id' || fields.has(k)) : JOB_KEYS;
  const json = `json_object(${keys.map(([k, expr]) => `'${k}', ${expr}`).join(', ')})`;
  return `CASE WHEN jobs.wire_overlay IS NULL THEN ${json} ELSE emu_job_overlay(${json}, jobs.wire_overlay) END`;
}

/**
 * `wire_overlay` (team world): wire values that differ from the stored ones (an id as a string, a date in another
 * ISO-8601 form, null where the SDK allows it, a key the app does not know). It replaces the keys the answer has
 * (so a `fields` projection stays one) and adds keys that are not job keys at all.
 */
export function registerJobFunctions(db: DB): void {
  db.function('emu_job_overlay', { deterministic: true }, (json: unknown, overlay: unknown) => {
    const job = JSON.parse(String(json)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(JSON.parse(String(overlay)) as Record<string, unknown>)) {
      if (Object.hasOwn(job, key) || !WIRE_KEYS.has(key)) job[key] = value;
    }
    return JSON.stringify(job);
  });
}

/** JSON text of one job including its entities (jobs.info). */
export function jobInfoJson(db: DB, id: number): string {
  const row = db
    .prepare(`SELECT ${jobJsonSql()} AS j, e.entities FROM jobs LEFT JOIN job_entities e ON e.job_id = jobs.id WHERE jobs.id = ?`)
    .get(id) as { j: string; entities: string | null };
  return `${row.j.slice(0, -1)},"entities":${row.entities ?? '[]'}}`;
}

export function readJob(db: DB, id: number): ServerJobRow | undefined {
  return db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as ServerJobRow | undefined;
}

export function readEntities(db: DB, jobId: number): Entity[] {
  const row = db.prepare('SELECT entities FROM job_entities WHERE job_id = ?').get(jobId) as { entities: string } | undefined;
  return row ? (JSON.parse(row.entities) as Entity[]) : [];
}

/** Stores entities and the counters derived from them. */
export function writeEntities(db: DB, jobId: number, entities: Entity[], now: string): void {
  const c = countEntities(entities);
  db.prepare(
    'INSERT INTO job_entities (job_id, entities) VALUES (?, ?) ON CONFLICT(job_id) DO UPDATE SET entities = excluded.entities',
  ).run(jobId, JSON.stringify(entities));
  db.prepare(
    `UPDATE jobs SET images_count = ?, finished_images_count = ?, accepted_images_count = ?, rejected_images_count = ?,
     progress_images_count = ?, updated_at = ? WHERE id = ?`,
  ).run(c.images_count, c.finished_images_count, c.accepted_images_count, c.rejected_images_count, c.progress_images_count, now, jobId);
}

/**
 * A job the caller may act on, with the caller's role in its team. Missing, invisible (annotators and
 * reviewers see only their jobs) and — unless `includeArchived` — archived jobs answer 404.
 */
export function requireJob(ctx: Ctx, id: number, includeArchived = false): { job: ServerJobRow; role: number } {
  const job = readJob(ctx.db, id);
  const missing = () => notFound(`Labeling job with id ${id} doesn't exist, was removed or archived, or you don't have access to it`);
  if (!job || (job.disabled && !includeArchived)) throw missing();
  const role = (() => {
    try {
      return requireTeamRole(ctx, job.team_id);
    } catch {
      throw missing();
    }
  })();
  if (!canSeeJob(ctx, role, job)) throw missing();
  return { job, role };
}

/**
 * Status rule: startedAt = first entry into in_progress; annotationFinishedAt = first entry into
 * on_review; finishedAt (and reviewFinishedAt) = each entry into completed, finishedAt cleared when the
 * job goes back to pending/in_progress/on_review/review_completed. Records job_status_changed.
 */
export function changeStatus(db: DB, job: ServerJobRow, status: JobStatus, byUserId: number, now: string): boolean {
  if (job.status === status) return false;
  let started = job.started_at,
    annotated = job.annotation_finished_at,
    finished = job.finished_at,
    reviewed = job.review_finished_at;
  if (status === 'in_progress' && !started) started = now;
  if (status === 'on_review' && !annotated) annotated = now;
  if (status === 'completed') {
    finished = now;
    reviewed = now;
  } else if (status !== 'stopped') finished = null;
  db.prepare(
    `UPDATE jobs SET status = ?, started_at = ?, annotation_finished_at = ?, finished_at = ?, review_finished_at = ?,
     updated_at = ? WHERE id = ?`,
  ).run(status, started, annotated, finished, reviewed, now, job.id);
  recordJobEvent(db, job, byUserId, 'job_status_changed', now, { meta: { status, previousStatus: job.status } });
  job.status = status;
  job.started_at = started;
  job.annotation_finished_at = annotated;
  job.finished_at = finished;
  job.review_finished_at = reviewed;
  job.updated_at = now;
  return true;
}
