// main/cache/orderBuild.ts on a real cache file: compareSqlValues orders values as SQLite's ORDER BY does (NULL
// first, numbers before text, text by UTF-8 bytes, so characters beyond U+FFFF after U+E000–U+FFFF), and an
// order built in steps equals SQLite's own ORDER BY column, id.
import { afterAll, describe, expect, it } from 'vitest';
import { JobSortColumnSchema, type JobSortColumn } from '#shared/contract';
import { compareSqlValues, startOrderBuild } from '../../../main/cache/orderBuild';
import { SORT_SQL } from '../../../main/cache/jobQuery';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempCache } from './helpers';

const ctx = tempCache();
afterAll(() => ctx.cleanup());

const VALUES: unknown[] = [
  null,
  0,
  -1.5,
  2,
  0.25,
  '',
  'a',
  'A',
  'ab',
  'a\u0000b',
  'Ä',
  'ß',
  '\uE000',
  '\uFFFD',
  '\uFFFF',
  '😀',
  '𐀀',
  'z😀',
  'z\uE000',
  '10',
  '9',
  '2026-03-01T00:00:00.000Z',
  '2026-03-01T00:00:00Z',
];

describe('compareSqlValues', () => {
  it('sorts like SQLite ORDER BY', () => {
    const db = ctx.cache.db;
    db.exec('CREATE TEMP TABLE vals (k INTEGER PRIMARY KEY, v)');
    const insert = db.prepare('INSERT INTO vals (k, v) VALUES (?, ?)');
    VALUES.forEach((v, k) => insert.run(k, v));
    const bySqlite = db.prepare('SELECT k FROM vals ORDER BY v, k').pluck().all() as number[];
    const byUs = VALUES.map((_, k) => k).sort((x, y) => compareSqlValues(VALUES[x], VALUES[y])! || x - y);
    expect(byUs.map((k) => VALUES[k])).toEqual(bySqlite.map((k) => VALUES[k]));
  });

  it('knows equal values, and leaves blobs to SQLite', () => {
    expect(compareSqlValues('x', 'x')).toBe(0);
    expect(compareSqlValues(null, null)).toBe(0);
    expect(compareSqlValues(Buffer.from('a'), 'a')).toBeNull();
  });
});

