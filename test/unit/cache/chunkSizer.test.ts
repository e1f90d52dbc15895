// The write chunk sizer: grows while transactions stay under the target, shrinks at once after a slow
// one, never beyond its bounds.
import { describe, expect, it } from 'vitest';
import { createChunkSizer } from '../../../main/cache/chunkSizer';

describe('chunk sizer', () => {
  it('grows at most twofold a step towards the rows that fit the target', () => {
    const sizer = createChunkSizer({ targetMs: 8, initial: 100 });
    sizer.record(100, 2); // 0.02 ms a row: 400 fit
    expect(sizer.next()).toBe(200);
    sizer.record(200, 4);
    expect(sizer.next()).toBe(400);
    sizer.record(400, 8);
    expect(sizer.next()).toBe(400);
  });

  it('shrinks at once after a slow transaction and stays within its bounds', () => {
    const sizer = createChunkSizer({ targetMs: 8, initial: 400, min: 20, max: 1000 });
    sizer.record(400, 40); // 0.1 ms a row: 80 fit
    expect(sizer.next()).toBe(80);
    sizer.record(80, 800); // 10 ms a row
    expect(sizer.next()).toBe(20);
    const fast = createChunkSizer({ targetMs: 8, initial: 900, max: 1000 });
    fast.record(900, 0.01);
    expect(fast.next()).toBe(1000);
  });
});
