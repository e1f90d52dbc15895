// A thread with its own connection to the cache file (main/cache/fileThread.ts) on a real SQLite file: it answers
// from a thread other than this one, one request at a time, reports a job's error, and once ended in the middle of a
// write transaction (the cache closing) leaves nothing of it and no lock behind; closed at any moment of its start, it
// does not take the process down.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../main/cache/db';
import { fileThread } from '../../../main/cache/fileThread';
import { tempDir } from './helpers';

let cleanup = () => {};
afterEach(() => cleanup());

function freshFile() {
  const t = tempDir();
  const file = join(t.dir, 'c.sqlite');
  const db = openDatabase(file);
  return { file, db, t };
}

describe('file thread', () => {
  it('runs its job on a connection of its own in another thread, one request at a time, and reports its errors', async () => {
    const { file, db, t } = freshFile();
    const thread = fileThread<string, { count: number }>(
      file,
      `(db, key) => {
        if (key === 'boom') throw new Error('the job failed');
        db.prepare("INSERT INTO kv (key, value) VALUES (?, 'from the thread')").run(key);
        return { count: db.prepare('SELECT count(*) FROM kv').pluck().get() };
      }`,
      'a test job',
    );
    cleanup = () => {
      thread.close();
      db.close();
      t.cleanup();
    };
    const first = thread.run('a');
    await expect(thread.run('b')).rejects.toThrow('a test job is already running');
    const answer = await first;
    expect(answer.count).toBe(1);
    expect(answer.thread).not.toBe(threadId);
    expect(answer.ms).toBeGreaterThanOrEqual(0);
    expect(db.prepare('SELECT value FROM kv WHERE key = ?').pluck().get('a')).toBe('from the thread');
    await expect(thread.run('boom')).rejects.toThrow('the job failed');
    expect((await thread.run('c')).thread).toBe(answer.thread); // the same thread, kept
  });

  it('ended in the middle of a write transaction, it leaves nothing of it and no lock behind', async () => {
    const { file, db, t } = freshFile();
    const thread = fileThread<void, Record<string, never>>(
      file,
      `(db) => {
        db.exec('BEGIN IMMEDIATE');
        db.prepare("INSERT INTO kv (key, value) VALUES ('half', 'done')").run();
        const until = Date.now() + 20000;
        while (Date.now() < until);
        db.exec('COMMIT');
        return {};
      }`,
      'a long write',
    );
    cleanup = () => {
      thread.close();
      db.close();
      t.cleanup();
    };
    const step = thread.run();
    db.pragma('busy_timeout = 0');
    const write = () => db.prepare("INSERT OR REPLACE INTO kv (key, value) VALUES ('here', 'x')").run();
    await vi.waitFor(() => expect(write).toThrow(/locked|busy/i), { timeout: 5000 }); // the thread holds the lock
    thread.close();
    await expect(step).rejects.toThrow('the cache closed during a long write');
    db.pragma('busy_timeout = 2000');
    await vi.waitFor(() => expect(write).not.toThrow(), { timeout: 3000 });
    expect(db.prepare("SELECT count(*) FROM kv WHERE key = 'half'").pluck().get()).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
  it('closed at any moment of its start, while it loads the SQLite driver too, it leaves the process running', () => {
    const { file, db, t } = freshFile();
    cleanup = () => {
      db.close();
      t.cleanup();
    };
    // a process of its own: the abort took the whole process down (a test runner's worker in CI)
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../fixtures/fileThreadCloseChild.ts'), file],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(child.stderr).not.toMatch(/FATAL ERROR/);
    expect({ status: child.status, stdout: child.stdout }).toEqual({ status: 0, stdout: 'survived\n' });
  }, 90_000);
});
