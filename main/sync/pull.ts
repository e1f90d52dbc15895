// Pull: server → cache, in the order teams → workspaces → projects (+meta) → datasets → images →
// roles and members → jobs → activity. Every list is fetched and validated completely before any of
// it is written, so a malformed answer leaves the cache as it was. Big job lists are written in
// chunks (one transaction each, yielding between them) to keep the main thread free.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Cache, HistoryEntry } from '../cache';
import { recordFromServer } from '../cache';
import type { SuperviselyApi } from '../supervisely/api';
import { ApiError } from '../supervisely/errors';
import type { LabelingJobInfo } from '../supervisely/types';
import type { Listed } from '../supervisely/pagination';
import { describeError } from './errors';

export interface PullProgress { step: string; done: number; total: number }

export interface PullOptions {
  /** list every job (detects jobs removed on the server); default: incremental when possible */
  full?: boolean;
  /** rows per write transaction for job lists */
  chunkSize?: number;
  onProgress?: (p: PullProgress) => void;
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
  /** longest single write transaction, ms, and what it wrote */
  longestWriteMs: number;
  longestWrite: string;
  /** duration of every write transaction, ms (main-thread budget checks) */
  writeTimesMs: number[];
}

/** Slack for clock skew between this machine and the server when asking for "updated since". */
export const UPDATED_SINCE_SLACK_MS = 5 * 60_000;
/** An incremental pull cannot see removals; a full list is made at least this often. */
export const FULL_PULL_EVERY_MS = 30 * 60_000;
// ~100 µs per job row with its indexes, text index and history: 100 rows stay near one frame
const DEFAULT_CHUNK = 100;

export class PullError extends Error {
  override readonly name = 'PullError';
  constructor(readonly list: string, readonly reason: unknown) {
    super(`Sync of ${list} failed: ${describeError(reason)}`);
  }
}

export async function pullAll(cache: Cache, api: SuperviselyApi, options: PullOptions = {}): Promise<PullReport> {
  const now = options.now ?? (() => new Date());
  const progress = (step: string, done: number, total: number) => options.onProgress?.({ step, done, total });
  const report: PullReport = { changedJobIds: [], statusChanges: [], jobsWritten: 0, removedJobIds: [], full: false, longestWriteMs: 0, longestWrite: '', writeTimesMs: [] };
  const o = { signal: options.signal };

  /** fetch one list, then write it in one transaction; failures are recorded per list */
  const step = async <T>(list: string, fetch: () => Promise<T>, write: (value: T) => number): Promise<T> => {
    let value: T;
    try {
      value = await fetch();
    } catch (err) {
      cache.syncState.markFailed(list, now().toISOString(), describeError(err));
      throw new PullError(list, err);
    }
    const started = performance.now();
    const rows = cache.transaction(() => {
      const n = write(value);
      cache.syncState.markFetched(list, now().toISOString(), n);
      return n;
    });
    noteWrite(report, performance.now() - started, `${list} (${rows} rows)`);
    return value;
  };

  progress('teams', 0, 1);
  const teams = await step('teams', () => api.teams.list(o), (t) => { cache.catalog.replaceTeams(t); return t.length; });
  progress('teams', 1, 1);

  let done = 0;
  for (const team of teams) {
    const workspaces = await step(`workspaces:${team.id}`, () => api.workspaces.list(team.id, o),
      (w) => { cache.catalog.replaceWorkspaces(team.id, w); return w.length; });
    progress('workspaces', ++done, teams.length);
    for (const ws of workspaces) {
      const projects = await step(`projects:${ws.id}`, () => api.projects.list({ workspaceId: ws.id }, o),
        (p) => { cache.catalog.replaceProjects(ws.id, p); return p.length; });
      for (const [i, project] of projects.entries()) {
        progress('projects', i + 1, projects.length);
        await step(`meta:${project.id}`, () => api.projects.getMeta(project.id, o),
          (m) => { cache.catalog.setProjectMeta(project.id, m); return m.classes.length + m.tags.length; });
        const datasets = await step(`datasets:${project.id}`, () => api.datasets.list(project.id, o),
          (d) => { cache.catalog.replaceDatasets(project.id, d); return d.length; });
        for (const [j, ds] of datasets.entries()) {
          progress('images', j + 1, datasets.length);
          await step(`images:${ds.id}`, () => api.images.list(ds.id, o),
            (imgs) => { cache.catalog.replaceImages(ds.id, imgs); return imgs.length; });
        }
      }
    }
  }

  progress('users', 0, teams.length);
  await step('roles', () => api.roles.list(o), (r) => { cache.users.replaceRoles(r); return r.length; });
  for (const [i, team] of teams.entries()) {
    await step(`members:${team.id}`, () => api.users.getTeamMembers(team.id, o),
      (m) => { cache.users.replaceMembers(team.id, m); return m.length; });
    progress('users', i + 1, teams.length);
  }

  for (const [i, team] of teams.entries()) {
    progress('jobs', i, teams.length);
    await pullTeamJobs(cache, api, team.id, options, report);
    await pullActivity(cache, api, team.id, options, report).catch((err: unknown) =>
      options.log?.(`sync: activity of team ${team.id} skipped: ${describeError(err)}`));
  }
  await refreshStaleJobs(cache, api, options, report);
  progress('jobs', teams.length, teams.length);
  return report;
}

