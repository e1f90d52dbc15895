// Moving an offline-created job or user to the id the server gave it: the row, its history,
// watches, the outbox links and every queued payload that refers to the local id, in one transaction.
// A user's local id is also replaced in the jobs assigned to it or reviewed by it.
import type { Cache } from '../cache';
import { parseMutation, remapPayload } from './mutations';

export function remapId(cache: Cache, kind: 'job' | 'user', localId: number, serverId: number): void {
  cache.transaction(() => {
    cache.remaps.record(kind, localId, serverId);
    if (kind === 'job') {
      cache.jobs.changeId(localId, serverId);
      cache.history.changeJobId(localId, serverId);
      cache.watches.changeJobId(localId, serverId);
      cache.outbox.changeJobId(localId, serverId);
    } else {
      cache.users.changeId(localId, serverId);
      cache.jobs.changeUserId(localId, serverId);
    }
    // only payloads that mention the local id can refer to it (each is parsed to be sure)
    for (const item of cache.outbox.unfinishedMentioning(JSON.stringify(localId))) {
      const parsed = parseMutation(item.kind, item.payload);
      if (!parsed.ok) continue;
      const next = remapPayload(parsed.mutation, kind, localId, serverId);
      if (next) cache.outbox.setPayload(item.id, next.payload);
    }
  });
}
