// A worker thread with a connection of its own to the cache file, for SQLite work that would otherwise hold the
// core's thread: copying the WAL back (checkpoint.ts). Not for a job that writes: a second writing connection breaks
// the core's deferred transactions (SQLITE_BUSY_SNAPSHOT; the text index's merges were tried here, see README.md).
// One per job and file, started on the first request and kept: starting a thread that loads the SQLite driver costs
// ~30 ms of CPU (measured). It opens the file for the length of each request only, so between them nothing but the
// cache itself holds it; idle, it does not keep the process alive.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/** The thread's source: `job` is the source of a function `(db, input) => answer` (its own connection, opened for it). */
const threadSource = (job: string) => `
const { workerData, parentPort, threadId } = require('node:worker_threads');
const Database = require(workerData.driver);
// the driver's native part is loaded now, before any request: a thread ended while it loads aborts the whole process
new Database(':memory:').close();
parentPort.postMessage({ ready: true });
const job = ${job};
parentPort.on('message', (input) => {
  let answer;
  try {
    const db = new Database(workerData.file);
    try {
      db.pragma('busy_timeout = 5000');
      const started = performance.now();
      answer = { ...job(db, input), ms: performance.now() - started, thread: threadId };
    } finally {
      db.close();
    }
  } catch (err) {
    answer = { error: String((err && err.message) || err) };
  }
  parentPort.postMessage(answer);
});
`;

/** what every answer carries besides the job's own */
export interface ThreadAnswer {
  /** how long the job took in the thread */
  ms: number;
  /** the worker thread that ran it */
  thread: number;
}

export interface FileThread<In, Out> {
  /** runs the job with `input`; one request at a time */
  run(input: In): Promise<Out & ThreadAnswer>;
  /** ends the thread: a request under way fails (its transaction is rolled back) */
  close(): void;
}

/** The thread of one job (`what` names it in errors) on one file. */
export function fileThread<In, Out>(file: string, job: string, what: string): FileThread<In, Out> {
  const source = threadSource(job);
  let worker: Worker | null = null;
  let pending: { resolve: (r: Out & ThreadAnswer) => void; reject: (err: unknown) => void } | null = null;
  const fail = (err: unknown) => {
    worker = null;
    pending?.reject(err);
    pending = null;
  };
  /** per thread: it has loaded the driver (from then on it can be ended at once), and close() came before that */
  const loads = new WeakMap<Worker, { ready: boolean; endWhenReady: boolean }>();
  const spawn = (): Worker => {
    const w = new Worker(source, { eval: true, workerData: { file, driver } });
    const load = { ready: false, endWhenReady: false };
    loads.set(w, load);
    w.on('message', (answer: (Out & ThreadAnswer) | { error: string } | { ready: true }) => {
      if ('ready' in answer) {
        load.ready = true;
        if (load.endWhenReady) void w.terminate();
        return;
      }
      const p = pending;
      pending = null;
      w.unref();
      if ('error' in answer) p?.reject(new Error(answer.error));
      else p?.resolve(answer);
    });
    w.once('error', fail);
    w.once('exit', (code) => {
      if (worker === w) fail(new Error(`the thread of ${what} exited with ${code}`));
    });
    return w;
  };
  return {
    run(input: In): Promise<Out & ThreadAnswer> {
      if (pending) return Promise.reject(new Error(`${what} is already running`));
      worker ??= spawn();
      worker.ref(); // a request under way keeps the process up until it answers
      const answer = new Promise<Out & ThreadAnswer>((resolve, reject) => (pending = { resolve, reject }));
      worker.postMessage(input);
      return answer;
    },
    close(): void {
      const w = worker;
      fail(new Error(`the cache closed during ${what}`));
      const load = w && loads.get(w);
      if (!w || !load) return;
      // ended while it loads the SQLite driver, Node aborts the process (napi fatal error): that waits for its load
      if (load.ready) void w.terminate();
      else load.endWhenReady = true;
    },
  };
}
