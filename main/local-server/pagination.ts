// Page mode of every list endpoint (supervisely-api.md §2.1): page/per_page/sort/sort_order parsing, the
// count + page query, and the {total, perPage, pagesCount, entities} envelope.
import { badRequest } from './errors';
import type { DB } from './store';
import type { SqlWhere } from './filters';

export const DEFAULT_PER_PAGE = 500;
/** The largest page / per_page accepted: SQLite's LIMIT and OFFSET are 64-bit, and page × per_page must stay exact. */
export const MAX_PAGE_NUMBER = 2_147_483_647;

export interface PageRequest {
  page: number;
  perPage: number;
}

export interface Envelope<T> {
  total: number;
  perPage: number;
  pagesCount: number;
  entities: T[];
}

function positiveInt(value: unknown, key: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_PAGE_NUMBER) return value;
  throw badRequest(`'${key}' must be an integer from 1 to ${MAX_PAGE_NUMBER}, got ${JSON.stringify(value)}`, 'Validation error');
}

export function parsePage(body: Record<string, unknown>): PageRequest {
  return { page: positiveInt(body.page, 'page', 1), perPage: positiveInt(body.per_page, 'per_page', DEFAULT_PER_PAGE) };
}

/** ORDER BY clause from `sort`/`sort_order`; `sortable` maps API names to columns. Ties break on id. */
export function parseSort(body: Record<string, unknown>, sortable: Record<string, string>, idColumn: string, method: string): string {
  const sort = body.sort ?? 'id';
  const order = body.sort_order ?? 'asc';
  if (typeof sort !== 'string' || !(sort in sortable)) {
    throw badRequest(
      `${method}: cannot sort by ${JSON.stringify(sort)}. Sortable fields: ${Object.keys(sortable).join(', ')}`,
      'Validation error',
    );
  }
  if (order !== 'asc' && order !== 'desc') {
    throw badRequest(`${method}: sort_order must be "asc" or "desc", got ${JSON.stringify(order)}`, 'Validation error');
  }
  const col = sortable[sort]!;
  const dir = order.toUpperCase();
  return col === idColumn ? `${col} ${dir}` : `${col} ${dir}, ${idColumn} ${dir}`;
}

export interface PageQuery {
  select: string; // columns
  from: string; // table(s)
  where: SqlWhere;
  orderBy: string;
  /**
   * A column unique in `from` (its table's id; joins only to-one). Given, the page's keys are chosen first and only its rows
   * are rendered: otherwise SQLite renders (and sorts) every row that OFFSET skips, which made deep
   * jobs.list pages of a 100,000-job team take half a second each.
   */
  key?: string;
  /**
   * The table of `key` alone (e.g. `activity a`), when `from` adds to-one LEFT JOINs for names only and `where` uses
   * none of them: the count and the choice of keys then run without the joins (a 6-way join per count cost
   * 128 ms a page of teams.activity at 100,000 jobs).
   */
  keyFrom?: string;
}

/** Per database: totals and the last key of recently served pages, valid while the database's change counter stands still. */
const listings = new WeakMap<DB, Map<string, unknown>>();
const MAX_REMEMBERED = 5000;

function remembered(db: DB): Map<string, unknown> {
  let memo = listings.get(db);
  if (!memo) listings.set(db, (memo = new Map()));
  if (memo.size > MAX_REMEMBERED) memo.clear();
  return memo;
}

/**
 * Runs the count and the page query; returns the total and this page's rows. A whole list read page after page
 * counts once, and sorted by `key` alone page N+1 starts after page N's last key (keyset) instead of skipping
 * OFFSET rows. Both answer exactly what a fresh count and OFFSET would: they are remembered under the
 * database's change counters (total_changes(), data_version), so any write in between falls back to counting and OFFSET.
 */
export function queryPage<R>(db: DB, q: PageQuery, page: PageRequest): { total: number; rows: R[] } {
  const where = q.where.clauses.length ? `WHERE ${q.where.clauses.join(' AND ')}` : '';
  const keyFrom = q.keyFrom ?? q.from;
  const memo = remembered(db);
  // this connection's writes, and data_version for commits of other connections to the same file
  const changes = `${db.prepare('SELECT total_changes()').pluck().get() as number}.${db.pragma('data_version', { simple: true }) as number}`;
  const listing = `${changes}\n${keyFrom}\n${where}\n${JSON.stringify(q.where.params)}`;
  let total = memo.get(listing) as number | undefined;
  if (total === undefined) {
    total = (db.prepare(`SELECT COUNT(*) AS n FROM ${keyFrom} ${where}`).get(...q.where.params) as { n: number }).n;
    memo.set(listing, total);
  }
  const offset = (page.page - 1) * page.perPage;
  if (offset >= total) return { total, rows: [] };
  if (!q.key) {
    const rows = db
      .prepare(`SELECT ${q.select} FROM ${q.from} ${where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
      .all(...q.where.params, page.perPage, offset) as R[];
    return { total, rows };
  }
  const byKey = q.orderBy === `${q.key} ASC` ? '>' : q.orderBy === `${q.key} DESC` ? '<' : null;
  const pageEnd = (n: number) => `${listing}\n${q.orderBy}\n${page.perPage}\n${n}`;
  const after = byKey ? memo.get(pageEnd(page.page - 1)) : undefined;
  const keys =
    after === undefined
      ? db
          .prepare(`SELECT ${q.key} FROM ${keyFrom} ${where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
          .pluck()
          .all(...q.where.params, page.perPage, offset)
      : db
          .prepare(`SELECT ${q.key} FROM ${keyFrom} ${where ? `${where} AND` : 'WHERE'} ${q.key} ${byKey} ? ORDER BY ${q.orderBy} LIMIT ?`)
          .pluck()
          .all(...q.where.params, after, page.perPage);
  if (byKey && keys.length) memo.set(pageEnd(page.page), keys[keys.length - 1]);
  const rows = db
    .prepare(`SELECT ${q.select} FROM ${q.from} WHERE ${q.key} IN (SELECT value FROM json_each(?)) ORDER BY ${q.orderBy}`)
    .all(JSON.stringify(keys)) as R[];
  return { total, rows };
}

export function envelope<T>(total: number, page: PageRequest, entities: T[]): Envelope<T> {
  return { total, perPage: page.perPage, pagesCount: Math.ceil(total / page.perPage), entities };
}

/** Pages an in-memory list (small fixed collections such as roles). */
export function pageOf<T>(all: T[], page: PageRequest): Envelope<T> {
  const start = (page.page - 1) * page.perPage;
  return envelope(all.length, page, all.slice(start, start + page.perPage));
}