async function pullTeamJobs(cache: Cache, api: SuperviselyApi, teamId: number, options: PullOptions, report: PullReport): Promise<void> {
  const now = options.now ?? (() => new Date());
  const list = `jobs:${teamId}`;
  const fullList = `jobs-full:${teamId}`;
  const startedAt = now();
  const lastFull = cache.syncState.get(fullList)?.fetchedAt;
  const last = cache.syncState.get(list)?.fetchedAt;
  let full = options.full || !lastFull || !last || startedAt.getTime() - Date.parse(lastFull) > FULL_PULL_EVERY_MS;

  let jobs: Listed<LabelingJobInfo>;
  try {
    if (full) {
      jobs = await api.jobs.list({ teamId, showDisabled: true }, { signal: options.signal });
    } else {
      const since = new Date(Date.parse(last!) - UPDATED_SINCE_SLACK_MS).toISOString();
      try {
        jobs = await api.jobs.list({ teamId, showDisabled: true, updatedSince: since }, { signal: options.signal });
      } catch (err) {
        if (!(err instanceof ApiError && err.kind === 'validation')) throw err;
        options.log?.(`sync: the server refused "updated since" for team ${teamId}; listing all jobs`);
        full = true;
        jobs = await api.jobs.list({ teamId, showDisabled: true }, { signal: options.signal });
      }
    }
  } catch (err) {
    cache.syncState.markFailed(list, now().toISOString(), describeError(err));
    throw new PullError(list, err);
  }
  report.full ||= full;
  if (jobs.skipped.length) options.log?.(`sync: ${jobs.skipped.length} unreadable job rows of team ${teamId} skipped (kept as they were)`);
  await writeJobs(cache, jobs, options, report, startedAt.toISOString());

  const started = performance.now();
  cache.transaction(() => {
    if (full) {
      // A row skipped as unreadable is still on the server; without its id, no job may be taken as removed.
      const skippedIds = jobs.skipped.map((row) => Number(row.id));
      const onServer = new Set([...jobs.map((j) => j.id), ...skippedIds]);
      const gone = skippedIds.every(Number.isInteger) ? cache.jobs.serverIdsOfTeam(teamId).filter((id) => !onServer.has(id)) : [];
      markRemoved(cache, gone, now().toISOString(), report, startedAt.toISOString());
      cache.syncState.markFetched(fullList, startedAt.toISOString(), jobs.length);
    }
    cache.syncState.markFetched(list, startedAt.toISOString(), jobs.length);
  });
  noteWrite(report, performance.now() - started, `vanished jobs of team ${teamId}`);
}

function noteWrite(report: PullReport, ms: number, what: string): void {
  report.writeTimesMs.push(ms);
  if (ms <= report.longestWriteMs) return;
  report.longestWriteMs = ms;
  report.longestWrite = what;
}

/**
 * Jobs gone from the server are kept as "removed" (hidden from lists, still in history). Not those
 * with a queued change, nor those our own push created or changed while the list was fetched.
 */
