// Schema 8: each team's labeling queues as last listed (names for the grid's queue column and filter, and
// the job page). A new table only: jobs keep pointing at a queue through their labeling_queue_id.
import type Database from 'better-sqlite3';

export function migration008LabelingQueues(db: Database.Database): void {
  db.exec(`CREATE TABLE labeling_queues (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    project_id INTEGER,
    dataset_id INTEGER,
    status TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT,
    finished_at TEXT,
    info TEXT NOT NULL
  );
  CREATE INDEX labeling_queues_team ON labeling_queues(team_id);`);
}
