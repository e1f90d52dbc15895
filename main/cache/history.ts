// The job status history: every status the app learns, with where it learned it from. Appends are
// idempotent (same job, status, instant and source count once), so re-pulling adds nothing.
import type { HistoryPoint } from '#shared/contract';
import type { Db } from './db';
import { nextTurn } from './turns';

export type HistorySource = HistoryPoint['source'];

export interface HistoryEntry {
  jobId: number;
  status: string;
  at: string;
  source: HistorySource;
  note?: string | null;
}

/** Entries per transaction of a chunked append: ~1,000 rows stay under ~10 ms on our machines. */
export const HISTORY_CHUNK = 1000;

export function createHistoryRepo(db: Db) {
  const insert = db.prepare('INSERT OR IGNORE INTO job_status_history (job_id, status, at, source, note) VALUES (?, ?, ?, ?, ?)');
  const forJob = db.prepare('SELECT status, at, source, note FROM job_status_history WHERE job_id = ? ORDER BY at, status, source');
  return {
    append(entries: readonly HistoryEntry[]): void {
      for (const e of entries) insert.run(e.jobId, e.status, e.at, e.source, e.note ?? null);
    },
    /**
     * Appends a long list (a team's activity feed) in transactions of `chunkSize` entries, letting the
     * event loop run between them; resolves with each transaction's duration in ms. Entries written
     * before an abort stay (appends are idempotent, so the next pull adds only the rest).
     */
    async appendInChunks(entries: readonly HistoryEntry[], chunkSize = HISTORY_CHUNK, signal?: AbortSignal): Promise<number[]> {
      const times: number[] = [];
      const appendChunk = db.transaction((chunk: readonly HistoryEntry[]) => this.append(chunk));
      for (let start = 0; start < entries.length; start += chunkSize) {
        if (start > 0) await nextTurn();
        signal?.throwIfAborted();
        const started = performance.now();
        appendChunk(entries.slice(start, start + chunkSize));
        times.push(performance.now() - started);
      }
      return times;
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
