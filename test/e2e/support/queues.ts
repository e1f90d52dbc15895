// The public API makes no labeling queues: a test writes one into the local server's file, with the jobs it handed out.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Harness } from './harness';

/** A queue of team 8's demo dataset holding these jobs; answers its id. */
export function addQueue(harness: Harness, name: string, jobIds: number[]): number {
  const db = new Database(join(harness.dir, 'server.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const now = new Date().toISOString();
    const id = Number(
      db
        .prepare(
          `INSERT INTO labeling_queues (team_id, project_id, dataset_id, name, created_by, created_at) VALUES (8, 5555, 10555, ?, 7, ?)`,
        )
        .run(name, now).lastInsertRowid,
    );
    for (const jobId of jobIds) db.prepare('UPDATE jobs SET labeling_queue_id = ?, updated_at = ? WHERE id = ?').run(id, now, jobId);
    return id;
  } finally {
    db.close();
  }
}
