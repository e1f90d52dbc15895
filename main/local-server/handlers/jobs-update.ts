// Changing labeling jobs: stop, archive, bulk remove, set-status, editInfo, reject and the per-image
// review status (supervisely-api.md §3.4.4–§3.4.12), each with its permission rule and activity event.
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { forbidden, badRequest, notFound } from '../errors';
import { MANAGE_JOBS, REMOVE_JOBS, ROLE, canSeeJob, requireRole, roleInTeam } from '../access';
import { idSchema, parseBody } from '../validate';
import {
  JOB_STATUSES,
  REVIEW_STATUSES,
  changeStatus,
  readEntities,
  readJob,
  requireJob,
  writeEntities,
  type Entity,
  type ServerJobRow,
} from '../jobs-model';
import { recordJobEvent } from './activity';

const OK = { success: true };
const idBody = z.object({ id: idSchema });

function stopJob(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(idBody, body, ctx.method);
  const { job, role } = requireJob(ctx, id);
  requireRole(role, MANAGE_JOBS, 'stop labeling jobs');
  changeStatus(ctx.db, job, 'stopped', ctx.caller.id, ctx.now);
  return OK;
}

function setStatus(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, status: z.enum(JOB_STATUSES) }), body, ctx.method);
  const { job, role } = requireJob(ctx, req.id);
  requireRole(role, MANAGE_JOBS, 'change the status of labeling jobs');
  changeStatus(ctx.db, job, req.status, ctx.caller.id, ctx.now);
  return OK;
}

/** Archiving is idempotent: an already archived job stays archived and the call succeeds. */
function archiveJob(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(idBody, body, ctx.method);
  const { job, role } = requireJob(ctx, id, true);
  requireRole(role, MANAGE_JOBS, 'archive labeling jobs');
  if (!job.disabled) {
    ctx.db.prepare('UPDATE jobs SET disabled = 1, updated_at = ? WHERE id = ?').run(ctx.now, id);
    recordJobEvent(ctx.db, job, ctx.caller.id, 'job_archived', ctx.now, { meta: { status: job.status } });
  }
  return OK;
}

/** Permanent removal, ≤ 50 ids. Unknown, already removed or invisible ids count as done (no-op). */
function removeJobs(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ ids: z.array(idSchema).min(1).max(50) }), body, ctx.method);
  const targets: ServerJobRow[] = [];
  for (const id of new Set(req.ids)) {
    const job = readJob(ctx.db, id);
    if (!job) continue;
    const role = roleInTeam(ctx, job.team_id);
    if (role === null || !canSeeJob(ctx, role, job)) continue;
    requireRole(role, REMOVE_JOBS, 'remove labeling jobs');
    if (role === ROLE.developer && job.created_by !== ctx.caller.id) {
      throw forbidden(`A developer can remove only the jobs they created; job ${id} was created by user ${job.created_by}`);
    }
    targets.push(job);
  }
  for (const job of targets) {
    ctx.db.prepare('DELETE FROM job_entities WHERE job_id = ?').run(job.id);
    ctx.db.prepare('DELETE FROM jobs WHERE id = ?').run(job.id);
    recordJobEvent(ctx.db, job, ctx.caller.id, 'job_removed', ctx.now, { meta: { status: job.status, disabled: job.disabled === 1 } });
  }
  return OK;
}

const editSchema = z.object({
  id: idSchema,
  userId: idSchema.optional(),
  reviewerId: idSchema.optional(),
  customData: z.record(z.string(), z.unknown()).optional(),
});

function memberLogin(ctx: Ctx, teamId: number, userId: number, what: string): string {
  const row = ctx.db
    .prepare('SELECT u.login FROM users u JOIN members m ON m.user_id = u.id AND m.team_id = ? WHERE u.id = ?')
    .get(teamId, userId) as { login: string } | undefined;
  if (!row) throw badRequest(`${what} ${userId} does not exist or is not a member of team ${teamId}`);
  return row.login;
}

