// Schema 10: how many done changes of each bulk action the outbox's log trim removed. The trim keeps the newest
// 5,000 done changes; a batch's progress counted its rows, so a run of 5,771 jobs read "5,000 succeeded, 3 failed"
// after the next sync's trim. Its progress now adds these back.
import type Database from 'better-sqlite3';

export function migration010TrimmedBatchCounts(db: Database.Database): void {
  db.exec(`CREATE TABLE outbox_trimmed (batch_id TEXT PRIMARY KEY, done INTEGER NOT NULL)`);
}
