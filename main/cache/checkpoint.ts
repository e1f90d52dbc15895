// WAL checkpoints off the main thread: SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold and stalled pulls by 20–40 ms (measured), so the cache turns it into a
// far-away safety limit and copies the WAL back from a short-lived worker thread after bulk writes.
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
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`checkpoint worker exited with ${code}`)); });
  });
}
