// One bulk action takes at most MAX_BULK_IDS jobs (the contract's bound on one call).
// Over it, the bar says so and how to get under it, instead of sending a call the core refuses.
import { MAX_BULK_IDS } from '#shared/contract';

/** Why a bulk action cannot take `count` jobs, or null when it can. */
export function bulkLimitNote(count: number): string | null {
  if (count <= MAX_BULK_IDS) return null;
  return (
    `A bulk action takes at most ${MAX_BULK_IDS.toLocaleString('en-US')} jobs at a time; ${count.toLocaleString('en-US')} are selected. ` +
    'Narrow the filter (a team, a status, an annotator) or select fewer.'
  );
}