function markRemoved(cache: Cache, ids: number[], at: string, report: PullReport, listedSince?: string): void {
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
export async function writeJobs(cache: Cache, jobs: readonly LabelingJobInfo[], options: PullOptions, report: PullReport, fetchedSince?: string): Promise<void> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const observedAt = (options.now ?? (() => new Date()))().toISOString();
  for (let start = 0; start < jobs.length; start += chunkSize) {
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
      cache.jobs.upsert(changed.map((c) => c.record), entities);
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
    noteWrite(report, performance.now() - started, `jobs ${start}-${start + chunk.length}`);
    if (start + chunkSize < jobs.length) await yieldToLoop();
  }
}

export function serverTimestamps(j: LabelingJobInfo): HistoryEntry[] {
  const out: HistoryEntry[] = [{ jobId: j.id, status: 'pending', at: j.createdAt, source: 'server_timestamp', note: 'created' }];
  if (j.startedAt) out.push({ jobId: j.id, status: 'in_progress', at: j.startedAt, source: 'server_timestamp', note: 'started' });
  if (j.finishedAt) {
    const status = j.status === 'completed' || j.status === 'review_completed' ? j.status : 'completed';
    out.push({ jobId: j.id, status, at: j.finishedAt, source: 'server_timestamp', note: 'finished' });
  }
  return out;
}

/** Job status changes from the team's activity feed (our local server reports job_status_changed). */
async function pullActivity(cache: Cache, api: SuperviselyApi, teamId: number, options: PullOptions, report: PullReport): Promise<void> {
  const list = `activity:${teamId}`;
  const startedAt = (options.now ?? (() => new Date()))();
  const last = cache.syncState.get(list)?.fetchedAt;
  const since = last ? new Date(Date.parse(last) - UPDATED_SINCE_SLACK_MS).toISOString() : undefined;
  const rows = await api.teams.getActivity(teamId, { ...(since ? { since } : {}), actions: ['job_status_changed'] }, { signal: options.signal });
  const entries: HistoryEntry[] = [];
  for (const r of rows) {
    const status = r.meta['status'];
    if (r.jobId !== null && typeof status === 'string') {
      entries.push({ jobId: r.jobId, status, at: r.date, source: 'activity', note: r.user ? `by ${r.user}` : null });
    }
  }
  // a feed of 100k jobs is ~170k entries: written in short transactions, marked fetched once all are in
  const times = await cache.history.appendInChunks(entries, undefined, options.signal);
  times.forEach((ms, i) => noteWrite(report, ms, `activity of team ${teamId}, chunk ${i + 1}`));
  cache.syncState.markFetched(list, startedAt.toISOString(), rows.length);
}

/** Jobs flagged stale (a discarded change, a finished push) are re-read by id. */
async function refreshStaleJobs(cache: Cache, api: SuperviselyApi, options: PullOptions, report: PullReport): Promise<void> {
  const ids = cache.jobs.staleIds();
  if (ids.length === 0) return;
  // jobs.list by id (not jobs.info): archived jobs answer 404 in jobs.info but are listed here
  const byTeam = new Map<number, number[]>();
  for (const id of ids) {
    const teamId = cache.jobs.get(id)?.team_id;
    if (teamId !== undefined) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), id]);
  }
  const found: LabelingJobInfo[] = [];
  const unreadable = new Set<unknown>(); // skipped rows are still on the server
  for (const [teamId, teamIds] of byTeam) {
    const listed = await api.jobs.list({ teamId, ids: teamIds, showDisabled: true }, { signal: options.signal });
    found.push(...listed);
    for (const row of listed.skipped) unreadable.add(Number(row.id));
  }
  await writeJobs(cache, found, options, report);
  const present = new Set(found.map((j) => j.id));
  const now = (options.now ?? (() => new Date()))().toISOString();
  cache.transaction(() => {
    markRemoved(cache, ids.filter((id) => !present.has(id) && !unreadable.has(id)), now, report);
    for (const id of ids) if (present.has(id)) cache.jobs.patch(id, { stale: 0 });
  });
}
