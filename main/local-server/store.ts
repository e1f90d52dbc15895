// The local server's own SQLite file: opening it (pragmas), the numbered schema migrations, and the
// small key/value table for instance settings (admin user, JWT secret, seed marker).
import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

export type DB = Database.Database;

const MIGRATIONS: string[] = [
  // 1: the whole first schema.
  `
  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name TEXT, email TEXT,
    is_restricted INTEGER NOT NULL DEFAULT 0,
    is_admin INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    token TEXT NOT NULL UNIQUE,
    logins INTEGER NOT NULL DEFAULT 0,
    last_login TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE members (
    team_id INTEGER NOT NULL REFERENCES teams(id), user_id INTEGER NOT NULL REFERENCES users(id),
    role_id INTEGER NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (team_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX members_user ON members(user_id);
  CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY AUTOINCREMENT, team_id INTEGER NOT NULL REFERENCES teams(id),
    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT, team_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', readme TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT 'images',
    created_by INTEGER NOT NULL, custom_data TEXT NOT NULL DEFAULT '{}', settings TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE project_classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL REFERENCES projects(id),
    title TEXT NOT NULL, shape TEXT NOT NULL, color TEXT NOT NULL, hotkey TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '', geometry_config TEXT NOT NULL DEFAULT '{}', UNIQUE (project_id, title)
  );
  CREATE TABLE project_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL, value_type TEXT NOT NULL, possible_values TEXT, color TEXT NOT NULL, hotkey TEXT NOT NULL DEFAULT '',
    applicable_type TEXT NOT NULL DEFAULT 'all', classes TEXT NOT NULL DEFAULT '[]', target_type TEXT NOT NULL DEFAULT 'all',
    UNIQUE (project_id, name)
  );
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL REFERENCES projects(id), parent_id INTEGER,
    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', created_by INTEGER NOT NULL,
    custom_data TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX datasets_project ON datasets(project_id);
  CREATE TABLE images (
    id INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    name TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
    hash TEXT NOT NULL, labels_count INTEGER NOT NULL DEFAULT 0, created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX images_dataset ON images(dataset_id);
  CREATE TABLE image_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT, image_id INTEGER NOT NULL REFERENCES images(id),
    tag_id INTEGER NOT NULL REFERENCES project_tags(id), value TEXT, labeler_login TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX image_tags_image ON image_tags(image_id);
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL, workspace_title TEXT NOT NULL,
    project_id INTEGER NOT NULL, project_title TEXT NOT NULL, project_type TEXT NOT NULL,
    dataset_id INTEGER NOT NULL, dataset_title TEXT NOT NULL,
    name TEXT NOT NULL, readme TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL, manager_login TEXT NOT NULL,
    user_id INTEGER NOT NULL, labeler_login TEXT NOT NULL,
    reviewer_id INTEGER, reviewer_login TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    annotation_finished_at TEXT, review_finished_at TEXT,
    status TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
    labeling_queue_id INTEGER, labeling_exam_id INTEGER,
    images_count INTEGER NOT NULL, finished_images_count INTEGER NOT NULL DEFAULT 0,
    rejected_images_count INTEGER NOT NULL DEFAULT 0, accepted_images_count INTEGER NOT NULL DEFAULT 0,
    progress_images_count INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 2, custom_data TEXT NOT NULL DEFAULT '{}', meta TEXT NOT NULL
  );
  CREATE INDEX jobs_team ON jobs(team_id, disabled);
  CREATE INDEX jobs_team_status ON jobs(team_id, status, disabled);
  CREATE INDEX jobs_team_creator ON jobs(team_id, created_by, disabled, status);
  CREATE INDEX jobs_team_user ON jobs(team_id, user_id, disabled, status);
  CREATE INDEX jobs_team_reviewer ON jobs(team_id, reviewer_id, disabled, status);
  CREATE INDEX jobs_team_project ON jobs(team_id, project_id, disabled, status);
  CREATE INDEX jobs_team_dataset ON jobs(team_id, dataset_id, disabled, status);
  CREATE INDEX jobs_team_queue ON jobs(team_id, labeling_queue_id, disabled, status);
  CREATE INDEX jobs_team_updated ON jobs(team_id, updated_at);
  CREATE INDEX jobs_status ON jobs(status);
  CREATE TABLE job_entities (job_id INTEGER PRIMARY KEY, entities TEXT NOT NULL);
  CREATE TABLE activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT, team_id INTEGER NOT NULL, date TEXT NOT NULL, user_id INTEGER NOT NULL,
    action TEXT NOT NULL, project_id INTEGER, dataset_id INTEGER, image_id INTEGER, job_id INTEGER, job_name TEXT,
    labeler_id INTEGER, review_status TEXT, class_id INTEGER, tag_id INTEGER, meta TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX activity_team ON activity(team_id);
  CREATE INDEX activity_job ON activity(job_id);
  `,
  // 2: deep pages of a whole team (showDisabled) walk the team's jobs in id order instead of sorting them all;
  // the activity feed filtered by action type is counted from an index.
  `
  CREATE INDEX jobs_team_id ON jobs(team_id);
  CREATE INDEX activity_team_action ON activity(team_id, action);
  `,
  // 3: the team world. Datasets whose images come from a formula (main/local-server/synthetic-images.ts), and a per-job
  // overlay of wire keys (string ids, other date forms, nulls) merged into the job's JSON as sent.
  `
  ALTER TABLE datasets ADD COLUMN synth_first_id INTEGER;
  ALTER TABLE datasets ADD COLUMN synth_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE datasets ADD COLUMN synth_size INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX datasets_synth ON datasets(synth_first_id) WHERE synth_count > 0;
  ALTER TABLE jobs ADD COLUMN wire_overlay TEXT;
  `,
  // 4: labeling queues (labeling-queues.list / .info); jobs.labeling_queue_id points here.
  `
  CREATE TABLE labeling_queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT, team_id INTEGER NOT NULL, project_id INTEGER NOT NULL, dataset_id INTEGER,
    name TEXT NOT NULL, created_by INTEGER NOT NULL, created_at TEXT NOT NULL, finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'in_progress', disabled INTEGER NOT NULL DEFAULT 0, meta TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX labeling_queues_team ON labeling_queues(team_id, disabled);
  `,
];

/** Opens (creating if needed) the local server database and brings its schema up to date. */
export function openDatabase(file: string): DB {
  // it holds the admin's token: the owner's alone (SQLite gives its WAL and SHM the same mode)
  if (file !== ':memory:') {
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -131072'); // 128 MiB page cache: 100k job rows stay in memory
  db.pragma('mmap_size = 268435456');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

export function getKv(db: DB, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setKv(db: DB, key: string, value: string): void {
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * Runs a bulk load with the secondary indexes of `tables` dropped, then rebuilds them from their own stored SQL (so
 * the migrations stay their one home): building an index once is several times cheaper than maintaining it per row.
 */
export function withoutIndexes(db: DB, tables: string[], load: () => void): void {
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(tables)) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  load();
  for (const index of indexes) db.exec(index.sql);
}

/** Makes the next AUTOINCREMENT id of `table` at least `nextId`. */
export function reserveIdsBelow(db: DB, table: string, nextId: number): void {
  const row = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
  if (!row) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, nextId - 1);
  else if (row.seq < nextId - 1) db.prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ?').run(nextId - 1, table);
}
