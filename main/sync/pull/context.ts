// What every list of a pull shares: the options, the report it fills, and `runList`, the one place a
// list is fetched, written in one transaction, and — when it fails — marked stale alone, with the
// server's reason, while the rest of the pull goes on.
import type { Cache } from '../../cache';
import type { SuperviselyApi } from '../../supervisely/api';
import { describeError } from '../errors';
import { recordSkipped, skippedOf } from './skipped';

export interface PullProgress {
  step: string;
  done: number;
  total: number;
}

export interface PullOptions {
  /** list every job (detects jobs removed on the server); default: incremental when possible */
  full?: boolean;
  /** rows per write transaction for job lists */
  chunkSize?: number;
  onProgress?: (p: PullProgress) => void;
  /** after each page of jobs is written, with the jobs written so far (the grid can show them) */
  onJobsWritten?: (jobsWritten: number) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface PullReport {
  changedJobIds: number[];
  /** jobs whose status changed in this pull (for watches) */
  statusChanges: { jobId: number; from: string | null; to: string }[];
  jobsWritten: number;
  removedJobIds: number[];
  full: boolean;
  /** lists that failed in this pull (each kept as it was in the cache), with the server's reason */
  stale: { list: string; reason: string; error: unknown }[];
  /** lists fetched completely in this pull */
  fresh: string[];
  /** longest single write transaction, ms, and what it wrote */
  longestWriteMs: number;
  longestWrite: string;
  /** duration of every write transaction, ms (main-thread budget checks) */
  writeTimesMs: number[];
}

export interface PullContext {
  cache: Cache;
  api: SuperviselyApi;
  options: PullOptions;
  report: PullReport;
  now(): Date;
  call: { signal?: AbortSignal };
  /** each project's `updatedAt` from this pull's projects lists, with its team: whether its meta changed */
  projectVersions: Map<number, { teamId: number; updatedAt: string | null }>;
}

export function newReport(): PullReport {
  return {
    changedJobIds: [],
    statusChanges: [],
    jobsWritten: 0,
    removedJobIds: [],
    full: false,
    stale: [],
    fresh: [],
    longestWriteMs: 0,
    longestWrite: '',
    writeTimesMs: [],
  };
}

export function noteWrite(report: PullReport, ms: number, what: string): void {
  report.writeTimesMs.push(ms);
  if (ms <= report.longestWriteMs) return;
  report.longestWriteMs = ms;
  report.longestWrite = what;
}

/** Records a failed list: stale in sync_state and in the report; nothing of it was written. */
export function markStale(ctx: PullContext, list: string, err: unknown): void {
  const reason = describeError(err);
  ctx.cache.syncState.markFailed(list, ctx.now().toISOString(), reason);
  ctx.report.stale.push({ list, reason, error: err });
  ctx.options.log?.(`sync: ${list} is stale: ${reason}`);
}

/** Why a pull was aborted, as its signal's reason: the user's cancel, or the app (or its server profile) closing. */
export class PullStopped extends Error {
  constructor(readonly by: 'user' | 'closing') {
    super(by === 'closing' ? 'the app closed during the pull' : 'the pull was cancelled');
    this.name = 'AbortError';
  }
}

export const CANCELLED_WORDING = 'Sync was cancelled before this list was read to its end.';
export const CLOSED_WORDING =
  'The app was closed (or another server profile chosen) before this list was read to its end; the next sync reads it again.';

/** A list cancelled while it was read: what it wrote stays, but it is not fresh (the next pull reads it again). */
export function markCancelled(ctx: PullContext, list: string): void {
  const reason: unknown = ctx.options.signal?.reason;
  const closing = reason instanceof PullStopped && reason.by === 'closing';
  ctx.cache.syncState.markFailed(list, ctx.now().toISOString(), closing ? CLOSED_WORDING : CANCELLED_WORDING);
  ctx.options.log?.(`sync: ${list} ${closing ? 'interrupted by closing' : 'cancelled'}`);
}

/**
 * Fetches one list, then writes it in one transaction. A failure (or a cancel) marks only this list
 * stale and answers null; a list fetched completely replaces what the cache had.
 */
export async function runList<T>(ctx: PullContext, list: string, fetch: () => Promise<T>, write: (value: T) => number): Promise<T | null> {
  let value: T;
  try {
    value = await fetch();
  } catch (err) {
    if (ctx.options.signal?.aborted) {
      markCancelled(ctx, list);
      throw err;
    }
    markStale(ctx, list, err);
    return null;
  }
  const started = performance.now();
  const rows = ctx.cache.transaction(() => {
    const n = write(value);
    const at = ctx.now().toISOString();
    ctx.cache.syncState.markFetched(list, at, n);
    const skipped = skippedOf(value);
    if (skipped) recordSkipped(ctx.cache, list, skipped, at, true);
    return n;
  });
  ctx.report.fresh.push(list);
  noteWrite(ctx.report, performance.now() - started, `${list} (${rows} rows)`);
  return value;
}