/** customData is replaced as a whole (the SDK merges client-side and sends the full object). */
function editJob(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(editSchema, body, ctx.method);
  const { job, role } = requireJob(ctx, req.id);
  requireRole(role, MANAGE_JOBS, 'edit labeling jobs');
  const changed: Record<string, unknown> = {};
  if (req.userId !== undefined && req.userId !== job.user_id) {
    const login = memberLogin(ctx, job.team_id, req.userId, 'User');
    ctx.db.prepare('UPDATE jobs SET user_id = ?, labeler_login = ? WHERE id = ?').run(req.userId, login, job.id);
    changed.userId = req.userId;
  }
  if (req.reviewerId !== undefined && req.reviewerId !== job.reviewer_id) {
    const login = memberLogin(ctx, job.team_id, req.reviewerId, 'Reviewer');
    ctx.db.prepare('UPDATE jobs SET reviewer_id = ?, reviewer_login = ? WHERE id = ?').run(req.reviewerId, login, job.id);
    changed.reviewerId = req.reviewerId;
  }
  if (req.customData !== undefined) {
    ctx.db.prepare('UPDATE jobs SET custom_data = ? WHERE id = ?').run(JSON.stringify(req.customData), job.id);
    changed.customData = true;
  }
  if (Object.keys(changed).length) {
    ctx.db.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?').run(ctx.now, job.id);
    recordJobEvent(
      ctx.db,
      { ...job, user_id: (changed.userId as number | undefined) ?? job.user_id },
      ctx.caller.id,
      'job_updated',
      ctx.now,
      { meta: changed },
    );
  }
  return OK;
}

function isReviewerOrManager(ctx: Ctx, job: ServerJobRow, role: number): boolean {
  return job.reviewer_id === ctx.caller.id || (MANAGE_JOBS as number[]).includes(role);
}

function saveReviewChanges(ctx: Ctx, job: ServerJobRow, entities: Entity[], changed: Entity[]): void {
  writeEntities(ctx.db, job.id, entities, ctx.now);
  for (const e of changed) {
    recordJobEvent(ctx.db, job, ctx.caller.id, 'image_review_status_updated', ctx.now, {
      imageId: e.id,
      reviewStatus: e.reviewStatus,
      meta: { reviewStatus: e.reviewStatus },
    });
  }
}

function rejectJob(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, mode: z.enum(['all', 'unmarked']) }), body, ctx.method);
  const { job, role } = requireJob(ctx, req.id);
  if (!isReviewerOrManager(ctx, job, role)) throw forbidden(`Only the reviewer of job ${job.id} or a manager can reject its annotations`);
  const entities = readEntities(ctx.db, job.id);
  const changed = entities.filter((e) =>
    req.mode === 'all' ? e.reviewStatus !== 'rejected' : e.reviewStatus === 'none' || e.reviewStatus === 'done',
  );
  for (const e of changed) e.reviewStatus = 'rejected';
  saveReviewChanges(ctx, job, entities, changed);
  return OK;
}

/** The assignee may mark images none/done; the reviewer (or a manager) may set any review status. */
function updateReviewStatus(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ jobId: idSchema, entityId: idSchema, status: z.enum(REVIEW_STATUSES) }), body, ctx.method);
  const { job, role } = requireJob(ctx, req.jobId);
  const labelerMove = job.user_id === ctx.caller.id && (req.status === 'none' || req.status === 'done');
  if (!labelerMove && !isReviewerOrManager(ctx, job, role)) {
    throw forbidden(
      `You cannot set review status '${req.status}' in job ${job.id}: the assignee may set none/done, the reviewer or a manager any status`,
    );
  }
  const entities = readEntities(ctx.db, job.id);
  const entity = entities.find((e) => e.id === req.entityId);
  if (!entity) throw notFound(`Image ${req.entityId} is not part of labeling job ${job.id}`);
  if (entity.reviewStatus === req.status) return OK;
  entity.reviewStatus = req.status;
  saveReviewChanges(ctx, job, entities, [entity]);
  return OK;
}

export const jobUpdateHandlers: HandlerMap = {
  'jobs.stop': stopJob,
  'jobs.set-status': setStatus,
  'jobs.archive': archiveJob,
  'jobs.bulk.remove': removeJobs,
  'jobs.editInfo': editJob,
  'jobs.reject': rejectJob,
  'jobs.entities.update-review-status': updateReviewStatus,
};
