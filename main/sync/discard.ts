// Discarding queued changes the user gives up on. Choice (documented): the job is put back from the saved
// before-image of its first discarded change, the job's later open changes are applied to it again, and it is flagged
// stale so the next pull re-reads it from the server (the server copy is the truth).
// A discarded create removes its local row (its spec's `discard`); changes queued on it then fail as orphans.
// Thousands (a bulk run's Cancel) are discarded in short transactions; the push loop holds them back meanwhile, and
// a discard cut short by the app's end is finished when the push loop starts again, before it sends anything.
// A Cancel discards its batch's unsent changes here in the core, without a round trip per page of them.
import { AppError } from '#shared/contract';
import type { Cache, StoredJob } from '../cache';
import { beforeNextSlice, inResumableSlices, inTimedSlices, interrupted, type SliceWatch } from './bulkWrites';
import { parseMutation, reapplyOpen, specOf } from './mutations';

/** kv key of the ids of a discard under way (and `<key>.done`: how many of them are done) */
const INTENT_KEY = 'outbox.discarding';
/** items a discard under way will delete: the push loop does not send them */
const held = new WeakMap<Cache, Set<number>>();
/** items sent before whose check against the server is on the wire (they may have been made): none is discarded */
const checking = new WeakMap<Cache, Set<number>>();
/** the Cancel under way: its batch, and how many of its changes are left to discard */
const cancelling = new WeakMap<Cache, { batchId: string; left: number }>();

export interface Discarded {
  discarded: number[];
  jobIds: number[];
}

/** Whether a discard under way will delete item `id` (the push loop leaves it alone). */
export function heldForDiscard(cache: Cache, id: number): boolean {
  return held.get(cache)?.has(id) ?? false;
}

/**
 * Runs `check` (the push loop's look at the server for item `id`, sent before: its answer was lost) with the item kept
 * from any discard until it ends: discarded meanwhile, a create the check then found made was reported cancelled.
 */
export async function whileChecking<T>(cache: Cache, id: number, check: () => Promise<T>): Promise<T> {
  let ids = checking.get(cache);
  if (!ids) checking.set(cache, (ids = new Set()));
  ids.add(id);
  try {
    return await check();
  } finally {
    ids.delete(id);
  }
}

const isChecked = (cache: Cache, id: number) => checking.get(cache)?.has(id) ?? false;

/** Refuses the whole discard, before it deletes anything, when one of `ids` is being sent (or checked) right now. */
export async function discardMutations(cache: Cache, ids: readonly number[]): Promise<Discarded> {
  // held from the turn's start: from then on none of them starts sending, and the check below sees every one sending.
  // Not after the end of a bulk write under way (a Cancel waited for the whole of another action's writing)
  return beforeNextSlice(cache, () =>
    holding(cache, ids, async () => {
      await inTimedSlices(cache, 0, ids.length, (start, end) => {
        const sending = cache.outbox.firstSending(ids.slice(start, end));
        if (sending !== undefined)
          throw new AppError('conflict', `Change #${sending} is being sent right now; wait for its answer, then discard it if it failed.`);
        const checked = ids.slice(start, end).find((id) => isChecked(cache, id));
        if (checked !== undefined)
          throw new AppError(
            'conflict',
            `Change #${checked} was sent before and may have been made; it is being checked with the server right now. Wait for the answer.`,
          );
      });
      return discardFrom(cache, [...ids], 0);
    }),
  );
}

/**
 * A bulk action's Cancel: every change of batch `batchId` not sent yet is discarded. They are read and held back from
 * the push loop in one turn, so none starts sending after; those already on the wire (or being checked) are left to
 * their answer. `sliced` is told what each transaction discarded.
 */
export function cancelBatch(cache: Cache, batchId: string, sliced?: (slice: Discarded) => void): Promise<Discarded> {
  return beforeNextSlice(cache, () => {
    // one being checked with the server is left to its answer, like one on the wire
    const ids = cache.outbox.pendingIds(batchId).filter((id) => !isChecked(cache, id));
    const progress = { batchId, left: ids.length };
    cancelling.set(cache, progress);
    return holding(cache, ids, () =>
      discardFrom(cache, ids, 0, (slice, end) => {
        progress.left = ids.length - end;
        sliced?.(slice);
      }),
    ).finally(() => cancelling.delete(cache));
  });
}

