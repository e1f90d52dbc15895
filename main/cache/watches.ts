// Watches: "notify me when job X reaches status Y", one per job; a pull that sees the status notifies once.
import type { JobStatus } from '#shared/contract';
import type { Db } from './db';

export function createWatchesRepo(db: Db) {
  return {
    list(): { jobId: number; status: JobStatus }[] {
      return db.prepare('SELECT job_id AS jobId, status FROM watches ORDER BY job_id').all() as { jobId: number; status: JobStatus }[];
    },
    set(jobId: number, status: JobStatus, at: string): void {
      db.prepare(
        `INSERT INTO watches (job_id, status, created_at) VALUES (?, ?, ?)
        ON CONFLICT(job_id) DO UPDATE SET status = excluded.status, notified_at = NULL`,
      ).run(jobId, status, at);
    },
    delete(jobId: number): void {
      db.prepare('DELETE FROM watches WHERE job_id = ?').run(jobId);
    },
    changeJobId(localId: number, serverId: number): void {
      db.prepare('UPDATE OR REPLACE watches SET job_id = ? WHERE job_id = ?').run(serverId, localId);
    },
  };
}
