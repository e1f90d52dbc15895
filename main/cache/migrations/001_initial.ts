// Schema 1: the catalog (teams … images), users and roles, jobs with entities, status history,
// sync state, the outbox with the jobs it touches, settings, watches, presets, thumbnails.
import type Database from 'better-sqlite3';

export function migration001Initial(db: Database.Database): void {
  db.exec(`
    CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT, role TEXT,
      created_at TEXT, updated_at TEXT);
    CREATE TABLE workspaces (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, name TEXT NOT NULL,
      description TEXT, created_at TEXT, updated_at TEXT);
    CREATE INDEX workspaces_team ON workspaces(team_id);
    CREATE TABLE projects (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, team_id INTEGER,
      name TEXT NOT NULL, type TEXT NOT NULL, images_count INTEGER, meta TEXT, info TEXT NOT NULL);
    CREATE INDEX projects_workspace ON projects(workspace_id);
    CREATE TABLE datasets (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL,
      images_count INTEGER, info TEXT NOT NULL);
    CREATE INDEX datasets_project ON datasets(project_id);
    CREATE TABLE images (id INTEGER PRIMARY KEY, dataset_id INTEGER NOT NULL, name TEXT NOT NULL,
      width INTEGER, height INTEGER, tags TEXT NOT NULL, preview_url TEXT, info TEXT NOT NULL);
    CREATE INDEX images_dataset ON images(dataset_id, name);
    CREATE TABLE thumbnails (image_id INTEGER PRIMARY KEY, mime TEXT NOT NULL, data BLOB NOT NULL,
      fetched_at TEXT NOT NULL);

    CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT NOT NULL, name TEXT, email TEXT,
      disabled INTEGER NOT NULL DEFAULT 0, local INTEGER NOT NULL DEFAULT 0, info TEXT NOT NULL);
    CREATE INDEX users_login ON users(login);
    CREATE TABLE memberships (team_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role_id INTEGER,
      role TEXT, PRIMARY KEY (team_id, user_id)) WITHOUT ROWID;
    CREATE INDEX memberships_user ON memberships(user_id);
    CREATE TABLE roles (id INTEGER PRIMARY KEY, role TEXT NOT NULL);

    CREATE TABLE jobs (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', readme TEXT NOT NULL DEFAULT '',
      team_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL, workspace_name TEXT NOT NULL DEFAULT '',
      project_id INTEGER NOT NULL, project_name TEXT NOT NULL DEFAULT '',
      dataset_id INTEGER NOT NULL, dataset_name TEXT NOT NULL DEFAULT '',
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
        (CASE WHEN images_count > 0 THEN CAST(finished_images_count AS REAL) / images_count ELSE 0 END) VIRTUAL
    );
    CREATE INDEX jobs_created_by ON jobs(created_by_id);
    CREATE INDEX jobs_assigned_to ON jobs(assigned_to_id);
    CREATE INDEX jobs_reviewer ON jobs(reviewer_id);
    CREATE INDEX jobs_project ON jobs(project_id);
    CREATE INDEX jobs_dataset ON jobs(dataset_id);
    CREATE INDEX jobs_status ON jobs(status);
    CREATE INDEX jobs_stale ON jobs(stale) WHERE stale = 1;
    -- one index per sort column, tie-broken by id, so an ORDER BY … LIMIT walks the index
    CREATE INDEX jobs_sort_name ON jobs(name, id);
    CREATE INDEX jobs_sort_status ON jobs(status, id);
    CREATE INDEX jobs_sort_assigned ON jobs(assigned_to_login, id);
    CREATE INDEX jobs_sort_reviewer ON jobs(reviewer_login, id);
    CREATE INDEX jobs_sort_creator ON jobs(created_by_login, id);
    CREATE INDEX jobs_sort_project ON jobs(project_name, id);
    CREATE INDEX jobs_sort_dataset ON jobs(dataset_name, id);
    CREATE INDEX jobs_sort_progress ON jobs(progress, id);
    CREATE INDEX jobs_sort_created_at ON jobs(created_at, id);
    CREATE INDEX jobs_sort_started_at ON jobs(started_at, id);
    CREATE INDEX jobs_sort_finished_at ON jobs(finished_at, id);
    CREATE INDEX jobs_sort_updated_at ON jobs(updated_at, id);

    CREATE TABLE job_entities (job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE ON UPDATE CASCADE,
      image_id INTEGER NOT NULL, name TEXT NOT NULL, review_status TEXT NOT NULL,
      PRIMARY KEY (job_id, image_id)) WITHOUT ROWID;

    CREATE TABLE job_status_history (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL,
      status TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL, note TEXT,
      UNIQUE (job_id, status, at, source));
    CREATE INDEX history_job ON job_status_history(job_id, at);

    CREATE TABLE sync_state (list TEXT PRIMARY KEY, fetched_at TEXT, cursor TEXT, last_error TEXT,
      error_at TEXT, rows INTEGER);

    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL, payload TEXT NOT NULL, summary TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
      batch_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, sent_at TEXT, result TEXT, before_image TEXT
    );
    CREATE INDEX outbox_state ON outbox(state, id);
    CREATE INDEX outbox_batch ON outbox(batch_id);
    CREATE TABLE outbox_jobs (mutation_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
      job_id INTEGER NOT NULL, PRIMARY KEY (job_id, mutation_id)) WITHOUT ROWID;
    CREATE INDEX outbox_jobs_mutation ON outbox_jobs(mutation_id);

    CREATE TABLE watches (job_id INTEGER PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL,
      notified_at TEXT);
    CREATE TABLE presets (name TEXT PRIMARY KEY, filter TEXT NOT NULL, updated_at TEXT NOT NULL);
  `);
}
