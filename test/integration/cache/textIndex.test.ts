// The text index brought up to date after writes (main/cache/textIndex.ts, schema 9) on a real cache file:
// a search gives what a plain substring scan of the rows gives before, during and after the catch-up, across
// every kind of write to rows still pending and rows already indexed; after it, FTS5 finds its index equal to
// the rows; a catch-up cut short by closing the file ends at the next open with the same result.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCache, type Cache, type JobRecord } from '../../../main/cache';
import { whereForFilter } from '../../../main/cache/jobQuery';
import { createTextIndexCatchUp } from '../../../main/cache/textIndex';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../support';

let cleanup = () => {};
afterEach(() => cleanup());

/** texts of 3+ characters go through the trigram index; 'fi' is the LIKE path */
const NEEDLES = ['kiwi', 'LEM', 'kiwi_pe', 'carefully', 'okapi', 'zebra', 'renamed', 'äpf', 'job_1', '_job_5', 'fi', 'nothing like it'];

const open = (file: string, textIndex: NonNullable<Parameters<typeof openCache>[1]>['textIndex']) => openCache(file, { textIndex });

function jobs(): JobRecord[] {
  const out = syntheticJobs(600, 21).map((r, i) =>
    i % 50 === 0 ? { ...r, name: `Äpfel okapi ${i}` } : i % 77 === 0 ? { ...r, description: `zebra crossing ${i}` } : r,
  );
  // made offline: the lowest ids, so the first chunks index them
  for (let k = 1; k <= 10; k++) out.push({ ...out[k]!, id: -k, local: 1, name: `offline kiwi ${k}` });
  return out;
}

/** every search answers what a scan of the rows' name and description answers (case-insensitively) */
function expectExactSearch(cache: Cache): void {
  const rows = cache.db.prepare('SELECT id, name, description FROM jobs WHERE removed_at IS NULL ORDER BY id').all() as {
    id: number;
    name: string;
    description: string;
  }[];
  for (const needle of NEEDLES) {
    const text = needle.toLowerCase();
    const expected = rows.filter((r) => r.name.toLowerCase().includes(text) || r.description.toLowerCase().includes(text)).map((r) => r.id);
    const filter = { text: needle, showArchived: true };
    expect(cache.jobs.sqlOrderedIds(filter, { column: 'id', direction: 'asc' }), needle).toEqual(expected);
    expect(cache.jobs.count(filter), needle).toBe(expected.length);
  }
}

/** FTS5 compares its index with the rows of the content table: it fails on any row missing, extra or different */
const integrityCheck = (cache: Cache) => cache.db.exec(`INSERT INTO jobs_text(jobs_text, rank) VALUES ('integrity-check', 1)`);

