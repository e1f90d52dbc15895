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
    throw badRequest(`${method}: cannot sort by ${JSON.stringify(sort)}. Sortable fields: ${Object.keys(sortable).join(', ')}`, 'Validation error');
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
   * A column unique in `from` (its table's id; joins only to-one). Given, the page is chosen by key first and only its rows
   * are rendered: otherwise SQLite renders (and sorts) every row that OFFSET skips, which made deep
   * jobs.list pages of a 100,000-job team take half a second each.
   */
  key?: string;
}

/** Runs the count and the page query; returns the total and this page's rows. */
export function queryPage<R>(db: DB, q: PageQuery, page: PageRequest): { total: number; rows: R[] } {
  const where = q.where.clauses.length ? `WHERE ${q.where.clauses.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM ${q.from} ${where}`).get(...q.where.params) as { n: number }).n;
  const offset = (page.page - 1) * page.perPage;
  if (offset >= total) return { total, rows: [] };
  const sql = q.key
    ? `SELECT ${q.select} FROM ${q.from} WHERE ${q.key} IN (SELECT ${q.key} FROM ${q.from} ${where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?) ORDER BY ${q.orderBy}`
    : `SELECT ${q.select} FROM ${q.from} ${where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).all(...q.where.params, page.perPage, offset) as R[];
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
