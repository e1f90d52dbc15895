// Why this exists (issue 14): indexing each job's name and description in the trigram index cost 37% of a
// write (a pull wrote 18–19k jobs/s at 1M cached jobs, 31k without it). Since schema 9 a write only notes the
// job's id in jobs_text_pending (migration 009); this catch-up indexes those rows afterwards, once writes have
// paused, in chunks of one transaction each (index the chunk's rows, forget them as pending), a chunk per step
// of a few ms between the worker's other tasks. The pending rows live in the file: a process ended mid-way
// resumes at the next open, and a chunk is either wholly done or not at all. Searches stay exact meanwhile
// (jobQuery.ts checks pending rows' text directly), and no job row changes, so the grid's kept lists and the
// sort index are not disturbed.
import { createChunkSizer } from './chunkSizer';
import type { Db } from './db';

/** a step's chunk aims at this (its commit and the index's merge work included); the budget per task is 16 ms */
const STEP_TARGET_MS = 6;
/** catch-up waits until no job has been written for this long (a pull is not slowed by it) */
const QUIET_MS = 300;
/** rows a chunk takes at most: more rows per commit means fewer, larger index segments */
const MAX_CHUNK = 20_000;

export interface TextIndexOptions {
  log?: (line: string) => void;
  /** after each committed chunk (the cache's background checkpoints count commits) */
  afterCommit?: () => void;
  quietMs?: number;
  targetMs?: number;
  maxChunk?: number;
  /** only step() and caughtUp() run the catch-up, not writes or the open (tests) */
  manual?: boolean;
}

export function createTextIndexCatchUp(db: Db, options: TextIndexOptions = {}) {
  const quietMs = options.quietMs ?? QUIET_MS;
  const maxChunk = options.maxChunk ?? MAX_CHUNK;
  const sizer = createChunkSizer({
    targetMs: options.targetMs ?? STEP_TARGET_MS,
    min: Math.min(50, maxChunk),
    max: maxChunk,
    initial: Math.min(500, maxChunk),
  });
  const chunkStmt = db.prepare('SELECT id FROM jobs_text_pending ORDER BY id LIMIT ?').pluck();
  const anyStmt = db.prepare('SELECT EXISTS (SELECT 1 FROM jobs_text_pending)').pluck();
  const countStmt = db.prepare('SELECT count(*) FROM jobs_text_pending').pluck();
  const indexStmt = db.prepare(`INSERT INTO jobs_text(rowid, name, description)
    SELECT j.id, j.name, j.description FROM jobs_text_pending p JOIN jobs j ON j.id = p.id WHERE p.id BETWEEN ? AND ?`);
  const forgetStmt = db.prepare('DELETE FROM jobs_text_pending WHERE id BETWEEN ? AND ?');
  const indexChunk = db.transaction((from: number, to: number) => {
    indexStmt.run(from, to);
    forgetStmt.run(from, to);
  });

  let lastWrite = -Infinity;
  let scheduled = false;
  let longestStepMs = 0;
  let indexedRows = 0;
  let started = 0;
  let waiters: (() => void)[] = [];

  const settle = () => {
    const done = waiters;
    waiters = [];
    for (const w of done) w();
  };

  /** indexes the next chunk of pending rows in one transaction; false when none was left */
  function step(): boolean {
    const t = performance.now();
    const ids = chunkStmt.all(sizer.next()) as number[];
    if (ids.length === 0) return false;
    indexChunk(ids[0]!, ids[ids.length - 1]!);
    sizer.record(ids.length, performance.now() - t);
    indexedRows += ids.length;
    options.afterCommit?.();
    return true;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    const tick = () => {
      scheduled = false;
      if (!db.open) return settle();
      const wait = lastWrite + quietMs - performance.now();
      if (wait > 0 || db.inTransaction) {
        // writes go on (or one is open): once they pause
        scheduled = true;
        setTimeout(tick, Math.max(wait, 1));
        return;
      }
      if (indexedRows === 0) started = performance.now();
      const t = performance.now();
      const more = step();
      longestStepMs = Math.max(longestStepMs, performance.now() - t);
      if (!more) {
        if (indexedRows > 0) {
          options.log?.(`textIndex: ${indexedRows} jobs indexed in ${Math.round(performance.now() - started)} ms`);
          indexedRows = 0;
        }
        return settle();
      }
      scheduled = true;
      setImmediate(tick);
    };
    setImmediate(tick);
  }

  return {
    /** a job write: its rows are indexed once writes pause */
    wrote(): void {
      lastWrite = performance.now();
      if (!options.manual) schedule();
    },
    /** starts the catch-up if rows were left pending (by the last session, or writes of this one) */
    resume(): void {
      if (!options.manual && db.open && anyStmt.get()) schedule();
    },
    /** indexes one chunk now; false when nothing was pending (for tests) */
    step,
    /** how many jobs are not indexed yet */
    pending(): number {
      return countStmt.get() as number;
    },
    /** resolves once nothing is pending (or the cache closed): for tests and the benchmark */
    caughtUp(): Promise<void> {
      if (!db.open || !anyStmt.get()) return Promise.resolve();
      const done = new Promise<void>((resolve) => waiters.push(resolve));
      schedule();
      return done;
    },
    /** the longest a catch-up step held the thread, in ms */
    longestStepMs(): number {
      return longestStepMs;
    },
  };
}

export type TextIndexCatchUp = ReturnType<typeof createTextIndexCatchUp>;
