// Handlers of outbox.*: the queue of offline changes as the UI sees it, with retry, discard and the user's answer
// for a change that needs checking.
import type { Handlers } from '#shared/contract';
import { cancelBatch, discardMutations } from '../sync/discard';
import { batchProgress, stopJobAction } from '../sync/enqueue';
import { retryMutations } from '../sync/retry';
import { atMostEvery } from '../sync/throttle';
import type { CoreContext } from './context';

/** a Cancel of thousands tells the views what it discarded this often, not after every transaction */
const CANCEL_TOLD_EVERY_MS = 250;

type OutboxHandlers = Pick<
  Handlers,
  | 'outbox.list'
  | 'outbox.batchProgress'
  | 'outbox.cancelBatch'
  | 'outbox.retry'
  | 'outbox.retryRefused'
  | 'outbox.discard'
  | 'outbox.resolve'
>;

export function outboxHandlers(ctx: CoreContext): OutboxHandlers {
  /** the refused ones of `ids` back to pending, sent at once */
  const retry = async (ids: readonly number[], batchId: string | null) => {
    const { retried, jobIds } = await retryMutations(ctx.session().cache, ids, new Date());
    ctx.afterOutboxChange(retried, jobIds, batchId);
    return { changes: retried.length, jobs: jobIds.length };
  };
  return {
    'outbox.list': async ({ states, batchId, limit }) =>
      ctx.session().cache.outbox.list({ ...(states ? { states } : {}), ...(batchId ? { batchId } : {}), limit }),
    'outbox.batchProgress': async ({ batchId }) => batchProgress(ctx.session().cache, batchId),
    'outbox.cancelBatch': async ({ batchId }) => {
      const s = ctx.session();
      const unwritten = stopJobAction(s.cache, batchId);
      let untold: { mutationIds: number[]; jobIds: number[] } = { mutationIds: [], jobIds: [] };
      const tell = () => {
        const { mutationIds, jobIds } = untold;
        untold = { mutationIds: [], jobIds: [] };
        if (s.cache.db.open) ctx.afterOutboxChange(mutationIds, jobIds, batchId);
      };
      const tellSoon = atMostEvery(CANCEL_TOLD_EVERY_MS, tell);
      tellSoon(); // the stop, at once: the bar's total no longer counts the jobs left out
      const { discarded } = await cancelBatch(s.cache, batchId, (slice) => {
        untold.mutationIds.push(...slice.discarded);
        untold.jobIds.push(...slice.jobIds);
        tellSoon();
      });
      tell();
      return { unwritten, discarded: discarded.length };
    },
    'outbox.retry': async ({ ids }) => {
      await retry(ids, null);
      return { ok: true as const };
    },
    'outbox.retryRefused': async ({ batchId }) => retry(ctx.session().cache.outbox.refusedIds(batchId), batchId ?? null),
    'outbox.discard': async ({ ids }) => {
      const { discarded, jobIds } = await discardMutations(ctx.session().cache, ids);
      ctx.afterOutboxChange(discarded, jobIds, null);
      return { discarded: discarded.length };
    },
    'outbox.resolve': async ({ id, choice }) => {
      await ctx.session().engine.push.resolve(id, choice);
      return { ok: true as const };
    },
  };
}
