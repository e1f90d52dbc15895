// Opening the cache file: pragmas, the numbered migrations (tracked by `user_version`), and a
// timing wrapper that logs any statement slower than the budget (design.md: 40 ms).
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { WAL_SAFETY_LIMIT_PAGES } from './checkpoint';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const SLOW_QUERY_MS = 40;

export interface OpenOptions {
  log?: (line: string) => void;
  /** stop after this schema version (tests build old files with it) */
  targetVersion?: number;
}

/** The cache holds the team's data: the owner's alone, its WAL and SHM too (SQLite gives them the file's mode). */
function makePrivate(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  makePrivate(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 100k jobs with a dozen sort indexes need more than the default 2 MB page cache
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma(`wal_autocheckpoint = ${WAL_SAFETY_LIMIT_PAGES}`);
  migrate(db, options);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs every migration above the file's version, each in its own transaction with its version bump. */
export function migrate(db: Db, options: OpenOptions = {}): void {
  const target = options.targetVersion ?? MIGRATIONS.length;
  if (schemaVersion(db) >= target) return;
  // A migration that rebuilds a table drops the old one: with foreign keys on, that would cascade into
  // the rows referencing it (SQLite's documented procedure; the pragma is a no-op inside a transaction).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = schemaVersion(db) + 1; version <= target; version++) {
      const step = MIGRATIONS[version - 1];
      if (!step) throw new Error(`No migration ${version}`);
      const started = performance.now();
      db.transaction(() => {
        step(db);
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length) {
          throw new Error(
            `Cache migration ${version} left ${broken.length} rows of ${broken[0]!.table} without their ${broken[0]!.parent}`,
          );
        }
        db.pragma(`user_version = ${version}`);
      })();
      options.log?.(`cache: migrated to schema ${version} in ${(performance.now() - started).toFixed(1)} ms`);
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

/** Runs `fn` and logs it when it takes longer than the slow-query budget. */
export function timed<T>(log: ((line: string) => void) | undefined, label: string, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    const ms = performance.now() - started;
    if (ms > SLOW_QUERY_MS) log?.(`cache: slow query ${label} took ${ms.toFixed(1)} ms`);
  }
}
