// The job lists of a pull: each team's jobs (incremental where the server proves it honours
// `updatedAt`, else complete), written page by page as they arrive so the grid fills at once; removals
// only from a list read to its end; jobs flagged stale re-read by id.
import type { ChunkSizer, HistoryEntry } from '../../cache';
import { createChunkSizer, recordFromServer } from '../../cache';
import type { JobWire } from '../../supervisely/types';
import { markCancelled, markStale, noteWrite, type PullContext, type PullOptions, type PullReport } from './context';
import { ApiError } from '../../supervisely/errors';
import { describeError } from '../errors';
import { recordSkipped } from './skipped';
import type { SkippedRow } from '../../supervisely/schemas';
import { forgetUpdatedAtFilter, serverCursor, sinceFromCursor, type UpdatedAtFilter } from './incremental';

/** An incremental pull cannot see removals; a full list is made at least this often. */
export const FULL_PULL_EVERY_MS = 30 * 60_000;
/** Chunk sizes of a pull's job writes, learnt across its pages (unless the options fix one). */
const sizers = new WeakMap<PullContext, ChunkSizer>();

/** One team's jobs. The list's cursor is the server's clock when it started: the next "since". */
export async function pullTeamJobs(ctx: PullContext, teamId: number, filter: UpdatedAtFilter | null): Promise<void> {
  const { cache, options } = ctx;
  const lastFull = cache.syncState.get(`jobs-full:${teamId}`)?.fetchedAt;
  const cursor = cache.syncState.get(`jobs:${teamId}`)?.cursor ?? null;
  const full =
    options.full || filter !== 'honoured' || !lastFull || !cursor || ctx.now().getTime() - Date.parse(lastFull) > FULL_PULL_EVERY_MS;
  try {
    await listTeamJobs(ctx, teamId, full ? null : sinceFromCursor(cursor!));
  } catch (err) {
    if (options.signal?.aborted) {
      markCancelled(ctx, `jobs:${teamId}`);
      throw err;
    }
    if (full || !(err instanceof ApiError && err.kind === 'validation')) return markStale(ctx, `jobs:${teamId}`, err);
    options.log?.(`sync: the server now refuses "updated since" (team ${teamId}); listing all jobs`);
    forgetUpdatedAtFilter(cache, 'rejected');
    await listTeamJobs(ctx, teamId, null).catch((again: unknown) => {
      if (options.signal?.aborted) {
        markCancelled(ctx, `jobs:${teamId}`);
        throw again;
      }
      markStale(ctx, `jobs:${teamId}`, again);
    });
  }
}

/** Lists one team's jobs (since an instant, or all) page by page; throws when the list could not be read to its end. */
async function listTeamJobs(ctx: PullContext, teamId: number, since: string | null): Promise<void> {
  const { cache, api, options, report } = ctx;
  const list = `jobs:${teamId}`;
  const full = since === null;
  const startedAt = ctx.now();
  const nextCursor = serverCursor(api);

  const seen = new Set<number>();
  const skipped: SkippedRow[] = [];
  let unreadable = 0;
  let rows = 0;
  // pages are written as they come (the grid fills at once); a list that breaks off proves no removal
  const pages = api.jobs.listPages({ teamId, showDisabled: true, ...(full ? {} : { updatedSince: since }) }, ctx.call);
  for await (const page of pages) {
    for (const j of page) seen.add(j.id);
    // a row skipped as unreadable is still on the server: keep its id, or the whole list proves no removal
    for (const row of page.skipped) {
      skipped.push(row);
      const id = Number(row.id);
      if (Number.isInteger(id)) seen.add(id);
      else unreadable++;
    }
    rows += page.length;
    await writeJobs(ctx, page, startedAt.toISOString());
    options.onJobsWritten?.(report.jobsWritten);
  }
  report.full ||= full;
  if (unreadable) options.log?.(`sync: ${unreadable} unreadable job rows of team ${teamId} skipped (kept as they were)`);

  const started = performance.now();
  cache.transaction(() => {
    if (full && unreadable === 0) {
      const gone = cache.jobs.serverIdsOfTeam(teamId).filter((id) => !seen.has(id));
      markRemoved(ctx, gone, startedAt.toISOString());
    }
    if (full) cache.syncState.markFetched(`jobs-full:${teamId}`, startedAt.toISOString(), rows);
    cache.syncState.markFetched(list, startedAt.toISOString(), rows, nextCursor);
    recordSkipped(cache, list, skipped, startedAt.toISOString(), full);
  });
  report.fresh.push(list);
  noteWrite(report, performance.now() - started, `vanished jobs of team ${teamId}`);
}

/**
 * Jobs gone from the server are kept as "removed" (hidden from lists, still in history). Not those
 * with a queued change, nor those our own push created or changed while the list was fetched.
 */
function markRemoved(ctx: PullContext, ids: number[], listedSince?: string): void {
  const { cache, report } = ctx;
  const at = ctx.now().toISOString();
  const busy = cache.outbox.openJobIds(ids, listedSince);
  for (const id of ids) {
    if (busy.has(id)) continue;
    cache.jobs.patch(id, { removed_at: at, removing: 0 });
    cache.history.append([{ jobId: id, status: 'removed', at, source: 'sync_observed', note: 'no longer on the server' }]);
    report.removedJobIds.push(id);
    report.changedJobIds.push(id);
  }
}

/**
 * Writes server jobs in chunks. A job with a queued change (pending or sending) keeps its
 * optimistic row: the server copy is ignored until the outbox item resolves. So is a job whose
 * change resolved while this list was on its way (the copy may predate it; the next pull has it).
 */
