// Background checkpoints on a real SQLite file: a long run of commits copies the WAL back into the
// database file from a worker every COMMITS_PER_CHECKPOINT commits, never inside a commit, and always
// from the same worker thread.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCache } from '../../../main/cache';
import {
  COMMITS_DURING_CHECKPOINT,
  COMMITS_PER_CHECKPOINT,
  WAL_SAFETY_LIMIT_PAGES,
  checkpointThread,
  commitWeight,
  createCheckpointer,
} from '../../../main/cache/checkpoint';
import { openDatabase } from '../../../main/cache/db';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from './helpers';

let cleanup = () => {};
/** rows of a commit that counts whole */
const ROWS = 400;
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

/**
 * A database and its checkpointer on the real checkpoint thread, each run held until the test lets it go (`held`):
 * when a checkpoint ends is the test's choice
 */
function heldCheckpoints() {
  const t = tempDir();
  const file = join(t.dir, 'c.sqlite');
  const db = openDatabase(file);
  const real = checkpointThread(file);
  const held: (() => void)[] = [];
  const thread = { run: () => new Promise<void>((go) => held.push(go)).then(() => real.run()), close: () => real.close() };
  const checkpointer = createCheckpointer(file, COMMITS_PER_CHECKPOINT, thread);
  cleanup = () => {
    checkpointer.close();
    db.close();
    t.cleanup();
  };
  return { file, db, held, checkpointer };
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

  it('commits of a row or two (the push loop’s, one per item) count for their rows: as many of them start no checkpoint', async () => {
    const { file, cache } = freshCache();
    const before = statSync(file).size;
    // a page each: the file grows once a checkpoint copies them
    for (let i = 0; i < COMMITS_PER_CHECKPOINT * 2; i++) cache.transaction(() => cache.kv.set(`k${i}`, 'x'.repeat(4000)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await cache.backgroundWorkDone();
    expect(statSync(file).size).toBe(before);
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
    // it holds at most COMMITS_PER_CHECKPOINT + COMMITS_DURING_CHECKPOINT commits (~8,700 pages here)
    expect(statSync(`${file}-wal`).size).toBeLessThan(WAL_SAFETY_LIMIT_PAGES * 4096 * 0.75);
    expect(cache.jobs.count({ showArchived: true })).toBe(jobs.length);
  }, 30_000);

  it('a long write goes on while a checkpoint runs, then waits for one that copies what it wrote meanwhile', async () => {
    const { file, db, held, checkpointer } = heldCheckpoints();
    db.exec('CREATE TABLE blobs (b BLOB)');
    const insert = db.prepare('INSERT INTO blobs VALUES (randomblob(4000))');
    const commit = () => {
      db.transaction(() => insert.run())();
      checkpointer.afterCommit((err) => expect.fail(String(err)));
    };
    const writerTurn = () => {
      const turn = { over: false, done: checkpointer.writerTurn((err) => expect.fail(String(err))) };
      void turn.done.then(() => (turn.over = true));
      return turn;
    };
    const aTurnLater = () => new Promise((resolve) => setTimeout(resolve, 20));
    // the WAL header's checkpoint sequence: it grows each time the WAL starts over
    const walRestarts = () => {
      const header = Buffer.alloc(16);
      const fd = openSync(`${file}-wal`, 'r');
      readSync(fd, header, 0, 16, 0);
      closeSync(fd);
      return header.readUInt32BE(12);
    };

    for (let i = 0; i < COMMITS_PER_CHECKPOINT; i++) commit();
    expect(held).toHaveLength(1); // the last commit started a checkpoint
    const restartsBefore = walRestarts();
    for (let i = 0; i < COMMITS_DURING_CHECKPOINT; i++) {
      const turn = writerTurn();
      await aTurnLater();
      expect(turn.over).toBe(true); // the writer goes on while it runs
      commit();
    }
    // as many commits as it may make meanwhile: now the writer waits for that checkpoint, then for another
    const turn = writerTurn();
    await aTurnLater();
    expect(turn.over).toBe(false);
    held[0]!();
    await vi.waitFor(() => expect(held).toHaveLength(2));
    await aTurnLater();
    expect(turn.over).toBe(false);
    held[1]!(); // the one that copies the commits made while the first ran
    await turn.done;
    expect(walRestarts()).toBe(restartsBefore);
    commit(); // nothing was left to copy: the WAL starts over
    expect(walRestarts()).toBe(restartsBefore + 1);
    // with nothing left behind, the writer's next turns do not wait
    const next = writerTurn();
    await aTurnLater();
    expect(next.over).toBe(true);
    expect(held).toHaveLength(2);
  });

  it('a long write does not wait for checkpoints because of the one-row commits made while they run', async () => {
    const { db, held, checkpointer } = heldCheckpoints();
    const fail = (err: unknown) => expect.fail(String(err));
    db.exec('CREATE TABLE items (v TEXT)');
    const insert = db.prepare('INSERT INTO items VALUES (?)');
    const commit = (rows: number) => {
      db.transaction(() => {
        for (let i = 0; i < rows; i++) insert.run('x'.repeat(100));
      })();
      checkpointer.afterCommit(fail, commitWeight(rows));
    };
    const waits = async () => {
      let over = false;
      const done = checkpointer.writerTurn(fail).then(() => (over = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { waiting: !over, done };
    };
    for (let i = 0; i < COMMITS_PER_CHECKPOINT; i++) commit(ROWS);
    expect(held).toHaveLength(1);
    // the push loop's commits while it runs: many times COMMITS_DURING_CHECKPOINT, a fraction of one in rows
    for (let i = 0; i < COMMITS_DURING_CHECKPOINT * 5; i++) commit(1);
    expect((await waits()).waiting).toBe(false);
    held[0]!();
    await checkpointer.done();
    // nor after it: what they left is copied by the next checkpoint, whenever it comes
    expect((await waits()).waiting).toBe(false);
    expect(held).toHaveLength(1); // no catch-up checkpoint started for them
  });

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