/** How many changes of batch `batchId` its Cancel under way has still to discard (0 when none runs). */
export function cancellingOf(cache: Cache, batchId: string): number {
  const c = cancelling.get(cache);
  return c?.batchId === batchId ? c.left : 0;
}

/** At the push loop's start, before it sends: a discard the app's end cut short deletes the rest of its items. */
export function finishInterruptedDiscard(cache: Cache, log?: (line: string) => void): Promise<Discarded | null> {
  const cut = interrupted<number[]>(cache, INTENT_KEY);
  if (!cut) return Promise.resolve(null);
  const { intent: ids, from } = cut;
  log?.(`outbox: a discard of ${ids.length} changes was cut short after ${from}; discarding the rest`);
  // held at once: the loop's first look for items to send comes before the turn
  return holding(cache, ids.slice(from), () => beforeNextSlice(cache, () => discardFrom(cache, ids, from)));
}

/** runs `fn` with `ids` held back from the push loop, from now until it ends */
async function holding<T>(cache: Cache, ids: Iterable<number>, fn: () => Promise<T>): Promise<T> {
  const mine = new Set(ids);
  held.set(cache, mine);
  try {
    return await fn();
  } finally {
    if (held.get(cache) === mine) held.delete(cache);
  }
}

/** discards ids[from..], a transaction at a time; `sliced` is told what each one discarded, and how far it got */
async function discardFrom(
  cache: Cache,
  ids: number[],
  from: number,
  sliced?: (slice: Discarded, end: number) => void,
): Promise<Discarded> {
  const all: Discarded = { discarded: [], jobIds: [] };
  let slice: Discarded = { discarded: [], jobIds: [] };
  const watch: SliceWatch = {
    sliced: (end) => {
      all.discarded.push(...slice.discarded);
      all.jobIds.push(...slice.jobIds);
      sliced?.(slice, end);
    },
  };
  await inResumableSlices(
    cache,
    INTENT_KEY,
    ids,
    from,
    ids.length,
    (start, end) => {
      slice = discardSlice(cache, ids.slice(start, end));
    },
    watch,
  );
  return { discarded: all.discarded, jobIds: [...new Set(all.jobIds)] };
}

/**
 * Deletes items `ids` (one statement each for the slice: a statement per item was half a Cancel's cost) and undoes
 * their optimistic effects: each job is restored from the before-image of the first of its changes discarded here, and
 * its changes still open after that one are applied to it again (each one's before-image taken anew). Restoring the
 * last one's image kept the effect of those before it, discarded too; a job with a later change still open kept the
 * discarded one's effect (an archive cancelled under a queued stop still showed archived).
 */
function discardSlice(cache: Cache, ids: readonly number[]): Discarded {
  // never one that may be on the wire or is being checked (the checks and the hold before the first slice keep them out)
  const items = cache.outbox.some(ids).filter((item) => item.state !== 'done' && item.state !== 'sending' && !isChecked(cache, item.id));
  const discarded = items.map((item) => item.id);
  const targets = cache.outbox.jobIdsOfSome(discarded);
  cache.outbox.deleteSome(discarded);
  const jobIds = new Set<number>();
  const first = new Map<number, { id: number; image: string }>();
  for (const item of items) {
    const parsed = parseMutation(item.kind, item.payload);
    if (parsed.ok) specOf(parsed.mutation.kind).discard?.(cache, parsed.mutation.payload as never);
    for (const jobId of targets.get(item.id) ?? []) {
      jobIds.add(jobId);
      if (item.before_image && !first.has(jobId)) first.set(jobId, { id: item.id, image: item.before_image });
    }
  }
  const known = [...jobIds].filter((id) => id > 0);
  const stillOpen = cache.outbox.openJobIds(known);
  for (const jobId of known) {
    const was = first.get(jobId);
    if (!was) {
      cache.jobs.markStale([jobId]);
      continue;
    }
    cache.jobs.restore(JSON.parse(was.image) as StoredJob); // flagged stale: the next pull reads it again
    if (stillOpen.has(jobId)) reapplyOpen(cache, jobId, was.id);
  }
  return { discarded, jobIds: [...jobIds] };
}
