// What every resource module shares: the transport, the paging settings, and the two call shapes
// (one parsed answer; 404 → null for getInfoById) so each module only builds bodies and picks schemas.
import type { z } from 'zod';
import { ApiError, isApiError } from './errors';
import { parseWire } from './schemas';
import { listAllPages, type Listed, type PageOptions } from './pagination';
import type { SkippedRow } from './schemas';
import type { CallOptions, Transport } from './transport';

export interface ResourceContext {
  transport: Transport;
  /** parallel pages after the first; default 4 */
  pageConcurrency: number;
  /** page size asked for from the first request on; undefined = the server's default, like the SDK */
  perPage: number | undefined;
  /** most pages and longest time one list read may take (defaults in ./pagination) */
  listPageLimit?: number | undefined;
  listTimeLimitMs?: number | undefined;
  /** where skipped rows are logged */
  log?: ((line: string) => void) | undefined;
}

/** The paging options every list read of this client uses. */
export function pageOptions(ctx: ResourceContext, o?: Opts): PageOptions {
  return {
    signal: o?.signal,
    concurrency: ctx.pageConcurrency,
    perPage: ctx.perPage,
    pageLimit: ctx.listPageLimit,
    timeLimitMs: ctx.listTimeLimitMs,
    onSkipped: logSkippedRow(ctx),
  };
}

/** The log line of a row skipped because it did not parse: which endpoint, which row, which field. */
export function logSkippedRow(ctx: ResourceContext): PageOptions['onSkipped'] {
  return (endpoint: string, row: SkippedRow) =>
    ctx.log?.(`${endpoint}: skipped the row with id ${JSON.stringify(row.id)} (${row.field}): ${row.message}`);
}

export type Opts = { signal?: AbortSignal | undefined } | undefined;

/** Calls `endpoint` and parses the answer with `schema`. */
export async function callParsed<S extends z.ZodType>(
  ctx: ResourceContext,
  endpoint: string,
  body: object,
  schema: S,
  o?: Opts,
): Promise<z.output<S>> {
  const json = await ctx.transport.call(endpoint, body, callOpts(o));
  return parseWire(schema, json, endpoint);
}

/** Calls an endpoint whose answer the SDK ignores. */
export async function callIgnoringAnswer(ctx: ResourceContext, endpoint: string, body: object, o?: Opts): Promise<void> {
  await ctx.transport.call(endpoint, body, callOpts(o));
}

/** `*.info` the SDK way: a 404 means "no such entity (or not visible)" → null. */
export async function infoOrNull<S extends z.ZodType>(
  ctx: ResourceContext,
  endpoint: string,
  body: object,
  schema: S,
  o?: Opts,
): Promise<z.output<S> | null> {
  try {
    return await callParsed(ctx, endpoint, body, schema, o);
  } catch (err) {
    if (isApiError(err, 'not_found')) return null;
    throw err;
  }
}

export function listAll<S extends z.ZodType>(
  ctx: ResourceContext,
  endpoint: string,
  body: Record<string, unknown>,
  schema: S,
  o?: Opts,
  extra: Omit<PageOptions, 'signal'> = {},
): Promise<Listed<z.output<S>>> {
  return listAllPages(ctx.transport, endpoint, body, schema, { ...pageOptions(ctx, o), ...extra });
}

export function callOpts(o?: Opts): CallOptions {
  return { signal: o?.signal };
}

export type FilterCondition = { field: string; operator: string; value: unknown };
export const eq = (field: string, value: unknown): FilterCondition => ({ field, operator: '=', value });

/**
 * After a non-idempotent call succeeded, reading the result back can still fail. That must not look
 * like "the create failed" (a caller would send it again): it becomes outcome_unknown, so the caller
 * reconciles by looking for what was created.
 */
export async function readBackCreated<T>(what: number | number[], read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const ids = Array.isArray(what) ? what.join(', ') : String(what);
    const reason = err instanceof Error ? err.message : String(err);
    const endpoint = err instanceof ApiError ? err.endpoint : 'read back';
    throw new ApiError('outcome_unknown', `Created (id ${ids}) but reading it back failed: ${reason}`, endpoint, { serverMessage: reason });
  }
}
