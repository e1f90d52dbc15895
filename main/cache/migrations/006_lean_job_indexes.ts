// Schema 6: indexes that earn their keep. Every index is paid on every job written; measured at 100k
// jobs in 100-row chunks, the eleven six-column sort indexes of schema 3 cost ~9× the write rate and
// ~570 bytes a job, for sorts a lead picks by hand (a scan and sort of the matching rows instead, once
// per filter + sort: the id list is kept until the next write). The default sort (newest first) keeps
// its covering index, so the grid's first screen stays an index-only scan. The assignee index goes
// back to one column (its covering form only sped up the overview chart), and the history's
// (job, at) index is redundant with the UNIQUE (job, status, at, source) one a timeline already uses.
import type Database from 'better-sqlite3';

const DROPPED_SORT_INDEXES = [
  'jobs_sort_name',
  'jobs_sort_status',
  'jobs_sort_assigned',
  'jobs_sort_reviewer',
  'jobs_sort_creator',
  'jobs_sort_project',
  'jobs_sort_dataset',
  'jobs_sort_progress',
  'jobs_sort_started_at',
  'jobs_sort_finished_at',
  'jobs_sort_updated_at',
];

export function migration006LeanJobIndexes(db: Database.Database): void {
  for (const name of DROPPED_SORT_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
  db.exec('DROP INDEX IF EXISTS jobs_assigned_to');
  db.exec('CREATE INDEX jobs_assigned_to ON jobs(assigned_to_id)');
  db.exec('DROP INDEX IF EXISTS history_job');
}
