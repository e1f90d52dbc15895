// Work that events ask for again and again (a bulk run changes a job per answer; a pull, a chunk at a time):
// the first ask runs at once, the asks that come while it runs or within `gapMs` after it make one more run,
// and two runs never overlap. A 5,771-job bulk stop asked the grid to refresh (and re-check the selection)
// 5,771 times, and the overview to recompute its charts (~1 s of the core each at 1M jobs) as often.

/** `work` wrapped so that asks coalesce (see above); `cancel` drops an ask still waiting. */
export function coalesced(work: () => Promise<void> | void, gapMs = 100): { ask: () => void; cancel: () => void } {
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastEnd = -Infinity;
  let cancelled = false;

  const run = async () => {
    timer = undefined;
    running = true;
    again = false;
    try {
      await work();
    } catch {
      // the work reports its own failures; the next ask runs it again
    } finally {
      running = false;
      lastEnd = performance.now();
      if (again && !cancelled) schedule();
    }
  };
  const schedule = () => {
    if (timer !== undefined) return;
    timer = setTimeout(run, Math.max(0, lastEnd + gapMs - performance.now()));
  };
  return {
    ask() {
      cancelled = false;
      if (running) again = true;
      else if (timer === undefined && performance.now() - lastEnd >= gapMs) void run();
      else schedule();
    },
    cancel() {
      cancelled = true;
      again = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
