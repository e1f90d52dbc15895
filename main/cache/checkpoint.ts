// WAL checkpoints off the main thread: SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold and stalled pulls by 20–40 ms (measured; 90–170 ms at 100k jobs), so the cache
// turns it into a far-away safety limit and copies the WAL back from a worker thread of its own:
// after bulk writes, and every so many commits during a long one, before the safety limit is reached.
import { fileThread, type FileThread, type ThreadAnswer } from './fileThread';

/** Pages (4 KiB) before SQLite checkpoints by itself; a backstop if background checkpoints never run. */
export const WAL_SAFETY_LIMIT_PAGES = 16_384;

export interface CheckpointResult extends ThreadAnswer {
  log: number;
  checkpointed: number;
}

export type CheckpointThread = FileThread<void, Omit<CheckpointResult, keyof ThreadAnswer>>;

/** The checkpoint thread of one file (fileThread.ts): one checkpoint at a time. */
export function checkpointThread(file: string): CheckpointThread {
  return fileThread(
    file,
    `(db) => {
      const [row] = db.pragma('wal_checkpoint(PASSIVE)');
      return { log: row.log, checkpointed: row.checkpointed };
    }`,
    'a checkpoint',
  );
}

/**
 * Commits between background checkpoints during a long write. A pull's commit of ~400 jobs adds ~200–700 pages at
 * 100k cached jobs: 20 of them came near the safety limit, where SQLite checkpoints inside a commit (40–60 ms).
 */
export const COMMITS_PER_CHECKPOINT = 12;

/**
 * Commits a long write may make while a background checkpoint runs, before it waits for it. Waiting for every
 * checkpoint left the writer idle a third of the time or more (writing 100k jobs: 3.2 s of 9.6 s; 1M: 45 of 94 s).
 * The WAL then holds at most COMMITS_PER_CHECKPOINT + this many commits: writing 1M jobs, it grew to 10,700 pages
 * (7,200 before), below the safety limit.
 */
export const COMMITS_DURING_CHECKPOINT = 6;

/**
 * Rows a commit changes to count as a whole one above: fewer count as that part of one. The push loop commits one
 * item at a time (two commits a send): counted whole, its commits used up the budget of those meant for a pull's
 * chunks, and a bulk action being queued waited for a whole checkpoint at nearly every slice (writing 30,000 items
 * while 200 one-row commits a second went on: 58% of the time waiting, against 36% without them).
 */
export const ROWS_PER_COMMIT = 50;

/** how much of a commit one that changed `rows` rows counts for (at least something: it wrote a page or more) */
export function commitWeight(rows: number): number {
  return Math.min(1, Math.max(rows, 1) / ROWS_PER_COMMIT);
}

/**
 * Background checkpoints of one cache file: at most one at a time, one started every
 * `commitsPerCheckpoint` commits, and a way to wait until none still has the file open.
 */
export function createCheckpointer(file: string, commitsPerCheckpoint = COMMITS_PER_CHECKPOINT, thread = checkpointThread(file)) {
  let closed = false;
  let commits = 0;
  let running: Promise<CheckpointResult> | null = null;
  /** commits since the running checkpoint began: it does not copy them */
  let commitsDuring = 0;
  /** the last checkpoint left commits made while it ran: the WAL cannot start over until they are copied too */
  let behind = false;
  const reportTo = (onError: (err: unknown) => void) => (err: unknown) => {
    if (!closed) onError(err); // one cut short by close() is no failure: the next open checkpoints
  };
  return {
    /** copy the WAL back now (after bulk writes); joins the checkpoint already running, if any */
    now(): Promise<CheckpointResult> {
      commits = 0;
      if (running) return running;
      commitsDuring = 0;
      const run = thread.run();
      running = run;
      const forget = () => {
        if (running !== run) return;
        running = null;
        behind = commitsDuring >= 1; // a few rows left behind are copied by the next one, whenever it comes
      };
      run.then(forget, forget);
      return run;
    },
    /** counts a commit (`weight`: commitWeight); every so many, starts a checkpoint unless one is still running */
    afterCommit(onError: (err: unknown) => void, weight = 1): void {
      if (running) {
        commitsDuring += weight;
        return;
      }
      if ((commits += weight) < commitsPerCheckpoint) return;
      this.now().catch(reportTo(onError));
    },
    /**
     * What a long write waits for before its next commit. It goes on while a checkpoint runs, up to
     * COMMITS_DURING_CHECKPOINT commits. Then, and once that checkpoint is over, it waits for one that copies the
     * commits made meanwhile: a commit begun while any checkpoint runs keeps the WAL from starting over, so during a
     * pull it grew to the safety limit and SQLite checkpointed inside a commit (40–60 ms at 100k jobs, ~12 ms otherwise).
     */
    async writerTurn(onError: (err: unknown) => void): Promise<void> {
      if (running && commitsDuring < COMMITS_DURING_CHECKPOINT) return;
      if (running) await running.catch(() => {});
      if (!behind) return;
      behind = false;
      await this.now().catch(reportTo(onError));
    },
    /** resolves once no background checkpoint still has the file open */
    async done(): Promise<void> {
      if (running) await running.catch(() => {});
    },
    /** ends the worker (the cache is closing) */
    close(): void {
      closed = true;
      thread.close();
    },
  };
}
