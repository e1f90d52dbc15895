// What the Sync view shows per team besides the engine's own state: the lists the last sync could not read
// (sync_state, with the server's reason), the failed re-read of a team's jobs flagged stale, and the rows
// each list skipped because they did not parse. Team names come from the cached teams.
import type { SkippedRows, StaleList } from '#shared/contract';
import type { Cache } from '../cache';
import { parseListKey } from '../cache/syncState';
import { staleJobsKey } from './pull/jobs';
import { skippedRows } from './pull/skipped';

export function listStatus(cache: Cache): { staleLists: StaleList[]; skippedRows: SkippedRows[] } {
  const teams = cache.catalog.teams();
  const teamName = (teamId: number | null) => (teamId === null ? null : (teams.find((t) => t.id === teamId)?.name ?? null));
  const staleLists: StaleList[] = cache.syncState.stale().map((l) => ({ ...l, teamName: teamName(l.teamId) }));
  // not a list of its own in the cache's vocabulary: one sync_state row per team, read here
  for (const { id } of teams) {
    const reread = cache.syncState.get(staleJobsKey(id));
    if (!reread?.lastError || !reread.errorAt) continue;
    const entry = { list: reread.list, kind: 'changed jobs', teamId: id, teamName: teamName(id), reason: reread.lastError };
    staleLists.push({ ...entry, failedAt: reread.errorAt, fetchedAt: reread.fetchedAt });
  }
  staleLists.sort((a, b) => (a.teamId ?? 0) - (b.teamId ?? 0) || a.list.localeCompare(b.list));
  const skipped = skippedRows(cache).map((r) => {
    const key = parseListKey(r.list);
    return { ...r, kind: key?.kind ?? r.list, teamId: key?.teamId ?? null, teamName: teamName(key?.teamId ?? null) };
  });
  return { staleLists, skippedRows: skipped };
}
