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
    const hits = cache.jobs.ids({ text: target.name, showArchived: true });
    expect(hits).toContain(target.id);
    cache.close();
  });

  it('migration 2 keeps the text index in step with inserts, renames, id changes and deletes', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = openCache(join(t.dir, 'c.sqlite'));
    const [a] = syntheticJobs(1, 9);
    cache.jobs.upsert([{ ...a!, id: -1, name: 'Zebra stripes' }]);
    expect(cache.jobs.ids({ text: 'zebra' })).toEqual([-1]);
    cache.jobs.changeId(-1, 77);
    expect(cache.jobs.ids({ text: 'zebra' })).toEqual([77]);
    cache.jobs.upsert([{ ...a!, id: 77, name: 'Okapi' }]);
    expect(cache.jobs.ids({ text: 'zebra' })).toEqual([]);
    expect(cache.jobs.ids({ text: 'okapi' })).toEqual([77]);
    cache.jobs.delete(77);
    expect(cache.jobs.ids({ text: 'okapi' })).toEqual([]);
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
    expect(planOf('SELECT status, at, source, note FROM job_status_history WHERE job_id = ? ORDER BY at, id', 1)).toMatch(
      /USING (COVERING )?INDEX sqlite_autoindex_job_status_history_1 \(job_id=\?\)/,
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
});