describe('text index catch-up', () => {
  it('searches stay exact before, during and after the catch-up, across writes of pending and indexed rows', async () => {
    const t = tempDir('ljd-textidx-');
    cleanup = t.cleanup;
    const cache = open(join(t.dir, 'c.sqlite'), { manual: true, maxChunk: 50, quietMs: 0 });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all = jobs();
    cache.transaction(() => cache.jobs.upsert(all));
    expect(cache.jobs.textIndexPending()).toBe(all.length); // a write indexes nothing
    expectExactSearch(cache);

    for (let i = 0; i < 4; i++) expect(cache.jobs.textIndexStep()).toBe(true);
    expect(cache.jobs.textIndexPending()).toBe(all.length - 200); // ids -10..189 are indexed, the rest pending
    expectExactSearch(cache);

    const byId = new Map(all.map((r) => [r.id, r]));
    const row = (id: number) => byId.get(id)!;
    cache.transaction(() => {
      // renames and new descriptions of indexed (5, 6) and pending (400, 401) rows
      cache.jobs.upsert([
        { ...row(5), name: 'renamed indexed', server_fingerprint: 'x1' },
        { ...row(6), description: 'renamed description of an indexed one', server_fingerprint: 'x2' },
        { ...row(400), name: 'renamed pending', server_fingerprint: 'x3' },
        { ...row(401), description: 'a zebra, renamed while pending', server_fingerprint: 'x4' },
      ]);
      // deletes of an indexed and a pending row
      cache.jobs.delete(7);
      cache.jobs.delete(402);
      // id changes: indexed local → free server id; a new (pending) local one → free server id;
      // indexed local → the id of a pending row (which goes first), pending local → the id of an indexed row
      cache.jobs.changeId(-1, 5001);
      cache.jobs.upsert([{ ...row(10), id: -100, local: 1, name: 'okapi made offline' }]);
      cache.jobs.changeId(-100, 5002);
      cache.jobs.changeId(-2, 403);
      cache.jobs.upsert([{ ...row(11), id: -101, local: 1, name: 'zebra made offline' }]);
      cache.jobs.changeId(-101, 8);
      // a removal from the server and an optimistic patch: neither touches the text
      cache.jobs.patch(9, { status: 'stopped' });
      cache.jobs.patch(404, { removed_at: '2026-05-01T00:00:00.000Z' });
    });
    expectExactSearch(cache);

    // the grid's structure asks SQLite with the same SQL: it answers the same ids
    await cache.jobs.sortIndexReady();
    const indexed = Array.from(cache.jobs.sortedIds({ text: 'okapi', showArchived: true }));
    expect(indexed).toEqual(cache.jobs.sqlOrderedIds({ text: 'okapi', showArchived: true }, { column: 'id', direction: 'asc' }));
    expect(indexed).toEqual(expect.arrayContaining([5002]));

    for (let i = 0; i < 3; i++) cache.jobs.textIndexStep();
    expectExactSearch(cache);

    const generation = cache.jobs.generation();
    await cache.jobs.textIndexCaughtUp();
    expect(cache.jobs.textIndexPending()).toBe(0);
    expect(cache.jobs.generation()).toBe(generation); // the catch-up changes no job: the grid's kept lists stay valid
    expectExactSearch(cache);
    integrityCheck(cache);
  });

  it('deletes, renames and id changes of rows never indexed leave the index equal to the rows', async () => {
    const t = tempDir('ljd-textidx-');
    const cache = open(join(t.dir, 'c.sqlite'), { manual: true, quietMs: 0 });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const [a, b, c, d] = syntheticJobs(4, 3);
    cache.transaction(() => cache.jobs.upsert([a!, b!, c!, { ...d!, id: -4, local: 1 }]));
    // all four pending: an FTS5 'delete' of any of them would remove tokens the index never held
    cache.jobs.delete(a!.id);
    cache.jobs.upsert([{ ...b!, name: 'okapi', server_fingerprint: 'other' }]);
    cache.jobs.changeId(-4, 40);
    await cache.jobs.textIndexCaughtUp();
    integrityCheck(cache);
    expectExactSearch(cache);
    // and once indexed, the same writes go through the index
    cache.jobs.delete(c!.id);
    cache.jobs.upsert([{ ...b!, name: 'zebra', server_fingerprint: 'third' }]);
    cache.jobs.changeId(40, 41);
    expect(cache.jobs.textIndexPending()).toBe(2); // the renamed and the renumbered rows
    await cache.jobs.textIndexCaughtUp();
    integrityCheck(cache);
    expectExactSearch(cache);
  });

  it('a catch-up cut short by closing the file ends at the next open, with the same result', async () => {
    const t = tempDir('ljd-textidx-');
    const file = join(t.dir, 'c.sqlite');
    let cache = open(file, { manual: true, maxChunk: 100 });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all = jobs();
    cache.transaction(() => cache.jobs.upsert(all));
    for (let i = 0; i < 3; i++) cache.jobs.textIndexStep();
    const left = cache.jobs.textIndexPending();
    expect(left).toBeLessThan(all.length);
    cache.close();

    cache = open(file, { quietMs: 0 });
    expect(cache.jobs.textIndexPending()).toBe(left);
    expectExactSearch(cache);
    // nothing written: the catch-up starts with the open
    await vi.waitFor(() => expect(cache.jobs.textIndexPending()).toBe(0), { timeout: 5000 });
    integrityCheck(cache); // a row indexed twice would fail it too
    expectExactSearch(cache);
  });

  it('a process killed mid-way through the catch-up loses nothing: the next open indexes the rest, none twice', async () => {
    const t = tempDir('ljd-textidx-');
    const file = join(t.dir, 'c.sqlite');
    let cache = open(file, { manual: true });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all = jobs();
    cache.transaction(() => cache.jobs.upsert(all));
    cache.close();
    // node itself with tsx's loader, so the kill reaches the process doing the work
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../fixtures/textIndexChild.ts'), file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const killedAt = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const left = String(d).trim().split('\n').map(Number).pop()!;
        if (left <= all.length / 2) {
          child.kill('SIGKILL'); // somewhere in a step or between two: its transaction is whole or not there
          resolve(left);
        }
      });
      child.once('exit', (code) => reject(new Error(`the child ended (${code}) before the kill: ${stderr}`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));

    cache = open(file, { manual: true, quietMs: 0 });
    const left = cache.jobs.textIndexPending();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(killedAt);
    expectExactSearch(cache);
    await cache.jobs.textIndexCaughtUp();
    expect(cache.jobs.textIndexPending()).toBe(0);
    integrityCheck(cache); // a row indexed twice, or one lost, would fail it
    expectExactSearch(cache);
  }, 30_000);

  it('the catch-up starts once writes pause, and steps stay short', async () => {
    const t = tempDir('ljd-textidx-');
    const cache = open(join(t.dir, 'c.sqlite'), { quietMs: 1000, maxChunk: 200 });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all = syntheticJobs(5000, 8);
    for (let i = 0; i < all.length; i += 500) {
      cache.transaction(() => cache.jobs.upsert(all.slice(i, i + 500)));
      await new Promise((resolve) => setTimeout(resolve, 5)); // a pull between pages: no pause long enough
    }
    expect(cache.jobs.textIndexPending()).toBe(all.length);
    await cache.jobs.textIndexCaughtUp();
    expect(cache.jobs.textIndexPending()).toBe(0);
    expect(cache.jobs.textIndexLongestStepMs()).toBeLessThan(40);
    integrityCheck(cache);
    // FTS5 merges nothing at commit (schema 9): the catch-up merged the 25+ segments its chunks wrote, so that no
    // level is left holding 4 (a 'merge' finds nothing to do: total_changes() moves by less than 2)
    const changes = () => cache.db.prepare('SELECT total_changes()').pluck().get() as number;
    const before = changes();
    cache.db.exec(`INSERT INTO jobs_text(jobs_text, rank) VALUES ('merge', 1000)`);
    expect(changes() - before).toBeLessThan(2);
  });

  it('waits while the grid’s structure reads its rows and builds its orders, then catches up', async () => {
    const t = tempDir('ljd-textidx-');
    const lines: string[] = [];
    const cache = openCache(join(t.dir, 'c.sqlite'), { log: (line) => lines.push(line), textIndex: { quietMs: 20 } });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    cache.transaction(() => cache.jobs.upsert(syntheticJobs(20_000, 10)));
    // the grid's first window starts the structure's reads and builds, right after the write
    cache.jobs.query({ showArchived: true }, { column: 'createdAt', direction: 'desc' }, 0, 100);
    await Promise.all([cache.jobs.textIndexCaughtUp(), cache.jobs.sortIndexOrdersBuilt()]);
    expect(cache.jobs.textIndexPending()).toBe(0);
    const indexedAt = lines.findIndex((l) => l.startsWith('textIndex: 20000 jobs indexed'));
    const built = lines.filter((l) => /^sortIndex: order by \w+ of 20000 jobs built in the background/.test(l));
    expect(built.length, lines.join('\n')).toBeGreaterThanOrEqual(10);
    expect(indexedAt, lines.join('\n')).toBeGreaterThan(lines.indexOf(built[built.length - 1]!));
    integrityCheck(cache);
  });

  it('keeps to the pace it is given between steps (while the grid reads, a fifth of the time)', async () => {
    const t = tempDir('ljd-textidx-');
    const cache = open(join(t.dir, 'c.sqlite'), { manual: true });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    cache.transaction(() => cache.jobs.upsert(syntheticJobs(2000, 11)));
    // a catch-up of its own on the same file, in steps of at most 100 jobs, 40 ms apart
    const catchUp = createTextIndexCatchUp(cache.db, { quietMs: 0, maxChunk: 100, pace: () => 40 });
    catchUp.wrote();
    await new Promise((resolve) => setTimeout(resolve, 150));
    // at most a step at once and one per 40 ms since: unpaced, the 20 steps take ~40 ms here
    expect(catchUp.pending()).toBeGreaterThan(0);
    expect(catchUp.pending()).toBeGreaterThanOrEqual(2000 - 5 * 100);
    await catchUp.caughtUp();
    expect(catchUp.pending()).toBe(0);
    integrityCheck(cache);
  });

  it('after a write, the next catch-up starts again from small chunks: the rows it learned its pace on were others', () => {
    const t = tempDir('ljd-textidx-');
    const cache = open(join(t.dir, 'c.sqlite'), { manual: true });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all = syntheticJobs(8000, 12);
    cache.transaction(() => cache.jobs.upsert(all));
    // a target no chunk reaches: each chunk takes twice the rows of the one before, up to 4,000
    const catchUp = createTextIndexCatchUp(cache.db, { manual: true, targetMs: 60_000, maxChunk: 4000 });
    const chunks: number[] = [];
    const indexed = () => {
      const before = catchUp.pending();
      while (catchUp.pending() === before && catchUp.step()); // merge steps index nothing
      return before - catchUp.pending();
    };
    while (catchUp.pending() > 0) chunks.push(indexed());
    expect(Math.max(...chunks)).toBe(3200);
    // 3,000 jobs across the table renamed (a bulk change): on a big cache each such row costs ~10x a pulled one
    cache.transaction(() => cache.jobs.upsert(all.filter((_, i) => i % 3 === 0).map((r) => ({ ...r, name: `${r.name} renamed` }))));
    catchUp.wrote();
    expect(catchUp.pending()).toBeGreaterThan(2600);
    expect(indexed()).toBe(50);
    expect(indexed()).toBe(100);
    while (catchUp.step());
    integrityCheck(cache);
  });

  it('a write transaction longer than the pause the catch-up waits for does not count as a pause', async () => {
    const t = tempDir('ljd-textidx-');
    const cache = open(join(t.dir, 'c.sqlite'), { quietMs: 100 });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all = syntheticJobs(300, 9);
    for (let i = 0; i < all.length; i += 100) {
      cache.transaction(() => {
        cache.jobs.upsert(all.slice(i, i + 100));
        const until = performance.now() + 150; // a slow page of a pull (a big cache, a busy machine)
        while (performance.now() < until);
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(cache.jobs.textIndexPending()).toBe(all.length);
    await cache.jobs.textIndexCaughtUp();
    expect(cache.jobs.textIndexPending()).toBe(0);
  });

  it('with nothing pending a search reads the index, not every job', () => {
    const t = tempDir('ljd-textidx-');
    const cache = open(join(t.dir, 'c.sqlite'), { manual: true });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    cache.transaction(() => cache.jobs.upsert(syntheticJobs(2000, 4)));
    cache.db.exec('ANALYZE'); // statistics taken while all 2,000 are pending
    while (cache.jobs.textIndexStep());
    const plans = ['kiwi', 'kiwi_lem'].flatMap((text) => {
      const where = whereForFilter({ text });
      return [
        `SELECT j.id FROM jobs j WHERE ${where.sql} ORDER BY j.created_at DESC, j.id DESC`,
        `SELECT count(*) FROM jobs j WHERE ${where.sql}`,
        `SELECT j.id FROM jobs j WHERE j.team_id = 1 AND ${where.sql} ORDER BY j.name`,
      ].map((sql) =>
        (cache.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...where.params) as { detail: string }[]).map((p) => p.detail).join(' | '),
      );
    });
    for (const plan of plans) {
      expect(plan).toMatch(/^SEARCH j USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(plan).not.toMatch(/SCAN j\b/);
    }
  });
});
