// WAL checkpoints off the main thread: SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold and stalled pulls by 20–40 ms (measured; 90–170 ms at 100k jobs), so the cache
// turns it into a far-away safety limit and copies the WAL back from a short-lived worker thread:
// after bulk writes, and every so many commits during a long one, before the safety limit is reached.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages (4 KiB) before SQLite checkpoints by itself; a backstop if background checkpoints never run. */
export const WAL_SAFETY_LIMIT_PAGES = 16_384;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const started = Date.now();
const [row] = db.pragma('wal_checkpoint(PASSIVE)');
db.close();
parentPort.postMessage({ ms: Date.now() - started, log: row.log, checkpointed: row.checkpointed });
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/** Copies the WAL into the database file from a worker; resolves with what it did. */
export function checkpointInBackground(file: string): Promise<{ ms: number; log: number; checkpointed: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`checkpoint worker exited with ${code}`));
    });
  });
}

/** Commits between background checkpoints during a long write (a 100-job commit adds ~100–700 pages). */
export const COMMITS_PER_CHECKPOINT = 20;

/**
 * Background checkpoints of one cache file: at most one at a time, one started every
 * `commitsPerCheckpoint` commits, and a way to wait until none still has the file open.
 */
export function createCheckpointer(file: string, commitsPerCheckpoint = COMMITS_PER_CHECKPOINT) {
  const inFlight = new Set<Promise<unknown>>();
  let commits = 0;
  let running: Promise<{ ms: number; log: number; checkpointed: number }> | null = null;
  const start = () => {
    const run = checkpointInBackground(file);
    inFlight.add(run);
    const forget = () => {
      inFlight.delete(run);
      if (running === run) running = null;
    };
    run.then(forget, forget);
    return run;
  };
  return {
    /** copy the WAL back now (after bulk writes) */
    now() {
      commits = 0;
      running = start();
      return running;
    },
    /** counts a commit; every so many, starts a checkpoint unless one is still running */
    afterCommit(onError: (err: unknown) => void): void {
      if (++commits < commitsPerCheckpoint || running) return;
      this.now().catch(onError);
    },
    /** resolves once no background checkpoint still has the file open */
    async done(): Promise<void> {
      await Promise.allSettled([...inFlight]);
    },
  };
}
