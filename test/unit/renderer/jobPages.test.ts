// The grid's page cache: fetches only missing pages, drops stale answers, evicts old pages.
import { describe, expect, it } from 'vitest';
import { PagedRows } from '../../../renderer/src/lib/jobPages';

function source(total: number) {
  const calls: [number, number][] = [];
  const fetch = async (offset: number, limit: number) => {
    calls.push([offset, limit]);
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return { rows, total };
  };
  return { calls, fetch };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PagedRows', () => {
  it('loads the pages a visible range needs, once', async () => {
    const { calls, fetch } = source(100_000);
    let changes = 0;
    const pages = new PagedRows<number>(fetch, () => changes++, 100, 10);
    pages.ensure(150, 260);
    pages.ensure(150, 260);
    await settle();
    expect(calls).toEqual([[100, 100], [200, 100]]);
    expect(pages.total).toBe(100_000);
    expect(pages.rowAt(150)).toBe(150);
    expect(pages.rowAt(50)).toBeUndefined();
    expect(changes).toBe(2);
  });

  it('drops answers that arrive after a reset (an older filter)', async () => {
    let release: (() => void) | undefined;
    const slow = (offset: number) => new Promise<{ rows: number[]; total: number }>((resolve) => {
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
    for (const start of [0, 100, 200, 300]) {
      pages.ensure(start, start);
      await settle();
    }
    expect(pages.rowAt(0)).toBeUndefined();
    expect(pages.rowAt(300)).toBe(300);
  });
});

describe('PagedRows.refresh', () => {
  it('re-reads the pages around the visible rows and forgets far ones', async () => {
    const { calls, fetch } = source(10_000);
    const pages = new PagedRows<number>(fetch, () => {}, 100, 50);
    pages.ensure(0, 99);
    pages.ensure(5000, 5099);
    await settle();
    calls.length = 0;
    pages.refresh(5010, 5050);
    await settle();
    expect(calls).toEqual([[5000, 100]]);
    expect(pages.rowAt(5010)).toBe(5010);
    expect(pages.rowAt(0)).toBeUndefined();
  });
});
