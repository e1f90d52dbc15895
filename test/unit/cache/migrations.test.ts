// Each migration, and the upgrade of a file made by schema 1 only: it opens, upgrades in place and
// keeps its data.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { openDatabase, schemaVersion } from '../../../main/cache/db';
import { MIGRATIONS } from '../../../main/cache/migrations';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from './helpers';

let cleanup = () => {};
afterEach(() => cleanup());

describe('cache migrations', () => {
  it('migration 1 creates every table with the pragmas set', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = openDatabase(join(t.dir, 'v1.sqlite'), { targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    for (const name of [
      'teams',
      'workspaces',
      'projects',
      'datasets',
      'images',
      'users',
      'memberships',
      'roles',
      'jobs',
      'job_entities',
      'job_status_history',
      'sync_state',
      'outbox',
      'outbox_jobs',
      'kv',
      'watches',
      'presets',
      'thumbnails',
    ]) {
      expect(tables).toContain(name);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables).not.toContain('jobs_text');
    db.close();
  });

  it('a schema-1 file with data upgrades in place to the latest schema and keeps its data', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'old.sqlite');
    const old = openDatabase(file, { targetVersion: 1 });
    const jobs = syntheticJobs(50, 3);
    // written with schema-1 columns only, as the first version of the app would have
    old.transaction(() => {
      for (const { server_fingerprint: _, ...v1 } of jobs) {
        const keys = Object.keys(v1);
        old.prepare(`INSERT INTO jobs (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(v1);
      }
    })();
    old
      .prepare(`INSERT INTO outbox (kind, payload, summary, created_at, updated_at) VALUES ('job.stop', '{"jobId":1}', 'Stop', 'x', 'x')`)
      .run();
    old.close();

    const lines: string[] = [];
    const cache = openCache(file, { log: (l) => lines.push(l) });
    expect(schemaVersion(cache.db)).toBe(MIGRATIONS.length);
    expect(lines.filter((l) => l.includes('migrated to schema')).map((l) => l.split(' in ')[0])).toEqual(
      MIGRATIONS.slice(1).map((_, i) => `cache: migrated to schema ${i + 2}`),
    );
    expect(cache.jobs.count({ showArchived: true })).toBe(50);
    expect(cache.outbox.unfinished()).toHaveLength(1);
    // migration 2 indexed the rows that were already there
    const target = jobs[10]!;
    const hits = Array.from(cache.jobs.sortedIds({ text: target.name, showArchived: true }));
    expect(hits).toContain(target.id);
    cache.close();
  });

  it('migration 2 keeps the text index in step with inserts, renames, id changes and deletes', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = openCache(join(t.dir, 'c.sqlite'));
    const [a] = syntheticJobs(1, 9);
    cache.jobs.upsert([{ ...a!, id: -1, name: 'Zebra stripes' }]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'zebra' }))).toEqual([-1]);
    cache.jobs.changeId(-1, 77);
    expect(Array.from(cache.jobs.sortedIds({ text: 'zebra' }))).toEqual([77]);
    cache.jobs.upsert([{ ...a!, id: 77, name: 'Okapi' }]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'zebra' }))).toEqual([]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'okapi' }))).toEqual([77]);
    cache.jobs.delete(77);
    expect(Array.from(cache.jobs.sortedIds({ text: 'okapi' }))).toEqual([]);
    cache.close();
  });

  it('migration 3 makes the grid query an index-only scan and drops the status index', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = openCache(join(t.dir, 'c.sqlite'));
    const indexes = cache.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'`).pluck().all();
    expect(indexes).not.toContain('jobs_status');
    const plan = cache.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT j.id FROM jobs j WHERE j.removed_at IS NULL AND j.disabled = 0
      AND j.team_id = 1 ORDER BY j.created_at DESC, j.id DESC`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING COVERING INDEX jobs_sort_created_at/);
    cache.close();
  });

  it('migration 4 adds the server fingerprint; rows of older files have none and are rewritten by the next pull', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v3.sqlite');
    const old = openDatabase(file, { targetVersion: 3 });
    old
      .prepare(
        `INSERT INTO jobs (id, name, team_id, workspace_id, project_id, dataset_id, created_by_id, assigned_to_id, created_at, status)
      VALUES (1, 'j', 1, 1, 1, 1, 1, 1, '2026-01-01T00:00:00.000Z', 'pending')`,
      )
      .run();
    old.close();
    const cache = openCache(file);
    expect(cache.jobs.versionsOf([1]).get(1)).toEqual({ status: 'pending', fingerprint: null, fresh: true });
    cache.close();
  });

  it('opening a current file runs nothing', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'c.sqlite');
    openCache(file).close();
    const lines: string[] = [];
    const cache = openCache(file, { log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    cache.close();
    expect(new Database(file).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('migration 5 remembers the server id of each offline-created job and user', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = openCache(join(t.dir, 'c.sqlite'));
    cache.remaps.record('job', -3, 41);
    cache.remaps.record('user', -3, 102);
    expect(cache.remaps.resolve('job', -3)).toBe(41);
    expect(cache.remaps.resolve('user', -3)).toBe(102);
    expect(cache.remaps.resolve('job', -4)).toBe(-4); // not remapped yet
    expect(cache.remaps.resolve('job', 7)).toBe(7);
    expect(() => cache.remaps.record('job', 5, 6)).toThrow(); // only local (negative) ids are remapped
    cache.close();
  });

  it("migration 6 keeps only the indexes the repository's queries use, and the grid reads the same rows", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v5.sqlite');
    const v5 = openDatabase(file, { targetVersion: 5 });
    expect(v5.prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'jobs_sort_%'`).pluck().get()).toBe(12);
    v5.close();
    const seeded = openCache(file);
    expect(schemaVersion(seeded.db)).toBe(MIGRATIONS.length);
    seeded.transaction(() => seeded.jobs.upsert(syntheticJobs(400, 4)));
    seeded.db.exec('ANALYZE');
    const indexes = seeded.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).pluck().all();
    expect(indexes.filter((n) => String(n).startsWith('jobs_sort_'))).toEqual(['jobs_sort_created_at']);
    expect(indexes).not.toContain('history_job');
    const planOf = (sql: string, ...params: unknown[]) =>
      (seeded.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join(' | ');
    expect(planOf(`SELECT j.id FROM jobs j WHERE j.removed_at IS NULL AND j.disabled = 0 ORDER BY j.created_at DESC, j.id DESC`)).toBe(
      'SCAN j USING COVERING INDEX jobs_sort_created_at',
    );
    for (const column of ['created_by_id', 'assigned_to_id', 'reviewer_id', 'project_id', 'dataset_id']) {
      expect(planOf(`SELECT j.id FROM jobs j WHERE j.removed_at IS NULL AND j.${column} IN (?) ORDER BY j.name`, 1)).toMatch(
        /SEARCH j USING INDEX/,
      );
    }
    expect(planOf('SELECT status, at, source, note FROM job_status_history WHERE job_id = ? ORDER BY at, status, source', 1)).toMatch(
      /USING (PRIMARY KEY|(COVERING )?INDEX sqlite_autoindex_job_status_history_1) \(job_id=\?\)/,
    );
    expect(seeded.jobs.query({}, { column: 'name', direction: 'asc' }, 0, 3).rows.map((r) => r.name)).toEqual(
      syntheticJobs(400, 4)
        .filter((r) => r.disabled === 0)
        .map((r) => r.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, 3),
    );
    seeded.close();
  });

  it('migration 7 rebuilds a schema-6 file in place: multi-dataset jobs lose their bogus dataset 0, nothing else is lost', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v6.sqlite');
    const v6 = openDatabase(file, { targetVersion: 6 });
    const jobs = syntheticJobs(30, 11).map((r, i) => (i === 4 ? { ...r, dataset_id: 0, dataset_name: '' } : r));
    v6.transaction(() => {
      const keys = Object.keys(jobs[0]!);
      const insert = v6.prepare(`INSERT INTO jobs (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`);
      for (const r of jobs) insert.run(r);
      v6.prepare(`INSERT INTO job_entities VALUES (1, 500, 'a.jpg', 'none'), (1, 501, 'b.jpg', 'done'), (5, 502, 'c.jpg', 'none')`).run();
      v6.prepare('UPDATE jobs SET entities_fetched = 1, stale = 1 WHERE id IN (1, 5)').run();
      v6.prepare(
        `INSERT INTO job_status_history (job_id, status, at, source, note) VALUES
        (5, 'pending', '2026-01-01T00:00:00.000Z', 'server_timestamp', 'created'),
        (5, 'in_progress', '2026-01-02T00:00:00.000Z', 'sync_observed', 'was pending')`,
      ).run();
    })();
    v6.close();

    const lines: string[] = [];
    const cache = openCache(file, { log: (l) => lines.push(l) });
    expect(lines.map((l) => l.split(' in ')[0])).toContain('cache: migrated to schema 7');
    expect(cache.jobs.count({ showArchived: true })).toBe(30);
    expect(cache.jobs.get(5)).toMatchObject({ dataset_id: null, dataset_name: '', entities_fetched: 1, stale: 1 });
    expect(cache.jobs.row(5)!.datasetId).toBeNull();
    expect(cache.jobs.get(6)!.dataset_id).toBe(jobs[5]!.dataset_id);
    // the table was dropped with foreign keys off: the entities hanging off it are still there, and keys are on again
    expect(cache.jobs.entities(1)!.map((e) => e.id)).toEqual([501, 500]);
    expect(cache.jobs.entities(5)).toHaveLength(1);
    expect(cache.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(cache.history.forJob(5).map((h) => h.status)).toEqual(['pending', 'in_progress']);
    // the text index was built again from the rows
    expect(Array.from(cache.jobs.sortedIds({ text: jobs[20]!.name.toUpperCase(), showArchived: true }))).toEqual([21]);
    // a job over several datasets is no longer listed under a dataset 0, and a dataset filter still works
    expect(Array.from(cache.jobs.sortedIds({ datasetId: [0], showArchived: true }))).toEqual([]);
    expect(Array.from(cache.jobs.sortedIds({ datasetId: [jobs[5]!.dataset_id!], showArchived: true }))).toContain(6);
    cache.jobs.delete(1);
    expect(cache.jobs.entities(1)).toBeNull();
    expect(cache.db.prepare('SELECT count(*) FROM job_entities WHERE job_id = 1').pluck().get()).toBe(0);
    cache.close();
  });

  it('migration 7: a text search matches the substring itself, not rows that merely hold its trigrams', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = openCache(join(t.dir, 'c.sqlite'), { textIndex: { quietMs: 0 } });
    const [a, b, c] = syntheticJobs(3, 12);
    cache.jobs.upsert([
      { ...a!, id: 1, name: 'Kiwi and lemon', description: '' },
      // every trigram of "kiwi and" (kiw, i a, and) is here, but not the text
      { ...b!, id: 2, name: 'kiwi i a and', description: '' },
      // split over the two fields: no match either
      { ...c!, id: 3, name: 'kiwi', description: 'and more', disabled: 0 },
    ]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'KIWI AND', showArchived: true }))).toEqual([1]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'wi and lem', showArchived: true }))).toEqual([1]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'and more', showArchived: true }))).toEqual([3]);
    expect(Array.from(cache.jobs.sortedIds({ text: '"quoted"', showArchived: true }))).toEqual([]);
    // renames, id changes and deletes keep the index equal to the rows (FTS5 checks it against the table)
    cache.jobs.upsert([{ ...a!, id: -5, name: 'Local okapi', description: 'zebra' }]);
    cache.jobs.changeId(-5, 40);
    cache.jobs.upsert([{ ...a!, id: 1, name: 'Lime and kiwi', description: '' }]);
    cache.jobs.delete(2);
    await cache.jobs.textIndexCaughtUp(); // since schema 9 written rows are indexed after the writes
    cache.db.exec(`INSERT INTO jobs_text(jobs_text, rank) VALUES ('integrity-check', 1)`);
    expect(Array.from(cache.jobs.sortedIds({ text: 'okapi', showArchived: true }))).toEqual([40]);
    expect(Array.from(cache.jobs.sortedIds({ text: 'kiwi and', showArchived: true }))).toEqual([]);
    cache.close();
  });

  it('migration 9 leaves a schema-8 file fully indexed, and its rows go through the index on their next write', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v8.sqlite');
    const v8 = openDatabase(file, { targetVersion: 8 });
    const jobs = syntheticJobs(40, 13);
    v8.transaction(() => {
      const keys = Object.keys(jobs[0]!);
      const insert = v8.prepare(`INSERT INTO jobs (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`);
      for (const r of jobs) insert.run({ ...r, name: r.id === 3 ? 'Okapi three' : r.name });
    })();
    v8.close();

    const lines: string[] = [];
    const cache = openCache(file, { log: (l) => lines.push(l), textIndex: { manual: true } });
    expect(lines.map((l) => l.split(' in ')[0])).toContain('cache: migrated to schema 9');
    expect(cache.jobs.textIndexPending()).toBe(0); // schema 8 indexed every row as it was written
    cache.db.exec(`INSERT INTO jobs_text(jobs_text, rank) VALUES ('integrity-check', 1)`);
    expect(Array.from(cache.jobs.sortedIds({ text: 'okapi', showArchived: true }))).toEqual([3]);
    // rows indexed by schema 8: a delete and a rename take them out of the index (the rename is indexed again later)
    cache.jobs.delete(3);
    cache.jobs.upsert([{ ...jobs[4]!, name: 'Okapi five', server_fingerprint: 'renamed' }]);
    expect(cache.jobs.textIndexPending()).toBe(1);
    expect(Array.from(cache.jobs.sortedIds({ text: 'okapi', showArchived: true }))).toEqual([5]);
    await cache.jobs.textIndexCaughtUp();
    expect(cache.jobs.textIndexPending()).toBe(0);
    cache.db.exec(`INSERT INTO jobs_text(jobs_text, rank) VALUES ('integrity-check', 1)`);
    expect(Array.from(cache.jobs.sortedIds({ text: 'okapi', showArchived: true }))).toEqual([5]);
    cache.close();
  });
  it('migration 11 finds a batch’s changes of a state in an index; 12 counts them by triggers, filled from a schema-10 file', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v10.sqlite');
    const v10 = openDatabase(file, { targetVersion: 10 });
    const insert = v10.prepare(`INSERT INTO outbox (kind, payload, summary, batch_id, state, created_at, updated_at)
      VALUES ('job.stop', '{"jobId":1}', 's', ?, ?, 'now', 'now')`);
    v10.transaction(() => {
      for (const state of ['done', 'done', 'failed', 'conflict', 'needs_checking', 'pending', 'sending']) insert.run('b1', state);
      insert.run('b2', 'pending');
      insert.run(null, 'failed');
    })();
    v10.close();

    const lines: string[] = [];
    const cache = openCache(file, { log: (l) => lines.push(l) });
    expect(lines.map((l) => l.split(' in ')[0])).toEqual(
      expect.arrayContaining(['cache: migrated to schema 11', 'cache: migrated to schema 12']),
    );
    expect(cache.outbox.batchProgress('b1')).toEqual({ total: 7, done: 2, failed: 3 });
    expect(cache.outbox.batchProgress('b2')).toEqual({ total: 1, done: 0, failed: 0 });
    expect(cache.outbox.counts()).toEqual({ pending: 3, problems: 4 });
    expect(cache.outbox.pendingIds('b1')).toHaveLength(1);
    const plan = cache.db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE batch_id = ? AND state = 'pending' ORDER BY id`)
      .all('b1') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING COVERING INDEX outbox_batch_state/);
    cache.close();
  });
});
