// What was fetched when, per list, and the last error of each list. List keys name their team:
// "teams", "roles", "<kind>:<teamId>" (jobs, members, workspaces, activity, queues) or "<kind>:<teamId>:<parentId>"
// (projects of a workspace, datasets and meta of a project); "images:<datasetId>" is fetched on demand.
import type { Db } from './db';

/** A list whose last fetch failed: the cache keeps what it had, with the server's reason. */
export interface StaleList {
  list: string;
  kind: string;
  teamId: number | null;
  reason: string;
  failedAt: string;
  /** when it was last fetched completely, if ever */
  fetchedAt: string | null;
}

const SYNC_KINDS = new Set(['teams', 'roles', 'jobs', 'members', 'workspaces', 'activity', 'projects', 'datasets', 'meta', 'queues']);

/** kind and team of a sync list key; null for keys that are not a sync list (on-demand images, older key forms) */
export function parseListKey(list: string): { kind: string; teamId: number | null } | null {
  const [kind = '', team, ...rest] = list.split(':');
  if (!SYNC_KINDS.has(kind)) return null;
  if (team === undefined) return kind === 'teams' || kind === 'roles' ? { kind, teamId: null } : null;
  const perParent = kind === 'projects' || kind === 'datasets' || kind === 'meta';
  if (rest.length !== (perParent ? 1 : 0) || !/^\d+$/.test(team)) return null;
  return { kind, teamId: Number(team) };
}

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
      return db
        .prepare(
          'SELECT list, fetched_at AS fetchedAt, cursor, last_error AS lastError, error_at AS errorAt, rows FROM sync_state ORDER BY list',
        )
        .all() as ListSyncState[];
    },
    markFetched(list: string, at: string, rows: number, cursor: string | null = null): void {
      db.prepare(
        `INSERT INTO sync_state (list, fetched_at, cursor, rows, last_error, error_at) VALUES (?, ?, ?, ?, NULL, NULL)
        ON CONFLICT(list) DO UPDATE SET fetched_at = excluded.fetched_at, cursor = excluded.cursor,
          rows = excluded.rows, last_error = NULL, error_at = NULL`,
      ).run(list, at, cursor, rows);
    },
    markFailed(list: string, at: string, error: string): void {
      db.prepare(
        `INSERT INTO sync_state (list, last_error, error_at) VALUES (?, ?, ?)
        ON CONFLICT(list) DO UPDATE SET last_error = excluded.last_error, error_at = excluded.error_at`,
      ).run(list, error, at);
    },
    /** sync lists whose latest fetch failed, by team then list */
    stale(): StaleList[] {
      type Row = { list: string; reason: string; failedAt: string; fetchedAt: string | null };
      const rows = db
        .prepare(
          `SELECT list, last_error AS reason, error_at AS failedAt, fetched_at AS fetchedAt FROM sync_state
        WHERE last_error IS NOT NULL ORDER BY list`,
        )
        .all() as Row[];
      return rows
        .flatMap((r) => {
          const key = parseListKey(r.list);
          return key ? [{ ...r, ...key }] : [];
        })
        .sort((a, b) => (a.teamId ?? 0) - (b.teamId ?? 0) || a.list.localeCompare(b.list));
    },
    clear(): void {
      db.prepare('DELETE FROM sync_state').run();
    },
  };
}

export type SyncStateRepo = ReturnType<typeof createSyncStateRepo>;
