// The job status history: every status the app learns, with where it learned it from. Appends are
// idempotent (same job, status, instant and source count once), so re-pulling adds nothing.
import type { HistoryPoint } from '#shared/contract';
import type { Db } from './db';

export type HistorySource = HistoryPoint['source'];

export interface HistoryEntry {
  jobId: number;
  status: string;
  at: string;
  source: HistorySource;
  note?: string | null;
}

export function createHistoryRepo(db: Db) {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO job_status_history (job_id, status, at, source, note) VALUES (?, ?, ?, ?, ?)',
  );
  const forJob = db.prepare(
    'SELECT status, at, source, note FROM job_status_history WHERE job_id = ? ORDER BY at, id',
  );
  return {
    append(entries: readonly HistoryEntry[]): void {
      for (const e of entries) insert.run(e.jobId, e.status, e.at, e.source, e.note ?? null);
    },
    forJob(jobId: number): HistoryPoint[] {
      return forJob.all(jobId) as HistoryPoint[];
    },
    changeJobId(localId: number, serverId: number): void {
      db.prepare('UPDATE OR IGNORE job_status_history SET job_id = ? WHERE job_id = ?').run(serverId, localId);
      db.prepare('DELETE FROM job_status_history WHERE job_id = ?').run(localId);
    },
  };
}

export type HistoryRepo = ReturnType<typeof createHistoryRepo>;
