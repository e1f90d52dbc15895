// Why this exists (issue 14): indexing each job's name and description in the trigram index cost 37% of a
// write (a pull wrote 18–19k jobs/s at 1M cached jobs, 31k without it). Since schema 9 a write only notes the
// job's id in jobs_text_pending (migration 009); this catch-up indexes those rows afterwards, once writes have
// paused, in chunks of one transaction each (index the chunk's rows, forget them as pending); each step of a few
// ms between the worker's other tasks is one chunk or one bounded merge of the index's segments. The pending
// rows live in the file: a process ended mid-way resumes at the next open, and a chunk is either wholly done or
// not at all. Searches stay exact meanwhile (jobQuery.ts checks pending rows' text directly), and no job row
// changes, so the grid's kept lists and the sort index are not disturbed.
import { createChunkSizer } from './chunkSizer';
import type { Db } from './db';
import { inTurn, inTurnAfter } from './turns';
import { createWaiters } from './waiters';

/** a step aims at this (its commit included); the budget per task is 16 ms */
const STEP_TARGET_MS = 6;
/** catch-up waits until no job has been written for this long (a pull is not slowed by it) */
const QUIET_MS = 300;
/** rows a chunk takes at most: more rows per commit means fewer, larger index segments */
const MAX_CHUNK = 20_000;

export interface TextIndexOptions {
  log?: (line: string) => void;
  /**
   * after each committed step (the cache's background checkpoints count commits); the catch-up waits for what it
   * returns before its next step (the cache's writerTurn). Steps commit faster than a checkpoint copies them back,
   * and a WAL past its safety limit is checkpointed inside a commit (steps of 60–80 ms at 1M jobs)
   */
  afterCommit?: () => Promise<void> | void;
  /**
   * before the first step after a pause: the catch-up waits for it (the cache copies the WAL back; a pull leaves it
   * long, and the first commit past its safety limit checkpointed inside a step: 95 ms at 1M jobs)
   */
  beforeRun?: () => Promise<void>;
  /** while true, the catch-up waits (other background work goes first) */
  waitFor?: () => boolean;
  /** ms to wait after a step that took `tookMs` before the next (0: at once) */
  pace?: (tookMs: number) => number;
  quietMs?: number;
  targetMs?: number;
  maxChunk?: number;
  /** only step() and caughtUp() run the catch-up, not writes or the open (tests) */
  manual?: boolean;
}

