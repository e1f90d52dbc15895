// Events a burst of writes would raise once per row (a bulk run's answers), told at most so often instead.

/** `run()` at once, then at most once per `everyMs`: asks in between run it once when that time is up */
export function atMostEvery(everyMs: number, run: () => void): () => void {
  let lastRan = -Infinity;
  let queued = false;
  const go = () => {
    queued = false;
    lastRan = performance.now();
    run();
  };
  return () => {
    if (queued) return;
    const wait = lastRan + everyMs - performance.now();
    if (wait <= 0) return go();
    queued = true;
    setTimeout(go, wait);
  };
}
