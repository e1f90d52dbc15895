// How a non-idempotent kind that makes one job (create, restart) finds the job a lost send made: the
// jobs that look like it (same name, dataset, annotator, creator) and were not there before its first send.
import type { JobWire } from '../../supervisely/types';
import { NeedsChecking, type SendContext, type Subject } from './spec';

/** What identifies the job a send would make. */
export interface JobLookalike {
  teamId: number;
  datasetId: number;
  userId: number;
  name: string;
  /** the lookalikes that existed before the first send: never ours */
  existingJobIds?: number[] | undefined;
}

/** Sends that would make lookalike jobs never overlap: each one's "what existed before" then includes the other's job. */
export const sameJobSubject = (p: JobLookalike): Subject => `same:job.create:${p.teamId}:${p.datasetId}:${p.userId}:${p.name}`;

/** The kinds whose done items claim the server job they made (a job is never claimed twice). */
const JOB_MAKING_KINDS = ['job.create', 'job.restart'];

/** A job made by a send whose answer was lost has createdAt ≥ its first send minus this slack (clock skew). */
export const CLOCK_SKEW_SLACK_MS = 10 * 60_000;

/** The server jobs a lost send could have made: same name, dataset, annotator and creator (us). */
export async function lookalikes({ api, me }: SendContext, p: JobLookalike): Promise<JobWire[]> {
  const jobs = await api.jobs.list({
    teamId: p.teamId,
    datasetId: p.datasetId,
    assignedToId: p.userId,
    createdById: (await me()).id,
    showDisabled: true,
  });
  return jobs.filter((j) => j.name === p.name);
}

/**
 * A lost send made a job only if one provably came from it: a lookalike that did not exist before its
 * first send, made after that send, and not claimed by another item. Identical sends never overlap
 * (their `same:` subject) and one process owns the outbox (the data-folder lock), so exactly one such job
 * is ours; none means it never arrived; several (or no record of what existed) → the user checks.
 */
export async function findLostJob(
  ctx: SendContext,
  p: JobLookalike,
  sentAt: string,
  what: string,
): Promise<JobWire | NeedsChecking | undefined> {
  const since = Date.parse(sentAt) - CLOCK_SKEW_SLACK_MS;
  const kinds = JOB_MAKING_KINDS.map(() => '?').join(', ');
  const claimed = new Set(
    ctx.cache.db
      .prepare(
        `SELECT json_extract(result, '$.serverId') FROM outbox
    WHERE kind IN (${kinds}) AND state = 'done' AND result IS NOT NULL`,
      )
      .pluck()
      .all(...JOB_MAKING_KINDS) as number[],
  );
  const existing = new Set(p.existingJobIds ?? []);
  const fresh = (await lookalikes(ctx, p))
    .filter((j) => !existing.has(j.id) && !claimed.has(j.id) && Date.parse(j.createdAt) >= since)
    .sort((x, y) => x.id - y.id);
  if (fresh.length === 0) return undefined;
  if (fresh.length === 1 && p.existingJobIds) {
    ctx.log?.(`push: ${what} of "${p.name}" had reached the server (job ${fresh[0]!.id}); not sending it again`);
    return fresh[0];
  }
  const reason = p.existingJobIds
    ? `${fresh.length} jobs named "${p.name}" appeared on the server since this change was first sent, and its answer was lost.`
    : `The answer to this change was lost, and the server has a job named "${p.name}" that may or may not be from it.`;
  return new NeedsChecking(
    `${reason} Check them, then say whether it was created or should be sent again.`,
    fresh.map((j) => ({ id: j.id, name: j.name, createdAt: j.createdAt })),
  );
}