export function createTextIndexCatchUp(db: Db, options: TextIndexOptions = {}) {
  const quietMs = options.quietMs ?? QUIET_MS;
  const maxChunk = options.maxChunk ?? MAX_CHUNK;
  const targetMs = options.targetMs ?? STEP_TARGET_MS;
  // After a write the chunks are sized afresh, from the smallest: what a row costs depends on which rows are pending.
  // The jobs of a pull are neighbours in the file (1M indexed in 17 s); jobs changed here and there across a million
  // are each on pages of their own, ~10× dearer (0.19 ms a row at 1M). Sized from a pull's rows, a chunk of such
  // rows held the thread ~100 ms, and so did a first chunk of 500.
  const smallest = Math.min(50, maxChunk);
  const freshRowSizer = () => createChunkSizer({ targetMs, min: smallest, max: maxChunk, initial: smallest });
  let rowSizer = freshRowSizer();
  // a merge step's cost per page varies more (3× its average at 1M jobs): it aims at half as long
  const pageSizer = createChunkSizer({ targetMs: targetMs / 2, min: 8, max: 4000, initial: 32 });
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
  // Schema 9 turned FTS5's own merging at each commit off: it merged 64 pages per level every so many pages
  // written, a step of 20+ ms at 100k jobs. The catch-up merges instead, in steps of their own: up to so many
  // pages of the levels holding 4 segments or more; FTS5 tells work done by changing total_changes() by 2 or more.
  // It counts pages between terms only: a term in every job (a trigram of '_job_') is merged whole, one step of
  // ~250 pages (8–16 ms) at the top levels of a million jobs.
  const mergeStmt = db.prepare(`INSERT INTO jobs_text(jobs_text, rank) VALUES ('merge', ?)`);
  const totalChanges = db.prepare('SELECT total_changes()').pluck();

  /** a job was written since the last tick: the catch-up waits for a pause */
  let wroteSinceTick = false;
  /** the next step is the first since a pause began */
  let freshRun = true;
  let scheduled = false;
  let longestStepMs = 0;
  let indexedRows = 0;
  let started = 0;
  const whenCaughtUp = createWaiters();
  /** the checkpoint to wait for before the next step */
  let checkpoint: Promise<void> | void;
  const committed = () => {
    checkpoint = options.afterCommit?.();
  };
  /** whether the next step looks for segments to merge (first of all: deletes may have written some) */
  let merging = true;

  /** one step of work in its own transaction: merge pages or index a chunk; false when none was left */
  function step(): boolean {
    if (merging) {
      const t = performance.now();
      const before = totalChanges.get() as number;
      const pages = pageSizer.next();
      mergeStmt.run(pages);
      if ((totalChanges.get() as number) - before >= 2) {
        pageSizer.record(pages, performance.now() - t);
        committed();
        return true;
      }
      merging = false;
    }
    const t = performance.now();
    const ids = chunkStmt.all(rowSizer.next()) as number[];
    if (ids.length === 0) {
      merging = true; // the next run begins by looking again
      return false;
    }
    indexChunk(ids[0]!, ids[ids.length - 1]!);
    rowSizer.record(ids.length, performance.now() - t);
    indexedRows += ids.length;
    committed();
    merging = true;
    return true;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    const tick = () => {
      scheduled = false;
      if (!db.open) return whenCaughtUp.settle();
      if (wroteSinceTick || db.inTransaction || options.waitFor?.()) {
        // writes go on (or other background work goes first): once none came for quietMs, counted from here, after
        // the write (a pull's long transaction noted at its start would otherwise count as a pause)
        wroteSinceTick = false;
        freshRun = true;
        scheduled = true;
        inTurnAfter(quietMs, tick);
        return;
      }
      if (freshRun && options.beforeRun) {
        freshRun = false;
        scheduled = true;
        void options.beforeRun().then(() => inTurn(tick));
        return;
      }
      if (indexedRows === 0) started = performance.now();
      const t = performance.now();
      const more = step();
      const took = performance.now() - t;
      longestStepMs = Math.max(longestStepMs, took);
      if (!more) {
        if (indexedRows > 0) {
          options.log?.(`textIndex: ${indexedRows} jobs indexed in ${Math.round(performance.now() - started)} ms`);
          indexedRows = 0;
        }
        freshRun = true;
        return whenCaughtUp.settle();
      }
      scheduled = true;
      const next = checkpoint;
      checkpoint = undefined;
      const pause = options.pace?.(took) ?? 0;
      const again = () => (pause > 0 ? inTurnAfter(pause, tick) : inTurn(tick));
      if (next) void next.then(again);
      else again();
    };
    inTurn(tick);
  }

  return {
    /** a job write: its rows are indexed once writes pause */
    wrote(): void {
      wroteSinceTick = true;
      rowSizer = freshRowSizer();
      if (!options.manual) schedule();
    },
    /** at the open: finishes what the last session left (rows pending, or segments to merge; else one cheap look) */
    resume(): void {
      if (options.manual || !db.open) return;
      wroteSinceTick = true; // after a pause, like after a write: the app's first reads go first
      schedule();
    },
    /** one step now (a merge or a chunk indexed); false when nothing was left to do (for tests) */
    step,
    /** how many jobs are not indexed yet */
    pending(): number {
      return countStmt.get() as number;
    },
    /** resolves once nothing is pending (or the cache closed): for tests and the benchmark */
    caughtUp(): Promise<void> {
      if (!db.open || !anyStmt.get()) return Promise.resolve();
      const done = whenCaughtUp.wait();
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