describe('startOrderBuild', () => {
  /** each column's result with its rows as ids, worked in the smallest steps (a deadline already past) so it resumes everywhere */
  function buildAllInSteps(columns: JobSortColumn[], sliceRows: number): Map<JobSortColumn, number[] | 'sql' | 'alone'> {
    const ids = ctx.cache.db.prepare('SELECT id FROM jobs ORDER BY id').pluck().all() as number[];
    const rowOfId = new Map(ids.map((id, r) => [id, r]));
    const build = startOrderBuild(ctx.cache.db, columns, (id) => rowOfId.get(id) ?? -1, ids.length, sliceRows);
    for (let steps = 0; steps < 1_000_000; steps++) {
      const results = build.step(0);
      if (results === 'more') continue;
      return new Map(
        [...results].map(([column, r]) => [
          column,
          typeof r === 'string' ? r : Array.from(r.rows.subarray(0, r.length), (row) => ids[row]!),
        ]),
      );
    }
    throw new Error('the build never ended');
  }
  const buildInSteps = (column: JobSortColumn, sliceRows: number) => buildAllInSteps([column], sliceRows).get(column);
  const sqlOrder = (column: JobSortColumn) =>
    ctx.cache.db.prepare(`SELECT j.id FROM jobs j ORDER BY ${SORT_SQL[column]}, j.id`).pluck().all() as number[];

  it('gives SQLite’s (column, id) order for every sort column, by merging runs or by counting few values', () => {
    // 6,000 jobs: names and times have more distinct values than are counted (6 runs of 1,024 and 3 merge passes),
    // statuses and logins fewer; ties, nulls, odd text, offline (negative) ids
    const rows = syntheticJobs(6000, 5).map((r, i) => ({
      ...r,
      name: i % 5 === 0 ? String(VALUES[i % VALUES.length] ?? '') : `${r.name} ${i}`,
      reviewer_login: i % 3 === 0 ? null : r.reviewer_login,
      id: i % 97 === 0 ? -i - 1 : r.id,
    }));
    ctx.cache.transaction(() => ctx.cache.jobs.upsert(rows));
    for (const column of JobSortColumnSchema.options) expect(buildInSteps(column, 7), column).toEqual(sqlOrder(column));
    // several from one read: each few-valued one counted; one with many values among them is left to a build of its own
    const together = buildAllInSteps(['status', 'assignedToLogin', 'name', 'reviewerLogin', 'projectName'], 300);
    for (const column of ['status', 'assignedToLogin', 'reviewerLogin', 'projectName'] as const)
      expect(together.get(column), column).toEqual(sqlOrder(column));
    expect(together.get('name')).toBe('alone');
    // numbers and times from one read too, each radix-sorted (a few-valued one among them counted), in steps that
    // end between and inside the columns' passes
    ctx.cache.db
      .prepare('UPDATE jobs SET images_count = 5000 + abs(id) % 4999, finished_images_count = abs(id) % 4001 WHERE id % 3 = 0')
      .run();
    const numeric = ['progress', 'startedAt', 'status', 'finishedAt', 'updatedAt', 'createdAt'] as const;
    expect(ctx.cache.db.prepare('SELECT count(DISTINCT progress) FROM jobs').pluck().get()).toBeGreaterThan(4096); // not counted
    const timesTogether = buildAllInSteps([...numeric], 300);
    for (const column of numeric) expect(timesTogether.get(column), column).toEqual(sqlOrder(column));
    // a text column with nulls and too many values to count is merged from its UTF-8 bytes, nulls first
    ctx.cache.db.prepare("UPDATE jobs SET reviewer_login = CASE WHEN id % 7 = 0 THEN NULL ELSE 'r' || (id * 7919 % 6007) END").run();
    expect(buildInSteps('reviewerLogin', 300)).toEqual(sqlOrder('reviewerLogin'));
    // times of one form are merged as numbers; one of another form (no milliseconds, sorting after '.000Z' as
    // text) sends the build back to read them all as text
    const times =
      (ctx.cache.db.prepare("SELECT count(*) FROM jobs WHERE started_at LIKE '____-__-__T__:__:__.___Z'").pluck().get() as number) > 0;
    expect(times).toBe(true);
    ctx.cache.db.prepare("UPDATE jobs SET started_at = '2026-03-01T00:00:00.000Z' WHERE id % 13 = 0").run();
    ctx.cache.db.prepare("UPDATE jobs SET started_at = '2026-03-01T00:00:00Z' WHERE id % 13 = 1").run();
    for (const slice of [7, 5000]) expect(buildInSteps('startedAt', slice), `slices of ${slice}`).toEqual(sqlOrder('startedAt'));
    // read with others, such a column is left to a build of its own (which reads it as text), the others ordered
    const withOthers = buildAllInSteps(['startedAt', 'finishedAt', 'progress'], 300);
    expect(withOthers.get('startedAt')).toBe('alone');
    for (const column of ['finishedAt', 'progress'] as const) expect(withOthers.get(column), column).toEqual(sqlOrder(column));
    // text beyond U+FFFF (where JavaScript's order and SQLite's differ) takes SQLite's comparison, counted or merged
    for (const column of ['dataset_name', 'name']) {
      ctx.cache.db.prepare(`UPDATE jobs SET ${column} = '😀' || ${column} WHERE id % 4 = 0`).run();
      ctx.cache.db.prepare(`UPDATE jobs SET ${column} = '\uFFFD' || ${column} WHERE id % 4 = 1`).run();
    }
    for (const column of ['datasetName', 'name'] as const) {
      const order = buildInSteps(column, 500);
      expect(order, column).toEqual(sqlOrder(column));
      expect(new Set((order as number[]).slice(-1400).map((id) => ((id % 4) + 4) % 4)), column).toEqual(new Set([0]));
    }
  });

  it('radix-sorts times in steps that stop inside a pass: before 1970, at it, nulls and ties in SQLite’s order', () => {
    // more rows than one look at the clock covers (65,536), so a step ends inside the counting and inside a pass
    const db = ctx.cache.db;
    const columns = (db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
    const copy = columns.map((c) => (c === 'id' ? 'id + ? AS id' : c)).join(', ');
    const insertCopy = db.prepare(`INSERT INTO jobs (${columns.join(', ')}) SELECT ${copy} FROM jobs WHERE id BETWEEN 1 AND 999999`);
    for (let k = 1; k <= 12; k++) insertCopy.run(k * 1_000_000);
    expect(db.prepare('SELECT count(*) FROM jobs').pluck().get()).toBeGreaterThan(70_000);
    // times of one form, so kept as numbers (milliseconds, negative before 1970)
    db.prepare(
      `UPDATE jobs SET started_at = CASE abs(id) % 6 WHEN 0 THEN NULL WHEN 1 THEN '1969-12-31T23:59:59.999Z'
         WHEN 2 THEN '1970-01-01T00:00:00.000Z' WHEN 3 THEN strftime('%Y-%m-%dT%H:%M:%fZ', -2200000000 + abs(id) * 11.5, 'unixepoch')
         ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + abs(id) / 2 * 37.123, 'unixepoch') END`,
    ).run();
    const ids = db.prepare('SELECT id FROM jobs ORDER BY id').pluck().all() as number[];
    const rowOfId = new Map(ids.map((id, r) => [id, r]));
    const build = startOrderBuild(db, ['startedAt'], (id) => rowOfId.get(id) ?? -1, ids.length, 100_000);
    let steps = 1;
    let results = build.step(0);
    for (; results === 'more'; steps++) results = build.step(0);
    const order = results.get('startedAt');
    if (!order || typeof order === 'string') throw new Error(`no order: ${String(order)}`);
    expect(Array.from(order.rows.subarray(0, order.length), (row) => ids[row]!)).toEqual(sqlOrder('startedAt'));
    // a step for the read, two to count, then at least two for each pass that moves rows (the earliest and latest
    // times differ in every digit)
    expect(steps).toBeGreaterThanOrEqual(1 + 2 + 4 * 2);
  });

  it('leaves a column holding blobs to SQLite', () => {
    ctx.cache.db.prepare("UPDATE jobs SET name = x'00ff', project_name = x'01' WHERE id = (SELECT max(id) FROM jobs)").run();
    expect(buildInSteps('name', 100)).toBe('sql');
    const together = buildAllInSteps(['projectName', 'status'], 100);
    expect(together.get('projectName')).toBe('sql');
    expect(together.get('status')).toEqual(sqlOrder('status'));
  });
});
