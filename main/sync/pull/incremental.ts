// Whether this server honours jobs.list's `updatedAt >=` filter (an extension the public API does not
// document), found out once per server and remembered, and the "since" of an incremental list, taken
// from the server's own clock (its Date header) so a local clock hours off loses nothing.
import type { Cache } from '../../cache';
import { ApiError } from '../../supervisely/errors';
import type { SuperviselyApi } from '../../supervisely/api';

export type UpdatedAtFilter = 'honoured' | 'ignored' | 'rejected';

const KV_KEY = 'updated_at_filter';
/** An instant no job was updated at: a server that honours the filter lists nothing after it. */
const FAR_FUTURE = '9999-01-01T00:00:00.000Z';
/** The Date header counts whole seconds, and rows committed while a list is read may carry an earlier updatedAt. */
export const SINCE_SLACK_MS = 60_000;

/** What the cache knows of this server's filter (the cache file is per server). */
export const knownUpdatedAtFilter = (cache: Cache): UpdatedAtFilter | null => cache.kv.get<UpdatedAtFilter | null>(KV_KEY, null);

/** The server refused the filter after all (it was upgraded, or replaced behind the same address). */
export const forgetUpdatedAtFilter = (cache: Cache, now: UpdatedAtFilter): void => cache.kv.set(KV_KEY, now);

/**
 * Asks once, on a team that has jobs, for jobs updated after the far future: no row proves the filter
 * works; rows mean it is ignored; a 400 that it is refused. Any other failure proves nothing (null: ask again later).
 */
export async function detectUpdatedAtFilter(
  cache: Cache,
  api: SuperviselyApi,
  teamId: number,
  signal?: AbortSignal,
): Promise<UpdatedAtFilter | null> {
  const known = knownUpdatedAtFilter(cache);
  if (known) return known;
  let verdict: UpdatedAtFilter;
  try {
    verdict = 'honoured';
    for await (const page of api.jobs.listPages({ teamId, showDisabled: true, updatedSince: FAR_FUTURE }, { signal, perPage: 1 })) {
      if (page.length + page.skipped.length > 0) verdict = 'ignored';
      break;
    }
  } catch (err) {
    if (!(err instanceof ApiError && err.kind === 'validation')) return null;
    verdict = 'rejected';
  }
  cache.kv.set(KV_KEY, verdict);
  return verdict;
}

/** The server's clock now, as the cursor of a list about to be read; null when it never sent a Date. */
export const serverCursor = (api: SuperviselyApi): string | null => api.serverNow()?.toISOString() ?? null;

/** "updated since" for the next incremental list, from the cursor the last list stored. */
export const sinceFromCursor = (cursor: string): string => new Date(Date.parse(cursor) - SINCE_SLACK_MS).toISOString();
