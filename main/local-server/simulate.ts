// Simulated annotators: every interval a few random jobs advance one step (pending → in_progress →
// on_review → completed) with their entities, counters, timestamps and activity events. Rows are only
// updated, never added or removed, so listings in flight keep their totals (filters on status aside).
import type { DB } from './store';
import { changeStatus, readEntities, writeEntities, type ServerJobRow, type JobStatus } from './jobs-model';
import { recordJobEvent } from './handlers/activity';

const NEXT: Partial<Record<JobStatus, JobStatus>> = { pending: 'in_progress', in_progress: 'on_review', on_review: 'completed' };
const MOVABLE = Object.keys(NEXT) as JobStatus[];

function pickJob(db: DB, status: JobStatus): ServerJobRow | undefined {
  const range = db.prepare('SELECT MIN(id) AS lo, MAX(id) AS hi FROM jobs').get() as { lo: number | null; hi: number | null };
  if (range.lo === null || range.hi === null) return undefined;
  const pivot = range.lo + Math.floor(Math.random() * (range.hi - range.lo + 1));
  return (db.prepare('SELECT * FROM jobs WHERE status = ? AND disabled = 0 AND id >= ? ORDER BY id LIMIT 1').get(status, pivot) ??
    db.prepare('SELECT * FROM jobs WHERE status = ? AND disabled = 0 AND id < ? ORDER BY id LIMIT 1').get(status, pivot)) as
    ServerJobRow | undefined;
}

/** Moves one job one step; returns its new status. */
export function advanceJob(db: DB, job: ServerJobRow, now: string): JobStatus | undefined {
  const next = NEXT[job.status];
  if (!next) return undefined;
  const actor = next === 'completed' ? (job.reviewer_id ?? job.created_by) : job.user_id;
  if (next !== 'in_progress') {
    const entities = readEntities(db, job.id);
    const changed = entities.filter((e) =>
      next === 'on_review' ? e.reviewStatus === 'none' : e.reviewStatus === 'done' || e.reviewStatus === 'none',
    );
    for (const e of changed) e.reviewStatus = next === 'on_review' ? 'done' : Math.random() < 0.85 ? 'accepted' : 'rejected';
    writeEntities(db, job.id, entities, now);
    for (const e of changed) {
      recordJobEvent(db, job, actor, 'image_review_status_updated', now, {
        imageId: e.id,
        reviewStatus: e.reviewStatus,
        meta: { reviewStatus: e.reviewStatus },
      });
    }
  }
  changeStatus(db, job, next, actor, now);
  return next;
}

/** Starts the simulation; returns a function that stops it. */
export function startSimulation(db: DB, intervalMs = 5000, jobsPerTick = 3, clock = () => new Date()): () => void {
  const tick = db.transaction(() => {
    const now = clock().toISOString();
    for (let i = 0; i < jobsPerTick; i++) {
      const job = pickJob(db, MOVABLE[Math.floor(Math.random() * MOVABLE.length)]!);
      if (job) advanceJob(db, job, now);
    }
  });
  const timer = setInterval(
    () => {
      try {
        if (db.open) tick();
      } catch {
        // A closed or busy database simply skips this tick.
      }
    },
    Math.max(5, intervalMs),
  );
  timer.unref();
  return () => clearInterval(timer);
}
