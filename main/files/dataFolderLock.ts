// The data-folder lock: one process owns a data folder (its caches and their outboxes) for its whole
// life. The lock is a kernel file lock that SQLite holds on `<folder>/.lock` (locking_mode EXCLUSIVE
// after one write), so it lasts exactly as long as the process: a kill -9 releases it, no stale file
// to guess about. Who holds it is written beside it (`.lock-owner.json`) for the refusal message.
// Within one thread the lock is shared (counted), so the browser mode and its push loop can both hold it.
// Another thread of the same process cannot open the lock file again (SQLite tracks locks per inode
// per process): the owner hands it a HeldFolderProof, which adoptDataFolderLock checks against the owner file.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '#shared/contract';

export interface DataFolderLock {
  readonly folder: string;
  /** what another thread of this process gives adoptDataFolderLock to work under this lock */
  readonly proof: HeldFolderProof;
  /** Gives this holder's share back; the last one releases the folder for other processes. */
  release(): void;
}

/** Plain data (it crosses to worker threads): this process holds `folder`, with the nonce of its owner file. */
export interface HeldFolderProof {
  readonly folder: string;
  readonly pid: number;
  readonly nonce: string;
}

interface Owner {
  pid: number;
  startedAt: string;
  host: string;
  argv: string;
  nonce?: string;
}

const held = new Map<string, { db: Database.Database; holders: number; proof: HeldFolderProof }>();
const startedAt = new Date(Date.now() - process.uptime() * 1000).toISOString();

const ownerFile = (folder: string) => join(folder, '.lock-owner.json');

function readOwner(folder: string): Owner | null {
  try {
    return JSON.parse(readFileSync(ownerFile(folder), 'utf8')) as Owner;
  } catch {
    return null;
  }
}

/** The refusal a second process gets: names the folder and the process that has it. */
export function folderInUseMessage(folder: string, owner: Owner | null): string {
  const who = owner
    ? `process ${owner.pid} on ${owner.host} (started ${owner.startedAt}: ${owner.argv})`
    : 'another process (it did not say which)';
  return (
    `The data folder ${folder} is in use by ${who}. Only one copy of the app can use a data folder at a time, ` +
    'so queued changes are sent once: close the other copy, or start this one with another data folder (LJD_DATA_DIR).'
  );
}

/** Takes the lock on an existing folder, or throws an AppError('conflict') naming who holds it. */
export function acquireDataFolderLock(folder: string): DataFolderLock {
  const key = realpathSync(folder);
  let entry = held.get(key);
  if (!entry) {
    // created readable by the user only (like every file the app writes), before SQLite opens it
    closeSync(openSync(join(key, '.lock'), 'a', 0o600));
    const db = new Database(join(key, '.lock'), { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // the first write takes the exclusive lock; in this locking mode it is kept until the connection closes
      db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at TEXT); DELETE FROM held; INSERT INTO held VALUES (datetime()); COMMIT');
    } catch (err) {
      db.close();
      const busy = (err as { code?: string }).code?.startsWith('SQLITE_BUSY');
      throw busy ? new AppError('conflict', folderInUseMessage(key, readOwner(key))) : err;
    }
    const nonce = randomUUID();
    const owner: Owner = { pid: process.pid, startedAt, host: hostname(), argv: process.argv.slice(1).join(' ').slice(0, 300), nonce };
    writeFileSync(ownerFile(key), JSON.stringify(owner), { mode: 0o600 });
    entry = { db, holders: 0, proof: { folder: key, pid: process.pid, nonce } };
    held.set(key, entry);
  }
  entry.holders++;
  let released = false;
  return {
    folder: key,
    proof: entry.proof,
    release() {
      if (released) return;
      released = true;
      const e = held.get(key);
      if (!e || --e.holders > 0) return;
      held.delete(key);
      e.db.close();
    },
  };
}

/**
 * Works under a lock another thread of this process holds (the main thread, for the core's worker):
 * throws AppError('conflict') unless `folder` is the proof's and its owner file still names this
 * process with the proof's nonce. Releasing it does nothing: the owner releases the folder.
 */
export function adoptDataFolderLock(proof: HeldFolderProof, folder: string): DataFolderLock {
  const key = realpathSync(folder);
  const owner = readOwner(key);
  if (key !== proof.folder || proof.pid !== process.pid || owner?.pid !== process.pid || owner.nonce !== proof.nonce) {
    throw new AppError('conflict', folderInUseMessage(key, owner));
  }
  return { folder: key, proof, release() {} };
}
