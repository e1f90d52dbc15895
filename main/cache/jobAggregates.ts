// The counts over every job that charts and the team view show (per status, per assignee, per day of
// creation): read a slice of ids at a time, letting the worker answer between slices. At a million jobs
// each is 0.2–1.3 s of SQLite, and in one statement the grid's windows waited behind it (the overview and
// the create form froze the jobs list). A slice's groups are added up here, in SQLite's own order of the
// keys (compareSqlValues). A text search reads slices of the ids it matches (textMatches.ts); "only pending" (the
// outbox's few jobs) is one statement.
import type { JobFilter, JobStatusOrUnknown } from '#shared/contract';
import type { Db } from './db';
import { whereForFilter } from './jobQuery';
import { compareSqlValues } from './orderBuild';
import { nextTurn } from './turns';

/** rows a slice reads (a few ms at most); the worker takes other calls between slices */
const SLICE_ROWS = 10_000;
/** ids of a search's matches a slice reads: each found by id, dearer than a row of a scan (10,000 held it 12-25 ms) */
const TEXT_SLICE_IDS = 2_500;

export interface AssigneeCounts {
  userId: number;
  login: string;
  jobs: number;
  images: number;
  finished: number;
  accepted: number;
  rejected: number;
}

interface SliceOrder {
  table: string;
  key: string[];
}
const BY_ID: SliceOrder = { table: 'jobs j NOT INDEXED', key: ['j.id'] };
/** along the covering index of the default sort: a count per day reads only that index (1 s by id at 1M, 0.25 s here) */
const BY_CREATED_AT: SliceOrder = { table: 'jobs j INDEXED BY jobs_sort_created_at', key: ['j.created_at', 'j.id'] };

/** SQL's max() of two texts (the schema has no NULL logins or counts) */
const max = (a: string, b: string) => (compareSqlValues(a, b)! >= 0 ? a : b);

export function createJobAggregates(
  db: Db,
  options: {
    sliceRows?: number;
    /** the ids a search text matches, ascending (the jobs repo's, found in slices); without it, one statement */
    matchingText?: (text: string) => Promise<Int32Array | number[]>;
  } = {},
) {
  const sliceRows = options.sliceRows ?? SLICE_ROWS;
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!;

  /**
   * `SELECT <select> FROM jobs j WHERE <filter> GROUP BY <groupBy>`, each slice's rows handed to `add`, yielding
   * between slices. Slices follow `along`: the table itself by id (NOT INDEXED: an index on a filtered column would
   * make every slice walk all of that column's matches), or an index whose first columns are the key.
   */
  async function grouped<R>(filter: JobFilter, along: SliceOrder, select: string, groupBy: string, add: (row: R) => void): Promise<void> {
    const text = filter.text?.trim();
    if (text && options.matchingText && !filter.onlyPending) {
      const ids = await options.matchingText(text);
      const rest = whereForFilter({ ...filter, text: undefined });
      const sql = `SELECT ${select} FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?)) AND ${rest.sql} GROUP BY ${groupBy}`;
      const size = Math.min(sliceRows, TEXT_SLICE_IDS);
      for (let at = 0; at < ids.length; at += size) {
        if (at > 0) await nextTurn();
        const slice = JSON.stringify(Array.from(ids.slice(at, at + size)));
        for (const row of prepared(sql).all(slice, ...rest.params) as R[]) add(row);
      }
      return;
    }
    const where = whereForFilter(filter);
    if (text || filter.onlyPending) {
      const rows = db.prepare(`SELECT ${select} FROM jobs j WHERE ${where.sql} GROUP BY ${groupBy}`).all(...where.params) as R[];
      for (const row of rows) add(row);
      return;
    }
    const key = along.key.join(', ');
    const marks = along.key.map(() => '?').join(', ');
    let after: unknown[] | null = null; // the key the previous slice ended at
    for (;;) {
      const from = after ? `WHERE (${key}) > (${marks})` : '';
      // the key of this slice's last row; none: the rest is one slice
      const end = prepared(`SELECT ${key} FROM ${along.table} ${from} ORDER BY ${key} LIMIT 1 OFFSET ${sliceRows - 1}`)
        .raw()
        .get(...(after ?? [])) as unknown[] | undefined;
      const range = [after ? `(${key}) > (${marks})` : '', end ? `(${key}) <= (${marks})` : ''].filter(Boolean);
      const sql = `SELECT ${select} FROM ${along.table} WHERE ${[where.sql, ...range].join(' AND ')} GROUP BY ${groupBy}`;
      for (const row of prepared(sql).all(...where.params, ...(after ?? []), ...(end ?? [])) as R[]) add(row);
      if (!end) return;
      after = end;
      await nextTurn();
    }
  }

  /** How many jobs match per value of `key` (an SQL expression), ordered by that value as SQLite orders it. */
  async function countsPer(filter: JobFilter, along: SliceOrder, key: string): Promise<[string, number][]> {
    const counts = new Map<string, number>();
    await grouped<{ key: string; count: number }>(filter, along, `${key} AS key, count(*) AS count`, 'key', (r) =>
      counts.set(r.key, (counts.get(r.key) ?? 0) + r.count),
    );
    return [...counts].sort((a, b) => compareSqlValues(a[0], b[0])!);
  }

  return {
    /** How many jobs match per status, ordered by status. */
    async countsByStatus(filter: JobFilter): Promise<{ status: JobStatusOrUnknown; count: number }[]> {
      return (await countsPer(filter, BY_ID, 'j.status')).map(([status, count]) => ({ status, count }));
    },
    /** Per assignee: jobs, and the sums of their images, finished, accepted and rejected; ordered by login, then id. */
    async countsByAssignee(filter: JobFilter): Promise<AssigneeCounts[]> {
      const byUser = new Map<number | null, AssigneeCounts>();
      await grouped<AssigneeCounts>(
        filter,
        BY_ID,
        `j.assigned_to_id AS userId, max(j.assigned_to_login) AS login, count(*) AS jobs, sum(j.images_count) AS images,
          sum(j.finished_images_count) AS finished, sum(j.accepted_images_count) AS accepted, sum(j.rejected_images_count) AS rejected`,
        'j.assigned_to_id',
        (r) => {
          const seen = byUser.get(r.userId);
          if (!seen) return void byUser.set(r.userId, { ...r });
          seen.login = max(seen.login, r.login);
          seen.jobs += r.jobs;
          seen.images += r.images;
          seen.finished += r.finished;
          seen.accepted += r.accepted;
          seen.rejected += r.rejected;
        },
      );
      return [...byUser.values()].sort((a, b) => compareSqlValues(a.login, b.login)! || compareSqlValues(a.userId, b.userId)!);
    },
    /** Jobs created per day (the first ten characters of created_at), ordered by day. */
    async createdPerDay(filter: JobFilter): Promise<{ day: string; count: number }[]> {
      return (await countsPer(filter, BY_CREATED_AT, 'substr(j.created_at, 1, 10)')).map(([day, count]) => ({ day, count }));
    },
  };
}

export type JobAggregates = ReturnType<typeof createJobAggregates>;
