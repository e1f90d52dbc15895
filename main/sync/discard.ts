// Discarding queued changes the user gives up on. Choice (documented): the optimistic effect is
// undone from the item's saved before-image when no other open change touches the job, and the job
// is flagged stale so the next pull re-reads it from the server (the server copy is the truth).
// A discarded create removes its local row (its spec's `discard`); changes queued on it then fail as orphans.
import { AppError } from '#shared/contract';
import type { Cache, StoredJob } from '../cache';
import { parseMutation, specOf } from './mutations';

export function discardMutations(cache: Cache, ids: readonly number[]): { discarded: number[]; jobIds: number[] } {
  const discarded: number[] = [];
  const jobIds = new Set<number>();
  cache.transaction(() => {
    for (const id of ids) {
      const item = cache.outbox.get(id);
      if (!item || item.state === 'done') continue;
      if (item.state === 'sending')
        throw new AppError('conflict', `Change #${id} is being sent right now; wait for its answer, then discard it if it failed.`);
      const targets = cache.outbox.jobIds(id);
      const parsed = parseMutation(item.kind, item.payload);
      cache.outbox.delete(id);
      discarded.push(id);
      if (parsed.ok) specOf(parsed.mutation.kind).discard?.(cache, parsed.mutation.payload as never);
      for (const jobId of targets) {
        jobIds.add(jobId);
        if (jobId < 0) continue;
        const stillOpen = cache.outbox.openJobIds([jobId]).has(jobId);
        if (!stillOpen && item.before_image) cache.jobs.restore(JSON.parse(item.before_image) as StoredJob);
        cache.jobs.markStale([jobId]);
      }
    }
  });
  return { discarded, jobIds: [...jobIds] };
}
