// Opening a cache file the app can trust: a read-only folder or a cache from a newer schema is refused
// with a message naming the file and the remedy; SQLite's quick_check runs in a worker, bounded in
// time; a damaged file is moved aside (with its WAL), the queued changes still readable in it are
// copied into a fresh cache as pending, and the user is told what was lost. The next pull refills it.
import { accessSync, constants, existsSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { keepAside, type ReportProblem } from '../files/broken-files';
import type { StoredMutation } from './outbox';
import { MIGRATIONS } from './migrations';

/** the start waits at most this long for the check (measured: 0.9 s for a 100k-job, 97 MiB cache) */
export const QUICK_CHECK_TIMEOUT_MS = 3_000;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
let answer;
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true });
    const rows = db.pragma('quick_check(20)').map((row) => row.quick_check);
    answer = { version, problems: rows.length === 1 && rows[0] === 'ok' ? [] : rows };
  } finally {
    db.close();
  }
} catch (err) {
  answer = { version: null, problems: [String(err && err.message || err)] };
}
parentPort.postMessage(answer);
`;
const driver = createRequire(import.meta.url).resolve('better-sqlite3');

interface CheckResult {
  version: number | null;
  problems: string[];
}

/** user_version and quick_check of `file`, read in a worker; null when it took longer than `timeoutMs`. */
function checkInWorker(file: string, timeoutMs: number): Promise<CheckResult | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
    const timer = setTimeout(() => void worker.terminate().then(() => resolve(null)), timeoutMs);
    worker.once('message', (answer: CheckResult) => {
      clearTimeout(timer);
      resolve(answer);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

interface Rescued {
  items: (StoredMutation & { jobIds: number[] })[];
  remaps: { kind: string; local_id: number; server_id: number }[];
  /** queued items that could not be read; null when the queue itself could not be read */
  unreadable: number | null;
}

/** The unfinished outbox items (and id remaps) that can still be read from a damaged file. */
function rescueOutbox(file: string): Rescued {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // a read-only connection: without defensive mode and with writable_schema, SQLite reads what is
    // left of a file shorter than its header says (a truncated cache) instead of refusing all of it
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
  } catch {
    return { items: [], remaps: [], unreadable: null };
  }
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch {
      return fallback;
    }
  };
  try {
    // the state index may be what is damaged: fall back to reading the table itself
    const ids = attempt(
      () => db.prepare("SELECT id FROM outbox WHERE state != 'done' ORDER BY id").pluck().all() as number[],
      attempt(() => db.prepare("SELECT id FROM outbox NOT INDEXED WHERE state != 'done' ORDER BY id").pluck().all() as number[], null),
    );
    if (ids === null) return { items: [], remaps: [], unreadable: null };
    const items: Rescued['items'] = [];
    for (const id of ids) {
      const item = attempt(() => {
        const row = db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as StoredMutation;
        const jobIds = db.prepare('SELECT job_id FROM outbox_jobs WHERE mutation_id = ?').pluck().all(id) as number[];
        return { ...row, jobIds };
      }, null);
      if (item) items.push(item);
    }
    const remaps = attempt(() => db.prepare('SELECT kind, local_id, server_id FROM id_remaps').all() as Rescued['remaps'], []);
    return { items, remaps, unreadable: ids.length - items.length };
  } finally {
    db.close();
  }
}

function whatWasLost(rescued: Rescued): string {
  const changes = (n: number) => `${n} queued change${n === 1 ? '' : 's'}`;
  const kept = rescued.items.length;
  const lost = rescued.unreadable;
  const keptText = kept ? `${changes(kept)} ${kept === 1 ? 'was' : 'were'} rescued and will be sent. ` : '';
  const lostText =
    lost === null
      ? 'The queue of offline changes could not be read: changes not yet sent are lost. '
      : lost > 0
        ? `${changes(lost)} could not be read and ${lost === 1 ? 'is' : 'are'} lost. `
        : '';
  return `${keptText}${lostText}Everything else is downloaded again from the server.`;
}

export function readOnlyFolderMessage(dir: string): string {
  return (
    `The data folder ${dir} is read-only, so the app cannot keep its cache there. Make it writable (chmod u+w "${dir}") ` +
    'or start the app with LJD_DATA_DIR set to a folder you can write.'
  );
}

/**
 * Makes `file` fit to open: throws a clear error for a read-only folder or a newer schema; moves a
 * damaged file aside. Returns the items to queue again in the fresh file (empty when nothing was damaged).
 */
export async function checkCacheFile(
  file: string,
  options: { report: ReportProblem; log?: (line: string) => void; timeoutMs?: number },
): Promise<Rescued> {
  const dir = dirname(file);
  const none: Rescued = { items: [], remaps: [], unreadable: 0 };
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(readOnlyFolderMessage(dir));
  }
  if (!existsSync(file) || statSync(file).size === 0) return none;
  const started = performance.now();
  const check = await checkInWorker(file, options.timeoutMs ?? QUICK_CHECK_TIMEOUT_MS);
  if (check === null) {
    options.log?.(`cache: quick_check of ${file} did not finish in time; opening it unchecked`);
    return none;
  }
  options.log?.(`cache: quick_check of ${basename(file)} took ${(performance.now() - started).toFixed(0)} ms`);
  if (check.version !== null && check.version > MIGRATIONS.length) {
    throw new Error(
      `The cache ${file} was written by a newer version of the app (schema ${check.version}; this one knows up to ` +
        `${MIGRATIONS.length}). Update the app, or move that file away to start with a fresh cache.`,
    );
  }
  if (check.problems.length === 0) return none;
  const rescued = rescueOutbox(file);
  const keptAs = keepAside(file, `damaged: ${check.problems[0]}`, whatWasLost(rescued), options.report);
  if (keptAs === null) {
    throw new Error(`The cache ${file} is damaged and could not be moved aside: move it away, then start the app again.`);
  }
  // its WAL belongs to it: left here, SQLite would apply it to the fresh file
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, keptAs + suffix);
  return rescued;
}

/** Queues the rescued items again, as pending, keeping their ids and what they were (sent_at, attempts). */
export function requeueRescued(db: Database.Database, rescued: Rescued): void {
  if (rescued.items.length === 0 && rescued.remaps.length === 0) return;
  const insert = db.prepare(`INSERT INTO outbox (id, kind, payload, summary, state, attempts, batch_id, created_at, updated_at,
    sent_at, before_image) VALUES (@id, @kind, @payload, @summary, 'pending', @attempts, @batch_id, @created_at, @updated_at, @sent_at,
    @before_image)`);
  const link = db.prepare('INSERT OR IGNORE INTO outbox_jobs (mutation_id, job_id) VALUES (?, ?)');
  const remap = db.prepare('INSERT OR IGNORE INTO id_remaps (kind, local_id, server_id) VALUES (@kind, @local_id, @server_id)');
  db.transaction(() => {
    for (const item of rescued.items) {
      insert.run(item);
      for (const jobId of item.jobIds) link.run(item.id, jobId);
    }
    for (const r of rescued.remaps) remap.run(r);
  })();
}
