// "Retry": refused changes (failed, conflict) go back to pending, to be sent at once. Thousands (a bulk run's
// "Retry failed") go back in short transactions; one cut short leaves the rest refused, to be retried again.
import type { Cache } from '../cache';
import { inBulkTurn, inTimedSlices } from './bulkWrites';

/** The refused ones of `ids` back to pending; returns them and the jobs they touch. */
export function retryMutations(cache: Cache, ids: readonly number[], now: Date): Promise<{ retried: number[]; jobIds: number[] }> {
  const at = now.toISOString();
  return inBulkTurn(cache, async () => {
    const retried: number[] = [];
    const jobIds: number[] = [];
    await inTimedSlices(cache, 0, ids.length, (start, end) =>
      cache.transaction(() => {
        for (const id of cache.outbox.retry(ids.slice(start, end), at)) {
          retried.push(id);
          jobIds.push(...cache.outbox.jobIds(id));
        }
      }),
    );
    return { retried, jobIds };
  });
}
