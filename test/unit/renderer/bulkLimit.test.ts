// The bulk bar's limit: up to the contract's bound a bulk action runs; over it, one sentence says the
// bound, the count and how to get under it. The bound is the contract's own (a call over it is refused).
import { describe, expect, it } from 'vitest';
import { channels, MAX_BULK_IDS } from '#shared/contract';
import { bulkLimitNote } from '../../../renderer/src/views/jobs/bulkLimit';

describe('bulkLimitNote', () => {
  it('is null up to the bound and names the bound and the count above it', () => {
    expect(bulkLimitNote(1)).toBeNull();
    expect(bulkLimitNote(MAX_BULK_IDS)).toBeNull();
    expect(bulkLimitNote(MAX_BULK_IDS + 1)).toBe(
      'A bulk action takes at most 100,000 jobs at a time; 100,001 are selected. Narrow the filter (a team, a status, an annotator) or select fewer.',
    );
  });

  it('matches what the contract refuses', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(channels['jobs.archive'].request.safeParse({ ids: ids(MAX_BULK_IDS) }).success).toBe(true);
    expect(channels['jobs.archive'].request.safeParse({ ids: ids(MAX_BULK_IDS + 1) }).success).toBe(false);
  });
});
