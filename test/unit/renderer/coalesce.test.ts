// Asks of coalesced work: the first runs at once, a burst makes one more run after it, runs never overlap.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesced } from '../../../renderer/src/lib/coalesce';

describe('coalesced', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first ask at once and a burst of asks as one more run, gapMs after the first', async () => {
    const runs: number[] = [];
    const work = coalesced(() => void runs.push(Date.now()), 100);
    const start = Date.now();
    work.ask();
    expect(runs).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      await vi.advanceTimersByTimeAsync(1);
      work.ask();
    }
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toHaveLength(2);
    expect(runs[1]! - start).toBeGreaterThanOrEqual(100);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(2); // nothing asked since
    work.ask(); // long after: at once again
    expect(runs).toHaveLength(3);
  });

  it('never runs twice at once: asks during a slow run make one run after it', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const work = coalesced(async () => {
      runs++;
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 500));
      active--;
    }, 50);
    work.ask();
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(20);
      work.ask();
    }
    await vi.advanceTimersByTimeAsync(2000);
    expect(most).toBe(1);
    expect(runs).toBe(2);
  });

  it('keeps going after a failed run, and cancel drops a waiting ask', async () => {
    let runs = 0;
    const work = coalesced(() => {
      runs++;
      throw new Error('the core is busy');
    }, 100);
    work.ask();
    work.ask();
    await vi.advanceTimersByTimeAsync(150);
    expect(runs).toBe(2);
    work.ask();
    work.cancel();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(2);
  });
});
