// The job timeline from what real servers send: teams.activity rows of the SDK's action types that
// carry a jobId (annotation and review of a job's images). Read per team bounded by the server-clock
// "since" during sync (never the whole feed: the first pull only sets the cursor), or per job when its
// timeline opens. Each job's rows become at most two points per phase: the first and the latest.
import type { Cache, HistoryEntry } from '../../cache';
import type { SuperviselyApi } from '../../supervisely/api';
import type { ActivityInfo } from '../../supervisely/types';
import { runList, type PullContext } from './context';
import { serverCursor, sinceFromCursor } from './incremental';

/** The SDK's ActivityAction names that real servers record while a job's images are labeled and reviewed. */
export const JOB_ACTIONS = [
  'create_figure',
  'update_figure',
  'disable_figure',
  'attach_tag',
  'update_tag_value',
  'detach_tag',
  'annotation_duration',
  'image_review_status_updated',
] as const;

/** What an activity row says of its job: annotating (in_progress) or reviewing (on_review); null for others. */
function phaseOf(row: ActivityInfo): { status: string; what: string } | null {
  if (!(JOB_ACTIONS as readonly string[]).includes(row.action)) return null;
  if (row.action !== 'image_review_status_updated') return { status: 'in_progress', what: row.action.replaceAll('_', ' ') };
  const review = row.meta['reviewStatus'];
  if (review === 'accepted' || review === 'rejected') return { status: 'on_review', what: `image ${review}` };
  return { status: 'in_progress', what: review === 'done' ? 'image marked done' : 'image review status changed' };
}

/** First and latest row per job and phase, as history points with who did it. */
export function historyFromActivity(rows: readonly ActivityInfo[]): HistoryEntry[] {
  const spans = new Map<string, { first: ActivityInfo; last: ActivityInfo; status: string; what: string[] }>();
  for (const row of rows) {
    const phase = row.jobId === null ? null : phaseOf(row);
    if (!phase || !Number.isFinite(Date.parse(row.date))) continue;
    const key = `${row.jobId}:${phase.status}`;
    const span = spans.get(key);
    if (!span) {
      spans.set(key, { first: row, last: row, status: phase.status, what: [phase.what, phase.what] });
      continue;
    }
    if (Date.parse(row.date) < Date.parse(span.first.date)) [span.first, span.what[0]] = [row, phase.what];
    if (Date.parse(row.date) > Date.parse(span.last.date)) [span.last, span.what[1]] = [row, phase.what];
  }
  const entries: HistoryEntry[] = [];
  for (const { first, last, status, what } of spans.values()) {
    const note = (r: ActivityInfo, w: string) => `${w}${r.user ? ` by ${r.user}` : ''}`;
    entries.push({ jobId: first.jobId!, status, at: new Date(first.date).toISOString(), source: 'activity', note: note(first, what[0]!) });
    if (last !== first) {
      entries.push({ jobId: last.jobId!, status, at: new Date(last.date).toISOString(), source: 'activity', note: note(last, what[1]!) });
    }
  }
  return entries;
}

/** A team's job activity since the last pull's server-clock cursor; the first pull only sets the cursor. */
export async function pullTeamActivity(ctx: PullContext, teamId: number): Promise<void> {
  const list = `activity:${teamId}`;
  const cursor = ctx.cache.syncState.get(list)?.cursor ?? null;
  const next = serverCursor(ctx.api);
  if (!next) return;
  const rows = await runList(
    ctx,
    list,
    () =>
      cursor
        ? ctx.api.teams.getActivity(teamId, { since: sinceFromCursor(cursor), actions: [...JOB_ACTIONS] }, ctx.call)
        : Promise.resolve([]),
    (r) => {
      ctx.cache.history.append(historyFromActivity(r));
      return r.length;
    },
  );
  if (rows) ctx.cache.syncState.markFetched(list, ctx.now().toISOString(), rows.length, next);
}

/** One job's whole activity (its timeline opened): a bounded read, filtered by jobId on the server. */
export async function pullJobActivity(cache: Cache, api: SuperviselyApi, teamId: number, jobId: number): Promise<number> {
  const rows = await api.teams.getActivity(teamId, { jobId, actions: [...JOB_ACTIONS] });
  const entries = historyFromActivity(rows.filter((r) => r.jobId === jobId));
  cache.transaction(() => cache.history.append(entries));
  return entries.length;
}
