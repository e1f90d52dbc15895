// What the outbox's bulk writes share (a bulk action's items, a discard or retry of thousands): they run one after
// another, in slices short enough for the core to answer between them; those that must not be left half done keep
// what they do and how far they got in kv, in the same transactions as their work, so a restart can finish them.
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

/** How a sliced write is told about: after each slice, and whether to stop before the next one. */
export interface SliceWatch {
  /** once slice [.., end) is done (committed, for inResumableSlices) */
  sliced?(end: number): void;
  /** asked before every slice but the first: true ends the write there */
  stopped?(): boolean;
}

/**
 * Runs `slice(start, end)` over [from, total) in slices sized from the last ones to ~8 ms each (rows scattered over a
 * big cold file cost far more than neighbours), letting the loop run between them.
 */
export async function inTimedSlices(
  cache: Cache,
  from: number,
  total: number,
  slice: (start: number, end: number) => void,
  watch: SliceWatch = {},
): Promise<void> {
  const sizer = createChunkSizer({ initial: 16, min: 8 });
  for (let start = from; start < total;) {
    if (start > from) {
      await cache.writePause();
      if (watch.stopped?.()) return;
    }
    const end = Math.min(total, start + sizer.next());
    const began = performance.now();
    slice(start, end);
    sizer.record(end - start, performance.now() - began);
    watch.sliced?.(end);
    start = end;
  }
}

/**
 * inTimedSlices, each slice in one transaction. With more than one slice, the first keeps `intent` under kv `key`
 * and every slice how far it got (`<key>.done`), in the same transaction as its work; the last one clears both.
 */
export async function inResumableSlices(
  cache: Cache,
  key: string,
  intent: unknown,
  from: number,
  total: number,
  slice: (start: number, end: number) => void,
  watch?: SliceWatch,
): Promise<void> {
  await inTimedSlices(
    cache,
    from,
    total,
    (start, end) =>
      cache.transaction(() => {
        if (start === 0 && end < total) cache.kv.set(key, intent);
        slice(start, end);
        if (end < total) cache.kv.set(`${key}.done`, end);
        else if (start > 0) forget(cache, key);
      }),
    watch,
  );
}

/** Drops the record of the resumable bulk write under `key`: a restart no longer finishes it. */
export function forget(cache: Cache, key: string): void {
  cache.transaction(() => {
    cache.kv.delete(key);
    cache.kv.delete(`${key}.done`);
  });
}

/** What a resumable bulk write under `key` was doing when the app's end cut it short, and how far it got; or null. */
export function interrupted<T>(cache: Cache, key: string): { intent: T; from: number } | null {
  const intent = cache.kv.get<T | null>(key, null);
  return intent === null ? null : { intent, from: cache.kv.get<number>(`${key}.done`, 0) };
}
