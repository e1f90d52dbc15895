// What was fetched when, per list ("teams", "jobs:8", …), and the last error of each list.
import type { Db } from './db';

export interface ListSyncState {
  list: string;
  fetchedAt: string | null;
  cursor: string | null;
  lastError: string | null;
  errorAt: string | null;
  rows: number | null;
}

export function createSyncStateRepo(db: Db) {
  const get = db.prepare(
    'SELECT list, fetched_at AS fetchedAt, cursor, last_error AS lastError, error_at AS errorAt, rows FROM sync_state WHERE list = ?',
  );
  return {
    get(list: string): ListSyncState | null {
      return (get.get(list) as ListSyncState | undefined) ?? null;
    },
    all(): ListSyncState[] {
      return db.prepare(
        'SELECT list, fetched_at AS fetchedAt, cursor, last_error AS lastError, error_at AS errorAt, rows FROM sync_state ORDER BY list',
      ).all() as ListSyncState[];
    },
    markFetched(list: string, at: string, rows: number, cursor: string | null = null): void {
      db.prepare(`INSERT INTO sync_state (list, fetched_at, cursor, rows, last_error, error_at) VALUES (?, ?, ?, ?, NULL, NULL)
        ON CONFLICT(list) DO UPDATE SET fetched_at = excluded.fetched_at, cursor = excluded.cursor,
          rows = excluded.rows, last_error = NULL, error_at = NULL`).run(list, at, cursor, rows);
    },
    markFailed(list: string, at: string, error: string): void {
      db.prepare(`INSERT INTO sync_state (list, last_error, error_at) VALUES (?, ?, ?)
        ON CONFLICT(list) DO UPDATE SET last_error = excluded.last_error, error_at = excluded.error_at`).run(list, error, at);
    },
    clear(): void {
      db.prepare('DELETE FROM sync_state').run();
    },
  };
}

export type SyncStateRepo = ReturnType<typeof createSyncStateRepo>;
