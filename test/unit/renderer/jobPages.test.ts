// The grid's page cache: one request at a time for where the grid is now (a jump sends one request,
// pages scrolled past are never asked for), a page of look-ahead each side, stale answers dropped,
// old pages evicted, and a refresh that re-reads what is on screen.
import { describe, expect, it } from 'vitest';
import { PagedRows } from '../../../renderer/src/lib/jobPages';

/** A source of rows 0..total-1 whose answers wait until released (or answer at once). */
function source(total: number, manual = false) {
  const calls: [number, number][] = [];
  const waiting: (() => void)[] = [];
  const fetch = (offset: number, limit: number) => {
    calls.push([offset, limit]);
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return new Promise<{ rows: number[]; total: number }>((resolve) => {
      const answer = () => resolve({ rows, total });
      if (manual) waiting.push(answer);
      else answer();
    });
  };
  const releaseAll = async () => {
    while (waiting.length) {
      waiting.shift()!();
      await settle();
    }
  };
  return { calls, fetch, releaseAll };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PagedRows', () => {
  it('loads the visible pages in one request, then a page of look-ahead each side', async () => {
    const { calls, fetch } = source(100_000);
    let changes = 0;
    const pages = new PagedRows<number>(fetch, () => changes++, 100, 10);
    pages.ensure(150, 260);
    pages.ensure(150, 260);
    await settle();
    expect(calls).toEqual([
      [100, 200],
      [0, 100],
      [300, 100],
    ]);
    expect(pages.total).toBe(100_000);
    expect(pages.rowAt(150)).toBe(150);
    expect(pages.rowAt(50)).toBe(50);
    expect(pages.rowAt(450)).toBeUndefined();
    // only the answer for what is on screen re-reads the rows; look-ahead arrivals do not
    expect(changes).toBe(1);
  });

  it('a jump across the list while a request is out sends one request, for where it stopped', async () => {
    const { calls, fetch, releaseAll } = source(100_000, true);
    const pages = new PagedRows<number>(fetch, () => {}, 100, 10);
    pages.ensure(0, 30);
    for (let row = 1000; row <= 90_000; row += 1000) pages.ensure(row, row + 30); // a scrollbar drag
    expect(calls).toEqual([[0, 100]]);
    await releaseAll();
    expect(calls[1]).toEqual([90_000, 100]);
    expect(calls).toHaveLength(4); // + the look-ahead around 90,000; nothing for the rows passed over
    expect(pages.rowAt(90_010)).toBe(90_010);
  });

  it('drops answers that arrive after a reset (an older filter)', async () => {
    let release: (() => void) | undefined;
    const slow = (offset: number) =>
      new Promise<{ rows: number[]; total: number }>((resolve) => {
        release = () => resolve({ rows: [offset + 1_000_000], total: 1 });
      });
    const pages = new PagedRows<number>(slow, () => {}, 100, 10);
    pages.ensure(0, 10);
    pages.reset(async () => ({ rows: [7], total: 1 }));
    release?.();
    pages.ensure(0, 10);
    await settle();
    expect(pages.rowAt(0)).toBe(7);
  });

  it('keeps at most maxPages pages, evicting the least recently used', async () => {
    const { fetch } = source(10_000);
    const pages = new PagedRows<number>(fetch, () => {}, 100, 3);
    for (const start of [0, 300, 600, 900]) {
      pages.ensure(start, start);
      await settle();
    }
    expect(pages.rowAt(0)).toBeUndefined();
    expect(pages.rowAt(900)).toBe(900);
  });

  it('after a failed request, the next scroll asks again', async () => {
    let fail = true;
    const pages = new PagedRows<number>(
      async (offset) => {
        if (fail) throw new Error('offline');
        return { rows: [offset], total: 1 };
      },
      () => {},
      100,
      10,
    );
    pages.ensure(0, 0);
    await settle();
    expect(pages.error).toBeInstanceOf(Error);
    fail = false;
    pages.ensure(0, 0);
    await settle();
    expect(pages.rowAt(0)).toBe(0);
    expect(pages.error).toBeNull();
  });
});

describe('PagedRows.refresh', () => {
  it('re-reads the pages around the visible rows, keeping their rows until then, and forgets far ones', async () => {
    const { calls, fetch } = source(10_000);
    const pages = new PagedRows<number>(fetch, () => {}, 100, 50);
    pages.ensure(0, 99);
    await settle();
    pages.ensure(5000, 5099);
    await settle();
    calls.length = 0;
    pages.refresh(5010, 5050);
    expect(pages.rowAt(5010)).toBe(5010); // still shown while it is re-read
    await settle();
    expect(calls).toEqual([
      [5000, 100],
      [4900, 100],
      [5100, 100],
    ]);
    expect(pages.rowAt(0)).toBeUndefined();
  });
});
