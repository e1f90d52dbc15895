// The header's sync state comes as answers and as events, whose order between them is not kept: the later read wins.
import { describe, expect, it } from 'vitest';
import { laterState } from '../../../renderer/src/lib/laterState';

describe('laterState', () => {
  type Read = { readAt: number; lastSyncAt: string | null };
  it('keeps the state the core read later, whichever arrives last', () => {
    const beforeTheSyncEnded: Read = { readAt: 1000.5, lastSyncAt: null };
    const itsEnd: Read = { readAt: 1200.25, lastSyncAt: '2026-12-04T18:00:00Z' };
    // the event telling the end came first; the answer read before it lands after: the header stays synced
    expect(laterState(laterState(null, itsEnd), beforeTheSyncEnded)).toBe(itsEnd);
    expect(laterState(laterState(null, beforeTheSyncEnded), itsEnd)).toBe(itsEnd);
    // read at the same moment: the one that came last
    const same: Read = { readAt: 1200.25, lastSyncAt: null };
    expect(laterState(itsEnd, same)).toBe(same);
  });
});