export async function writeJobs(ctx: PullContext, jobs: readonly JobWire[], fetchedSince?: string): Promise<void> {
  const { cache, options, report } = ctx;
  let sizer = sizers.get(ctx);
  if (!sizer)
    sizers.set(
      ctx,
      (sizer = createChunkSizer(options.chunkSize ? { initial: options.chunkSize, min: options.chunkSize, max: options.chunkSize } : {})),
    );
  const observedAt = ctx.now().toISOString();
  for (let start = 0, chunkSize = sizer.next(); start < jobs.length; start += chunkSize, chunkSize = sizer.next()) {
    // each transaction in a turn of its own: not in the one that parsed the page, nor in the previous chunk's
    await cache.writePause();
    const chunk = jobs.slice(start, start + chunkSize);
    const started = performance.now();
    cache.transaction(() => {
      const ids = chunk.map((j) => j.id);
      const busy = cache.outbox.openJobIds(ids, fetchedSince);
      const before = cache.jobs.versionsOf(ids);
      // unchanged since the last pull (same fingerprint of the server's copy): nothing to write
      const candidates = chunk.filter((j) => !busy.has(j.id)).map((j) => ({ info: j, record: recordFromServer(j) }));
      const changed = candidates.filter(({ info, record }) => {
        const known = before.get(info.id);
        return !(known?.fresh && known.fingerprint === record.server_fingerprint && !info.entities);
      });
      const records = changed.map((c) => c.info);
      const entities = new Map(records.filter((j) => j.entities).map((j) => [j.id, j.entities!]));
      cache.jobs.upsert(
        changed.map((c) => c.record),
        entities,
      );
      const history: HistoryEntry[] = [];
      for (const j of records) {
        history.push(...serverTimestamps(j));
        const was = before.get(j.id)?.status ?? null;
        if (was !== j.status) {
          report.statusChanges.push({ jobId: j.id, from: was, to: j.status });
          if (was !== null) history.push({ jobId: j.id, status: j.status, at: observedAt, source: 'sync_observed', note: `was ${was}` });
        }
        report.changedJobIds.push(j.id);
      }
      cache.history.append(history);
      report.jobsWritten += records.length;
    });
    const ms = performance.now() - started;
    sizer.record(chunk.length, ms);
    noteWrite(report, ms, `jobs ${start}-${start + chunk.length}`);
  }
}

export function serverTimestamps(j: JobWire): HistoryEntry[] {
  const out: HistoryEntry[] = [{ jobId: j.id, status: 'pending', at: j.createdAt, source: 'server_timestamp', note: 'created' }];
  if (j.startedAt) out.push({ jobId: j.id, status: 'in_progress', at: j.startedAt, source: 'server_timestamp', note: 'started' });
  if (j.finishedAt) {
    const status = j.status === 'completed' || j.status === 'review_completed' ? j.status : 'completed';
    out.push({ jobId: j.id, status, at: j.finishedAt, source: 'server_timestamp', note: 'finished' });
  }
  return out;
}

/** The sync_state key of a team's re-read of its stale jobs (its failure is shown per team, as a stale list). */
export const staleJobsKey = (teamId: number): string => `stale-jobs:${teamId}`;

/** Jobs flagged stale (a discarded change, a finished push) are re-read by id. */
export async function refreshStaleJobs(ctx: PullContext): Promise<void> {
  const { cache, api } = ctx;
  const ids = cache.jobs.staleIds();
  // jobs.list by id (not jobs.info): archived jobs answer 404 in jobs.info but are listed here
  const byTeam = new Map<number, number[]>();
  for (const id of ids) {
    const teamId = cache.jobs.get(id)?.team_id;
    if (teamId !== undefined) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), id]);
  }
  // a team whose flagged jobs were re-read since (or overwritten by its list): its old failure is over
  for (const teamId of cache.catalog.teamIds()) {
    if (!byTeam.has(teamId) && cache.syncState.get(staleJobsKey(teamId))?.lastError) {
      cache.syncState.markFetched(staleJobsKey(teamId), ctx.now().toISOString(), 0);
    }
  }
  for (const [teamId, teamIds] of byTeam) {
    let listed: Awaited<ReturnType<typeof api.jobs.list>>;
    try {
      listed = await api.jobs.list({ teamId, ids: teamIds, showDisabled: true }, ctx.call);
    } catch (err) {
      if (ctx.options.signal?.aborted) throw err;
      // they stay flagged: the next pull tries again; meanwhile the Sync view says which and why
      const reason = `${teamIds.length} ${teamIds.length === 1 ? 'job' : 'jobs'} changed here could not be re-read: ${describeError(err)}`;
      cache.syncState.markFailed(staleJobsKey(teamId), ctx.now().toISOString(), reason);
      ctx.report.stale.push({ list: staleJobsKey(teamId), reason, error: err });
      ctx.options.log?.(`sync: ${staleJobsKey(teamId)} is stale: ${reason}`);
      continue;
    }
    await writeJobs(ctx, listed);
    const present = new Set(listed.map((j) => j.id));
    const unreadable = new Set<unknown>(listed.skipped.map((row) => Number(row.id))); // still on the server
    cache.transaction(() => {
      markRemoved(
        ctx,
        teamIds.filter((id) => !present.has(id) && !unreadable.has(id)),
      );
      for (const id of teamIds) if (present.has(id)) cache.jobs.patch(id, { stale: 0 });
      cache.syncState.markFetched(staleJobsKey(teamId), ctx.now().toISOString(), listed.length);
    });
  }
}

export type { PullOptions, PullReport };
