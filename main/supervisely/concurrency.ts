// Bounded-concurrency helpers shared by pagination, getInfoByIds and the bulk actions.

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order.
 * Rejects with the first error (after letting the calls already in flight settle).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        if (!failed) firstError = err;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw firstError;
  return results;
}

/**
 * A gate letting at most `max` calls of `run` be in flight at once; the others wait in FIFO order.
 * `max` may be a function, read at every start and finish, so a bound the user changes applies to what waits.
 */
export function createLimiter(max: number | (() => number)): <T>(fn: () => Promise<T>) => Promise<T> {
  const bound = typeof max === 'function' ? () => Math.max(1, max()) : () => Math.max(1, max);
  let running = 0;
  const waiting: (() => void)[] = [];
  // Slots go to waiters in order, so no newcomer slips past them; a raised bound starts several at once,
  // a lowered one starts none until enough calls have finished.
  const admit = () => {
    while (waiting.length > 0 && running < bound()) {
      running++;
      waiting.shift()!();
    }
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      admit();
    });
    try {
      return await fn();
    } finally {
      running--;
      admit();
    }
  };
}

/** Consecutive slices of at most `size` items, in order. */
export function slicesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
