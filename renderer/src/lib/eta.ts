// How long a running batch still needs, from its pace so far. Pure.

/** Seconds left at the pace so far, or null until there is a pace to go by. */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0 || done >= total) return done >= total && total > 0 ? 0 : null;
  return Math.ceil(((total - done) * elapsedMs) / done / 1000);
}

/** "about 40 s left", "about 3 min left", or "" while unknown. */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 90) return `about ${Math.max(1, seconds)} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}
