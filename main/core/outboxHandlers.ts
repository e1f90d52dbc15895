// Handlers of outbox.*: the queue of offline changes as the UI sees it, with retry, discard and the user's answer
// for a change that needs checking.
import type { Handlers } from '#shared/contract';
import { discardMutations } from '../sync/discard';
import { batchProgress, stopJobAction } from '../sync/enqueue';
import { retryMutations } from '../sync/retry';
import type { CoreContext } from './context';

type OutboxHandlers = Pick<
  Handlers,
  | 'outbox.list'
  | 'outbox.batchProgress'
  | 'outbox.stopWriting'
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
    'outbox.stopWriting': async ({ batchId }) => {
      const s = ctx.session();
      const unwritten = stopJobAction(s.cache, batchId);
      if (unwritten) ctx.emit('batch.progress', { batchId, ...batchProgress(s.cache, batchId) });
      return { unwritten };
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
