// The status history on a real SQLite file: a long append is written in short transactions with the
// event loop free between them, idempotently, and what was written before an abort stays.
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../main/cache';
import { tempCache } from './helpers';

let cleanup = () => {};
afterEach(() => cleanup());

const feed = (count: number): HistoryEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    jobId: 1 + (i % 50),
    status: 'in_progress',
    at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    source: 'activity',
  }));
const stored = (ctx: ReturnType<typeof tempCache>) => ctx.cache.db.prepare('SELECT count(*) FROM job_status_history').pluck().get();

describe('history appendInChunks', () => {
  it('writes every entry in one transaction per chunk and lets other work run between chunks', async () => {
    const ctx = tempCache();
    cleanup = ctx.cleanup;
    const between: number[] = [];
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      between.push(stored(ctx) as number);
      setImmediate(tick);
    };
    setImmediate(tick);
    const times = await ctx.cache.history.appendInChunks(feed(2500), 1000);
    ticking = false;
    expect(times).toHaveLength(3);
    expect(stored(ctx)).toBe(2500);
    // the loop ran while the feed was half written, so no one transaction held it
    expect(between).toContain(1000);
    expect(between).toContain(2000);
  });

  it('is idempotent, and an abort keeps the chunks already written', async () => {
    const ctx = tempCache();
    cleanup = ctx.cleanup;
    const controller = new AbortController();
    setImmediate(() => controller.abort(new Error('stop')));
    await expect(ctx.cache.history.appendInChunks(feed(3000), 1000, controller.signal)).rejects.toThrow('stop');
    expect(stored(ctx)).toBe(1000);
    await ctx.cache.history.appendInChunks(feed(3000), 1000);
    expect(stored(ctx)).toBe(3000);
    expect(ctx.cache.history.forJob(1)).toHaveLength(60);
  });
});
