// What the outbox's bulk writes share (a bulk action's items, a discard or retry of thousands): they run one after
// another, in slices short enough for the core to answer between them; those that must not be left half done keep
// what they do and how far they got in kv, in the same transactions as their work, so a restart can finish them.
// A discard (the lead's Cancel) does not wait for the end of the write under way (100,000 items take ~15 s): it runs
// between two of its slices, and the write goes on after it.
import { createChunkSizer, type Cache } from '../cache';

/** a cache's bulk writes: the chain of those in turn, and the discards waiting for the next slice's end */
interface Lane {
  tail: Promise<unknown>;
  /** a write in turn is running (a discard waits for its next pause) */
  busy: boolean;
  waiting: (() => Promise<unknown>)[];
  /** the waiting discards being run, one after another (every other bulk write waits meanwhile) */
  draining: Promise<void> | null;
}
const lanes = new WeakMap<Cache, Lane>();

function laneOf(cache: Cache): Lane {
  let lane = lanes.get(cache);
  if (!lane) lanes.set(cache, (lane = { tail: Promise.resolve(), busy: false, waiting: [], draining: null }));
  return lane;
}

/** runs the waiting discards, if any; resolves once none is left (at once while they run: a discard's own pause) */
function drain(lane: Lane): Promise<void> {
  if (lane.draining || lane.waiting.length === 0) return Promise.resolve();
  lane.draining = (async () => {
    try {
      while (lane.waiting.length > 0) await lane.waiting.shift()!();
    } finally {
      lane.draining = null;
    }
  })();
  return lane.draining;
}

/** runs `fn` once every bulk write asked for before it on this cache has ended */
export function inBulkTurn<T>(cache: Cache, fn: () => Promise<T>): Promise<T> {
  const lane = laneOf(cache);
  const run = lane.tail.then(async () => {
    lane.busy = true; // from here a discard waits for its next pause
    try {
      await lane.draining; // those started as the last one ended
      return await fn();
    } finally {
      lane.busy = false;
      void drain(lane); // those that came after its last pause
    }
  });
  lane.tail = run.catch(() => {});
  return run;
}

/**
 * runs `fn` (a discard) at the next pause of the bulk write under way, between two of its slices, or at once when
 * none runs; before any bulk write asked for later
 */
export function beforeNextSlice<T>(cache: Cache, fn: () => Promise<T>): Promise<T> {
  const lane = laneOf(cache);
  return new Promise<T>((resolve, reject) => {
    lane.waiting.push(() => fn().then(resolve, reject));
    if (!lane.busy) void drain(lane);
  });
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
      await drain(laneOf(cache)); // (within a discard's own slices there is nothing to wait for: it is the one running)
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
