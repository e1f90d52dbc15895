// WAL checkpoints off the main thread: SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold and stalled pulls by 20–40 ms (measured; 90–170 ms at 100k jobs), so the cache
// turns it into a far-away safety limit and copies the WAL back from a worker thread of its own:
// after bulk writes, and every so many commits during a long one, before the safety limit is reached.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages (4 KiB) before SQLite checkpoints by itself; a backstop if background checkpoints never run. */
export const WAL_SAFETY_LIMIT_PAGES = 16_384;

// One worker per cache file, started on the first checkpoint and kept: starting a thread that loads the
// SQLite driver costs ~30 ms of CPU, paid every 20 commits of a pull before (measured). It opens the file
// only for the length of each checkpoint, so between them nothing but the cache itself holds it.
const WORKER_SOURCE = `
const { workerData, parentPort, threadId } = require('node:worker_threads');
const Database = require(workerData.driver);
parentPort.on('message', () => {
  let answer;
  try {
    const db = new Database(workerData.file);
    try {
      db.pragma('busy_timeout = 5000');
      const started = Date.now();
      const [row] = db.pragma('wal_checkpoint(PASSIVE)');
      answer = { ms: Date.now() - started, log: row.log, checkpointed: row.checkpointed, thread: threadId };
    } finally {
      db.close();
    }
  } catch (err) {
    answer = { error: String((err && err.message) || err) };
  }
  parentPort.postMessage(answer);
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

export interface CheckpointThread {
  run(): Promise<CheckpointResult>;
  close(): void;
}

export interface CheckpointResult {
  ms: number;
  log: number;
  checkpointed: number;
  /** the worker thread that ran it */
  thread: number;
}

/** The checkpoint thread of one file: one request at a time, idle without keeping the process alive. */
export function checkpointThread(file: string): CheckpointThread {
  let worker: Worker | null = null;
  let pending: { resolve: (r: CheckpointResult) => void; reject: (err: unknown) => void } | null = null;
  const fail = (err: unknown) => {
    worker = null;
    pending?.reject(err);
    pending = null;
  };
  const spawn = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
    w.on('message', (answer: CheckpointResult | { error: string }) => {
      const p = pending;
      pending = null;
      w.unref();
      if ('error' in answer) p?.reject(new Error(answer.error));
      else p?.resolve(answer);
    });
    w.once('error', fail);
    w.once('exit', (code) => {
      if (worker === w) fail(new Error(`checkpoint worker exited with ${code}`));
    });
    return w;
  };
  return {
    run(): Promise<CheckpointResult> {
      if (pending) return Promise.reject(new Error('a checkpoint is already running'));
      worker ??= spawn();
      worker.ref(); // a checkpoint under way keeps the process up until it answers
      const answer = new Promise<CheckpointResult>((resolve, reject) => (pending = { resolve, reject }));
      worker.postMessage('checkpoint');
      return answer;
    },
    close(): void {
      const w = worker;
      fail(new Error('the cache closed during a checkpoint')); // the WAL stays; the next open checkpoints it
      if (w) void w.terminate();
    },
  };
}

/** Copies the WAL into the database file from a worker of its own; resolves with what it did. */
export function checkpointInBackground(file: string): Promise<CheckpointResult> {
  const thread = checkpointThread(file);
  return thread.run().finally(() => thread.close());
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
        behind = commitsDuring > 0;
      };
      run.then(forget, forget);
      return run;
    },
    /** counts a commit; every so many, starts a checkpoint unless one is still running */
    afterCommit(onError: (err: unknown) => void): void {
      if (running) {
        commitsDuring++;
        return;
      }
      if (++commits < commitsPerCheckpoint) return;
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
