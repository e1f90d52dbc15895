// Background checkpoints on a real SQLite file: a long run of commits copies the WAL back into the
// database file from a worker every COMMITS_PER_CHECKPOINT commits, never inside a commit, and always
// from the same worker thread.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { COMMITS_PER_CHECKPOINT, WAL_SAFETY_LIMIT_PAGES } from '../../../main/cache/checkpoint';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from './helpers';

let cleanup = () => {};
afterEach(() => cleanup());

/** a cache in a new temp folder, closed and removed after the test */
function freshCache() {
  const t = tempDir();
  const file = join(t.dir, 'c.sqlite');
  const cache = openCache(file);
  cleanup = () => {
    cache.close();
    t.cleanup();
  };
  return { file, cache };
}

describe('background checkpoints', () => {
  it('start after every COMMITS_PER_CHECKPOINT commits and move the WAL into the file', async () => {
    const { file, cache } = freshCache();
    const jobs = syntheticJobs(COMMITS_PER_CHECKPOINT * 50, 2);
    const commit = (i: number) => cache.transaction(() => cache.jobs.upsert(jobs.slice(i * 50, (i + 1) * 50)));
    const fileSize = () => statSync(file).size;
    const before = fileSize();
    for (let i = 0; i < COMMITS_PER_CHECKPOINT - 1; i++) commit(i);
    await cache.backgroundWorkDone();
    expect(fileSize()).toBe(before); // everything still in the WAL
    commit(COMMITS_PER_CHECKPOINT - 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await cache.backgroundWorkDone();
    expect(fileSize()).toBeGreaterThan(before);
    expect(cache.jobs.count({ showArchived: true })).toBe(jobs.length);
  });

  it('a long write paced by writePause lets the WAL start over after each checkpoint, far below the safety limit', async () => {
    const { file, cache } = freshCache();
    // as a pull writes: 100 transactions of 400 jobs. A transaction begun while a checkpoint still ran kept the
    // WAL from starting over, so it grew to the safety limit, where SQLite checkpoints inside a commit
    const jobs = syntheticJobs(40_000, 5);
    for (let i = 0; i < 100; i++) {
      cache.transaction(() => cache.jobs.upsert(jobs.slice(i * 400, (i + 1) * 400)));
      await cache.writePause();
    }
    expect(statSync(`${file}-wal`).size).toBeLessThan((WAL_SAFETY_LIMIT_PAGES * 4096) / 2);
    expect(cache.jobs.count({ showArchived: true })).toBe(jobs.length);
  }, 30_000);

  it('nested transactions count as one commit', async () => {
    const { file, cache } = freshCache();
    const before = statSync(file).size;
    const jobs = syntheticJobs(COMMITS_PER_CHECKPOINT, 3);
    cache.transaction(() => {
      for (const job of jobs) cache.transaction(() => cache.jobs.upsert([job]));
    });
    await cache.backgroundWorkDone();
    expect(statSync(file).size).toBe(before);
  });

  it('one worker thread runs every checkpoint of a cache, and closing the cache ends it', async () => {
    const { cache } = freshCache();
    const jobs = syntheticJobs(300, 4);
    const threads: number[] = [];
    for (let i = 0; i < 3; i++) {
      cache.transaction(() => cache.jobs.upsert(jobs.slice(i * 100, (i + 1) * 100)));
      const result = await cache.checkpoint();
      expect(result.checkpointed).toBeGreaterThan(0);
      threads.push(result.thread);
    }
    expect(threads.every(Number.isInteger)).toBe(true);
    expect(new Set(threads).size).toBe(1);
    const pending = cache.checkpoint();
    cache.close();
    await expect(pending).rejects.toThrow(/closed/);
  });
});
