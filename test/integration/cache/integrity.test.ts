// A cache that heals (issue 13.7), on real damaged files: truncated, a damaged header, damage in the
// middle — each moved aside (named), its readable queued changes copied into the fresh cache as
// pending, the user told what was lost; a newer schema refused and left alone; a read-only folder
// named with its remedy; and the core rebuilding a damaged cache from the server.
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache, openCheckedCache } from '../../../main/cache';
import { createCore } from '../../../main/core';
import type { DataFileProblem } from '../../../main/files/broken-files';
import { inReadOnlyFolder } from '../settings/unprivileged';
import { startServer, tempDir, waitFor } from '../support';

const t = tempDir('ljd-integrity-');
afterAll(() => t.cleanup());
let counter = 0;

/** A cache file with 3 queued changes (one done) and ~4 MB of other rows after them. */
function cacheWithQueue(): { dir: string; file: string } {
  const dir = join(t.dir, `case-${++counter}`);
  mkdirSync(dir);
  const file = join(dir, 'cache-override.sqlite');
  const cache = openCache(file);
  const at = new Date().toISOString();
  for (const id of [1, 2, 3]) {
    cache.outbox.enqueue({ kind: 'jobs.stop', payload: { ids: [id] }, summary: `Stop job ${id}`, batchId: null, jobIds: [id] }, at);
  }
  cache.outbox.markDone(3, null, at);
  const put = cache.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
  cache.transaction(() => {
    for (let i = 0; i < 4000; i++) put.run(`filler-${i}`, 'x'.repeat(1000));
  });
  cache.close();
  return { dir, file };
}

function overwrite(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(length, 0x5a), 0, length, offset);
  closeSync(fd);
}

async function heal(file: string) {
  const problems: DataFileProblem[] = [];
  const cache = await openCheckedCache(file, { report: (p) => problems.push(p) });
  const queued = cache.outbox
    .unfinished()
    .map((m) => ({ id: m.id, state: m.state, summary: m.summary, jobIds: cache.outbox.jobIds(m.id) }));
  const counts = cache.outbox.counts(); // kept by triggers: the rescued items are counted too
  cache.close();
  return { problems, queued, counts };
}

describe('opening a damaged cache', () => {
  const damages: [string, (file: string) => void][] = [
    ['truncated', (file) => truncateSync(file, Math.floor(statSync(file).size / 2))],
    ['a damaged header', (file) => overwrite(file, 0, 100)],
    ['damage in the middle', (file) => overwrite(file, Math.floor(statSync(file).size * 0.6), 64 * 1024)],
  ];
  for (const [name, damage] of damages) {
    it(`${name}: moves it aside, keeps the readable queue as pending, and says what was lost`, async () => {
      const { dir, file } = cacheWithQueue();
      damage(file);
      const { problems, queued, counts } = await heal(file);
      expect(counts).toEqual({ pending: queued.length, problems: 0 });
      expect(problems).toHaveLength(1);
      const problem = problems[0]!;
      expect(problem.file).toBe(file);
      expect(problem.keptAs).toMatch(/cache-override\.sqlite\.broken-/);
      expect(problem.message).toContain(problem.keptAs);
      expect(existsSync(problem.keptAs!)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.startsWith('cache-override.sqlite.broken-') && !/-(wal|shm)$/.test(f))).toHaveLength(1);
      if (name === 'a damaged header') {
        // nothing can be read from such a file: the user is told the queue is lost
        expect(queued).toEqual([]);
        expect(problem.message).toMatch(/queue of offline changes could not be read/);
      } else {
        expect(queued).toEqual([
          { id: 1, state: 'pending', summary: 'Stop job 1', jobIds: [1] },
          { id: 2, state: 'pending', summary: 'Stop job 2', jobIds: [2] },
        ]);
        expect(problem.message).toMatch(/2 queued changes were rescued/);
      }
      // the fresh file is a working, healthy cache
      expect((await heal(file)).problems).toEqual([]);
    }, 30_000);
  }

  it('bounds the check in time: past the limit the file is opened unchecked, not called damaged', async () => {
    const { file } = cacheWithQueue();
    const logs: string[] = [];
    const problems: DataFileProblem[] = [];
    const cache = await openCheckedCache(file, { report: (p) => problems.push(p), log: (line) => logs.push(line), timeoutMs: 1 });
    expect(cache.outbox.unfinished()).toHaveLength(2);
    cache.close();
    expect(problems).toEqual([]);
    expect(logs.join('\n')).toMatch(/did not finish in time/);
  });

  it('refuses a cache written by a newer schema, and leaves it untouched', async () => {
    const { file } = cacheWithQueue();
    const cache = openCache(file);
    cache.db.pragma('user_version = 99');
    cache.close();
    const before = readFileSync(file);
    await expect(heal(file)).rejects.toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')} was written by a newer version.*schema 99`));
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('names a read-only folder and the remedy', () => {
    const { dir } = cacheWithQueue();
    const seen = inReadOnlyFolder<{ openError: string | null }>('cache', dir);
    expect(seen.openError).toContain(`The data folder ${dir} is read-only`);
    expect(seen.openError).toMatch(/chmod u\+w|LJD_DATA_DIR/);
  }, 30_000);
});

describe('the core on a damaged cache', () => {
  it('rebuilds it from the server and tells the user, naming the file', async () => {
    const { dir, file } = cacheWithQueue();
    overwrite(file, Math.floor(statSync(file).size * 0.6), 64 * 1024);
    const server = await startServer(dir);
    const profileOverride = { serverAddress: server.url, apiToken: server.adminToken };
    const core = createCore({ dataDir: dir, homeDir: dir, syncIntervalSec: 3600, profileOverride });
    try {
      await core.start();
      const settings = await core.handlers['settings.get']({});
      const named = expect.objectContaining({ file, message: expect.stringContaining('cache-override.sqlite') });
      expect(settings.dataFileProblems).toEqual([named]);
      await waitFor('jobs pulled again', async () => (await core.handlers['sync.state']({})).lastSyncAt);
      const members = await core.handlers['users.members']({ teamId: 8 });
      expect(members.some((m) => m.login === 'my_username')).toBe(true);
      expect((await core.handlers['outbox.list']({ limit: 50 })).map((i) => i.summary).sort()).toEqual(['Stop job 1', 'Stop job 2']);
    } finally {
      await core.close();
      await server.close();
    }
  }, 60_000);
});
