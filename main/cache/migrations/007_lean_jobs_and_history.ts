// Schema 7: cheaper writes and a smaller file (issue 14), and jobs over several datasets (issue 9).
// - jobs.dataset_id becomes nullable: a multi-dataset job has none (schema 1 stored it as 0). SQLite
//   cannot drop a NOT NULL in place, so the table is rebuilt (migrate() turns foreign keys off around
//   it, or dropping the old table would cascade into job_entities); its indexes are made again.
// - The trigram text index keeps no positions (detail=none): measured at 20k jobs that halves its size
//   (~190 → ~90 bytes a job) and its write cost. Such an index cannot answer a phrase, so a search
//   asks it for rows holding the text's trigrams and checks the real substring on those (jobQuery.ts).
// - The status history is one b-tree keyed by what makes an entry unique (WITHOUT ROWID) instead of a
//   rowid table plus a UNIQUE index over the same columns (~130 bytes a job less).
import type Database from 'better-sqlite3';

/** Every stored column of schema 6 but the generated `progress`, in table order. */
const JOB_COLUMNS = `id, name, description, readme, team_id, workspace_id, workspace_name, project_id, project_name,
  dataset_id, dataset_name, created_by_id, created_by_login, assigned_to_id, assigned_to_login, reviewer_id,
  reviewer_login, created_at, started_at, finished_at, updated_at, status, disabled, labeling_queue_id,
  labeling_exam_id, images_count, finished_images_count, rejected_images_count, accepted_images_count,
  progress_images_count, classes_to_label, tags_to_label, range_start, range_end, objects_limit, tags_limit,
  filter_images_by_tags, priority, guide_id, custom_data, entities_fetched, local, removing, removed_at, stale,
  server_fingerprint`;

export function migration007LeanJobsAndHistory(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER IF EXISTS jobs_text_insert;
    DROP TRIGGER IF EXISTS jobs_text_delete;
    DROP TRIGGER IF EXISTS jobs_text_update;
    DROP TABLE IF EXISTS jobs_text;

    CREATE TABLE jobs_v7 (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', readme TEXT NOT NULL DEFAULT '',
      team_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL, workspace_name TEXT NOT NULL DEFAULT '',
      project_id INTEGER NOT NULL, project_name TEXT NOT NULL DEFAULT '',
      -- null: the job's images come from several datasets
      dataset_id INTEGER, dataset_name TEXT NOT NULL DEFAULT '',
      created_by_id INTEGER NOT NULL, created_by_login TEXT NOT NULL DEFAULT '',
      assigned_to_id INTEGER NOT NULL, assigned_to_login TEXT NOT NULL DEFAULT '',
      reviewer_id INTEGER, reviewer_login TEXT,
      created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, updated_at TEXT,
      status TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
      labeling_queue_id INTEGER, labeling_exam_id INTEGER,
      images_count INTEGER NOT NULL DEFAULT 0, finished_images_count INTEGER NOT NULL DEFAULT 0,
      rejected_images_count INTEGER NOT NULL DEFAULT 0, accepted_images_count INTEGER NOT NULL DEFAULT 0,
      progress_images_count INTEGER NOT NULL DEFAULT 0,
      classes_to_label TEXT NOT NULL DEFAULT '[]', tags_to_label TEXT NOT NULL DEFAULT '[]',
      range_start INTEGER, range_end INTEGER,
      objects_limit INTEGER, tags_limit INTEGER,
      filter_images_by_tags TEXT NOT NULL DEFAULT '[]',
      priority INTEGER, guide_id INTEGER, custom_data TEXT NOT NULL DEFAULT '{}',
      entities_fetched INTEGER NOT NULL DEFAULT 0,
      -- local state: created offline / removal queued / gone from the server / to re-read at next pull
      local INTEGER NOT NULL DEFAULT 0, removing INTEGER NOT NULL DEFAULT 0,
      removed_at TEXT, stale INTEGER NOT NULL DEFAULT 0,
      progress REAL GENERATED ALWAYS AS
        (CASE WHEN images_count > 0 THEN CAST(finished_images_count AS REAL) / images_count ELSE 0 END) VIRTUAL,
      -- hash of the server's copy; null for rows made here
      server_fingerprint TEXT
    );
    INSERT INTO jobs_v7 (${JOB_COLUMNS})
      SELECT ${JOB_COLUMNS.replace('dataset_id,', 'NULLIF(dataset_id, 0),')} FROM jobs ORDER BY id;
    DROP TABLE jobs;
    ALTER TABLE jobs_v7 RENAME TO jobs;

    CREATE INDEX jobs_created_by ON jobs(created_by_id);
    CREATE INDEX jobs_assigned_to ON jobs(assigned_to_id);
    CREATE INDEX jobs_reviewer ON jobs(reviewer_id);
    CREATE INDEX jobs_project ON jobs(project_id);
    CREATE INDEX jobs_dataset ON jobs(dataset_id);
    CREATE INDEX jobs_stale ON jobs(stale) WHERE stale = 1;
    CREATE INDEX jobs_sort_created_at ON jobs(created_at, id, removed_at, disabled, team_id, status);

    CREATE VIRTUAL TABLE jobs_text USING fts5(name, description, content='jobs', content_rowid='id',
      tokenize='trigram case_sensitive 0', detail=none);
    CREATE TRIGGER jobs_text_insert AFTER INSERT ON jobs BEGIN
      INSERT INTO jobs_text(rowid, name, description) VALUES (new.id, new.name, new.description);
    END;
    CREATE TRIGGER jobs_text_delete AFTER DELETE ON jobs BEGIN
      INSERT INTO jobs_text(jobs_text, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
    END;
    CREATE TRIGGER jobs_text_update AFTER UPDATE OF id, name, description ON jobs
      WHEN old.id != new.id OR old.name IS NOT new.name OR old.description IS NOT new.description BEGIN
      INSERT INTO jobs_text(jobs_text, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
      INSERT INTO jobs_text(rowid, name, description) VALUES (new.id, new.name, new.description);
    END;
    INSERT INTO jobs_text(jobs_text) VALUES ('rebuild');

    CREATE TABLE job_status_history_v7 (job_id INTEGER NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
      source TEXT NOT NULL, note TEXT, PRIMARY KEY (job_id, at, status, source)) WITHOUT ROWID;
    INSERT OR IGNORE INTO job_status_history_v7 (job_id, at, status, source, note)
      SELECT job_id, at, status, source, note FROM job_status_history ORDER BY job_id, at, status, source;
    DROP TABLE job_status_history;
    ALTER TABLE job_status_history_v7 RENAME TO job_status_history;
  `);
}
