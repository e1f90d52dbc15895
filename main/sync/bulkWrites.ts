// What the outbox's bulk writes share (a bulk action's items, a discard of thousands): they run one after another,
// each keeping its progress under kv keys of its own, in slices short enough for the core to answer between them.
import { createChunkSizer, type Cache } from '../cache';

const turns = new WeakMap<Cache, Promise<unknown>>();

/** runs `fn` once every bulk write asked for before it on this cache has ended */
export function inBulkTurn<T>(cache: Cache, fn: () => Promise<T>): Promise<T> {
  const run = (turns.get(cache) ?? Promise.resolve()).then(fn);
  turns.set(
    cache,
    run.catch(() => {}),
  );
  return run;
}

/**
 * Runs `slice(start, end)` over [from, total) in slices sized from the last ones to ~8 ms each (rows scattered over a
 * big cold file cost far more than neighbours), letting the loop run between them.
 */
export async function inTimedSlices(cache: Cache, from: number, total: number, slice: (start: number, end: number) => void): Promise<void> {
  const sizer = createChunkSizer({ initial: 16, min: 8 });
  for (let start = from; start < total;) {
    if (start > from) await cache.writePause();
    const end = Math.min(total, start + sizer.next());
    const began = performance.now();
    slice(start, end);
    sizer.record(end - start, performance.now() - began);
    start = end;
  }
}
