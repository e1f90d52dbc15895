// The in-memory filter and sort structure (main/cache/sortIndex.ts) against SQLite's own answer on a real
// cache file: every filter x every sort column x both directions gives the same ids in the same order
// (ties by id) and the same count, on a fresh cache and after each kind of write the structure must follow.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JobSortColumnSchema, type JobFilter, type JobSort } from '#shared/contract';
import { openCache, type Cache, type JobRecord } from '../../../main/cache';
import { whereForFilter } from '../../../main/cache/jobQuery';
import { createSortIndex } from '../../../main/cache/sortIndex';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../support';

// names SQLite orders by bytes (UTF-8), ties, empty text, a character above the surrogates and one beyond them
const ODD_NAMES = ['', 'a', 'a', 'A', 'Ä', 'Z', '\uE000 private', '😀 smile', 'ß', 'kiwi_kiwi', 'kiwi_kiwi', '10', '9'];

function records(): JobRecord[] {
  const out = syntheticJobs(2500, 11).map((r, i) => ({
    ...r,
    name: i % 7 === 0 ? ODD_NAMES[i % ODD_NAMES.length]! : r.name,
    labeling_queue_id: i % 5 === 0 ? null : 1 + (i % 3),
    dataset_id: i % 31 === 0 ? null : r.dataset_id,
    created_at: i % 9 === 0 ? '2026-03-01T00:00:00.000Z' : r.created_at, // ties on the default sort
    project_name: i % 4 === 0 ? 'shared' : r.project_name,
  }));
  // jobs made offline (negative ids)
  for (let k = 1; k <= 20; k++) out.push({ ...out[k]!, id: -k, local: 1, name: `offline ${k % 3}` });
  return out;
}

const FILTERS: Record<string, JobFilter> = {
  none: {},
  archived: { showArchived: true },
  team: { teamId: 2 },
  creators: { createdById: [1, 3] },
  assignee: { assignedToId: [12] },
  reviewerWithNulls: { reviewerId: [1, 2], showArchived: true },
  project: { projectId: [101, 105, 119] },
  dataset: { datasetId: [1010, 1011, 1190, 1191, 1192] },
  statuses: { statuses: ['pending', 'stopped', 'unknown_status' as never] },
  emptyList: { assignedToId: [] },
  queues: { queueId: [1, 3] },
  noQueue: { queueId: [0] },
  queueOrNone: { queueId: [0, 2], showArchived: true },
  emptyQueues: { queueId: [] },
  textTrigram: { text: 'KIWI_PE' },
  textShort: { text: 'fi' },
  textDescription: { text: 'carefully', showArchived: true },
  textOdd: { text: 'Ä' },
  onlyPending: { onlyPending: true, showArchived: true },
  combined: { teamId: 1, createdById: [1, 2, 3], statuses: ['in_progress', 'completed', 'on_review'], text: 'lemon', showArchived: true },
};
const SORTS: JobSort[] = JobSortColumnSchema.options.flatMap((column) =>
  (['asc', 'desc'] as const).map((direction) => ({ column, direction })),
);

describe('sort index', () => {
  const t = tempDir('ljd-sortidx-');
  let cache: Cache;
  const logLines: string[] = [];
  const all = records();

  beforeAll(async () => {
    cache = openCache(join(t.dir, 'cache.sqlite'), { log: (l) => logLines.push(l) });
    cache.transaction(() => cache.jobs.upsert(all));
    const at = new Date().toISOString();
    cache.transaction(() => {
      for (const id of [5, 17, -3, 2400])
        cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: id }, summary: 's', batchId: 'b', jobIds: [id] }, at);
    });
    cache.jobs.patch(33, { removed_at: at }); // gone from the server: never listed
    await cache.jobs.sortIndexReady();
  });
  afterAll(() => {
    cache?.close();
    t.cleanup();
  });

  /**
   * Counts turns of the event loop from now until stopped, checking in each that another call of the cache is
   * answered at once (the worker is free while a sort waits)
   */
  function turnsAnswering(other: Cache) {
    let turns = 0;
    let stopped = false;
    const tick = () => {
      if (stopped) return; // (a turn queued before the stop may come after it, even after the close)
      turns++;
      expect(other.jobs.query({}, { column: 'id', direction: 'asc' }, 0, 5).rows).toHaveLength(5);
      setImmediate(tick);
    };
    setImmediate(tick);
    return {
      stop(): number {
        stopped = true;
        return turns;
      },
    };
  }

  /** every filter x sort: the first window, the count and the whole list equal SQLite's ORDER BY */
  function expectSameAsSql(): void {
    for (const [name, filter] of Object.entries(FILTERS)) {
      for (const sort of SORTS) {
        const expected = cache.jobs.sqlOrderedIds(filter, sort);
        const label = `${name} by ${sort.column} ${sort.direction}`;
        const first = cache.jobs.query(filter, sort, 0, 25);
        expect(
          first.rows.map((r) => r.id),
          label,
        ).toEqual(expected.slice(0, 25));
        expect(first.total, label).toBe(expected.length);
        // the look-ahead window near the top, walked along the order too
        expect(
          cache.jobs.query(filter, sort, 25, 40).rows.map((r) => r.id),
          label,
        ).toEqual(expected.slice(25, 65));
        expect(Array.from(cache.jobs.orderedIds(filter, sort)), label).toEqual(expected);
      }
      // select all matching: every id, ascending
      expect(Array.from(cache.jobs.sortedIds(filter)), `${name}: ids`).toEqual(
        cache.jobs.sqlOrderedIds(filter, { column: 'id', direction: 'asc' }),
      );
    }
  }

  it('gives SQLite rows and order on a fresh cache, through the in-memory structure', () => {
    expect(cache.jobs.sqlOrderedIds({}, { column: 'id', direction: 'asc' }).length).toBeGreaterThan(2000);
    expectSameAsSql();
    // the structure answered (it logs each order it builds); nothing fell back to SQL
    for (const column of JobSortColumnSchema.options) expect(logLines.some((l) => l.includes(`order by ${column} `))).toBe(true);
    // filters that match something do (the comparison is not vacuous)
    expect(cache.jobs.sqlOrderedIds(FILTERS.textOdd!, SORTS[0]!).length).toBeGreaterThan(0);
    expect(cache.jobs.sqlOrderedIds(FILTERS.queueOrNone!, SORTS[0]!).length).toBeGreaterThan(0);
  });

  it('reads the rows in the background without losing the writes made meanwhile', async () => {
    const index = createSortIndex(cache.db, undefined, { sliceRows: 500, stepMs: 0 });
    expect(index.query({}, SORTS[0]!, 0, 10)).toBeNull(); // not read yet: SQL answers, the read starts
    await new Promise((r) => setImmediate(r)); // one slice read: ids -20 to 480
    expect(index.query({}, SORTS[0]!, 0, 10)).toBeNull(); // still reading
    // changes to rows read and rows not read yet, new jobs on both sides, a deletion; noted as the repo does
    cache.jobs.patch(2, { status: 'stopped', disabled: 1 });
    cache.jobs.patch(2000, { status: 'stopped' });
    cache.transaction(() =>
      cache.jobs.upsert([
        { ...all[5]!, id: 700_000, name: 'during the read' },
        { ...all[6]!, id: -50, name: 'made offline during the read' },
      ]),
    );
    cache.jobs.delete(3);
    index.touch([2, 2000, 700_000, -50, 3]);
    // and while the default order is read along its index (after the 6 slices of rows): moves within it
    for (let i = 0; i < 7; i++) await new Promise((r) => setImmediate(r));
    expect(index.query({}, SORTS[0]!, 0, 10)).toBeNull();
    cache.transaction(() =>
      cache.jobs.upsert([
        { ...all[9]!, created_at: '2020-01-01T00:00:00.000Z', server_fingerprint: 'moved back' },
        { ...all[2400]!, created_at: '2031-01-01T00:00:00.000Z', server_fingerprint: 'moved on' },
        { ...all[7]!, id: 700_001, created_at: '2026-03-01T00:00:00.000Z' },
      ]),
    );
    index.touch([all[9]!.id, all[2400]!.id, 700_001]);
    await index.ready();
    for (const sort of [SORTS[2]!, SORTS[18]!, SORTS[19]!]) {
      for (const filter of [FILTERS.none!, FILTERS.archived!, FILTERS.statuses!]) {
        const expected = cache.jobs.sqlOrderedIds(filter, sort);
        const answer = index.query(filter, sort, 0, Infinity)!;
        expect(Array.from(answer.ids)).toEqual(expected);
        expect(answer.total).toBe(expected.length);
      }
    }
    expect(cache.jobs.sqlOrderedIds(FILTERS.archived!, SORTS[0]!)).toEqual(expect.arrayContaining([700_000, -50, 2]));
  });

  it('builds the other columns’ orders in the background, following the writes made during a build', async () => {
    const lines: string[] = [];
    // rows are quick to move here while they cost at most 300 value reads (11 a row at this size: 27 rows)
    const index = createSortIndex(cache.db, (l) => lines.push(l), { sliceRows: 300, stepMs: 0, quietMs: 0, moveReadsAtOnce: 300 });
    await index.ready();
    const steps = async (k: number) => {
      for (let i = 0; i < k; i++) await new Promise((r) => setImmediate(r));
    };
    await steps(4); // the first build (by name) has read part of its values
    cache.transaction(() =>
      cache.jobs.upsert([
        { ...all[20]!, name: 'zzz renamed during the build', server_fingerprint: 'during' },
        { ...all[2300]!, name: 'aaa renamed before its slice', status: 'completed', server_fingerprint: 'during' },
        { ...all[21]!, id: 710_000, name: 'new during the build' },
      ]),
    );
    cache.jobs.delete(22);
    index.touch([all[20]!.id, all[2300]!.id, 710_000, 22]);
    expect(index.query({}, SORTS[0]!, 0, 1)).not.toBeNull(); // a read catches up: the build notes what moved
    await steps(40); // into the later builds' merge passes
    cache.transaction(() => cache.jobs.upsert([{ ...all[23]!, updated_at: '2031-01-01T00:00:00.000Z', server_fingerprint: 'later' }]));
    index.touch([all[23]!.id]); // not read back before the builds end: moved on the next read
    await index.ordersBuilt();
    const built = JobSortColumnSchema.options.filter((c) => lines.some((l) => l.includes(`order by ${c} `) && l.includes('background')));
    expect(built).toEqual(JobSortColumnSchema.options.filter((c) => c !== 'id' && c !== 'createdAt' && c !== 'labelingQueueName'));
    for (const sort of SORTS) {
      for (const filter of [FILTERS.none!, FILTERS.archived!, FILTERS.statuses!]) {
        const expected = cache.jobs.sqlOrderedIds(filter, sort);
        const answer = index.query(filter, sort, 0, Infinity)!;
        expect(Array.from(answer.ids), `${sort.column} ${sort.direction}`).toEqual(expected);
      }
    }
    // no sort waited for a SQLite sort: the orders built on demand are by id (a merge of what is held) and by queue
    // (not built in the background: most teams have no queues)
    expect(lines.filter((l) => / built in \d+ ms/.test(l)).map((l) => l.split(' ')[3])).toEqual(['id', 'labelingQueueName']);
    // a write of more rows than are quick to move: the orders are made anew in the background, not on the next sort
    const many = all.slice(400, 900).map((r, i) => ({ ...r, name: `rewritten ${i % 37}`, server_fingerprint: 'many' }));
    cache.transaction(() => cache.jobs.upsert(many));
    index.touch(many.map((r) => r.id));
    expect(index.count(FILTERS.none!)).not.toBeNull(); // a read catches up: every kept order has too many to move
    await index.ordersBuilt();
    expect(lines.filter((l) => l.includes('order by name ') && l.includes('background'))).toHaveLength(2);
    // fewer than the structure moves one by one, but more than is quick: moved in the background, not made anew
    const some = all.slice(1000, 1050).map((r) => ({ ...r, status: 'stopped' as const, server_fingerprint: 'some' }));
    cache.transaction(() => cache.jobs.upsert(some));
    index.touch(some.map((r) => r.id));
    expect(index.count(FILTERS.none!)).not.toBeNull();
    expect(index.quick('status')).toBe(false);
    await index.ordersBuilt();
    expect(index.quick('status')).toBe(true);
    expect(lines.filter((l) => l.includes('order by status ') && l.includes('background'))).toHaveLength(2);
    const byStatus: JobSort = { column: 'status', direction: 'asc' };
    expect(Array.from(index.query(FILTERS.none!, byStatus, 0, Infinity)!.ids)).toEqual(cache.jobs.sqlOrderedIds(FILTERS.none!, byStatus));
    const byName: JobSort = { column: 'name', direction: 'desc' };
    expect(Array.from(index.query(FILTERS.none!, byName, 0, Infinity)!.ids)).toEqual(cache.jobs.sqlOrderedIds(FILTERS.none!, byName));
    // the order by queue, kept since it was sorted by, was made anew in the background too
    expect(lines.filter((l) => l.includes('order by labelingQueueName ') && l.includes('background')).length).toBeGreaterThan(0);
    expect(lines.filter((l) => / built in \d+ ms/.test(l)).map((l) => l.split(' ')[3])).toEqual(['id', 'labelingQueueName']);
  });

  it('builds the order of the column the grid last read first, once a big write has made every order stale', async () => {
    const lines: string[] = [];
    const index = createSortIndex(cache.db, (l) => lines.push(l), { quietMs: 0, moveReadsAtOnce: 300 });
    await index.ordersBuilt();
    const many = all.slice(1100, 1700).map((r, i) => ({ ...r, progress: (i * 7) % 100, server_fingerprint: 'stale all' }));
    cache.transaction(() => cache.jobs.upsert(many));
    index.touch(many.map((r) => r.id));
    lines.length = 0;
    // the grid asks for a window by progress: not quick now (too many rows to move), so the repo reads its first rows from SQLite
    expect(index.quick('progress')).toBe(false);
    await index.ordersBuilt();
    const builtInBackground = lines.filter((l) => l.includes('built in the background')).map((l) => l.split(' ')[3]);
    expect(builtInBackground[0]).toBe('progress');
    expect(builtInBackground).toContain('name'); // and then the others
    const byProgress: JobSort = { column: 'progress', direction: 'asc' };
    expect(Array.from(index.query(FILTERS.none!, byProgress, 0, Infinity)!.ids)).toEqual(
      cache.jobs.sqlOrderedIds(FILTERS.none!, byProgress),
    );
  });

  it('builds the orders of rows read anew while an earlier build step waited for writes to pause', async () => {
    const lines: string[] = [];
    const index = createSortIndex(cache.db, (l) => lines.push(l), { quietMs: 150, moveReadsAtOnce: 300 });
    await index.ordersBuilt();
    const some = all.slice(1200, 1250).map((r) => ({ ...r, status: 'stopped' as const, server_fingerprint: 'waiting' }));
    cache.transaction(() => cache.jobs.upsert(some));
    index.touch(some.map((r) => r.id));
    expect(index.count(FILTERS.none!)).not.toBeNull(); // their move waits on a timer for writes to pause
    await new Promise((r) => setTimeout(r, 20));
    index.invalidate(); // then every row is read again (as after a write too big to follow)
    await index.ready();
    lines.length = 0;
    // no sort asks: the new rows' orders are built once writes have paused (before, none until a sort waited for one)
    for (const until = Date.now() + 5_000; Date.now() < until && !lines.some((l) => l.includes('order by name '));)
      await new Promise((r) => setTimeout(r, 20));
    expect(lines.filter((l) => l.includes('order by name ') && l.includes('background'))).toHaveLength(1);
    const byStatus: JobSort = { column: 'status', direction: 'asc' };
    expect(Array.from(index.query(FILTERS.none!, byStatus, 0, Infinity)!.ids)).toEqual(cache.jobs.sqlOrderedIds(FILTERS.none!, byStatus));
  });

  it('counts the jobs per status as SQLite groups them, for every filter, and after writes', async () => {
    const index = createSortIndex(cache.db);
    await index.ready();
    const expectSame = () => {
      for (const [name, filter] of Object.entries(FILTERS)) {
        const where = whereForFilter(filter);
        const sql = `SELECT j.status AS status, count(*) AS count FROM jobs j WHERE ${where.sql} GROUP BY j.status ORDER BY j.status`;
        expect(index.countsByStatus(filter), name).toEqual(cache.db.prepare(sql).all(...where.params));
      }
    };
    expectSame();
    const changed = [
      { ...all[40]!, status: 'quality_check', server_fingerprint: 'new status' }, // newer than the app
      { ...all[41]!, id: 720_000, status: 'completed' },
    ];
    cache.transaction(() => cache.jobs.upsert(changed));
    index.touch(changed.map((r) => r.id));
    expectSame();
    expect(index.countsByStatus({ statuses: ['quality_check'] })).toEqual([{ status: 'quality_check', count: 1 }]);
  });

  it('follows patches of sorted and filtered columns, removals and archiving', () => {
    const at = '2030-01-01T00:00:00.000Z';
    cache.jobs.patch(10, { status: 'completed', updated_at: at });
    cache.jobs.patch(11, { disabled: 1 });
    cache.jobs.patch(12, { assigned_to_id: 12, assigned_to_login: 'aaa_first' });
    cache.jobs.patch(13, { reviewer_id: null, reviewer_login: null });
    cache.jobs.patch(14, { removed_at: at });
    cache.jobs.patch(33, { removed_at: null });
    expectSameAsSql();
  });

  it('follows upserts that change, add and tie rows, deletes, id changes and restores', () => {
    const before = cache.jobs.get(50)!;
    cache.transaction(() => {
      cache.jobs.upsert([
        { ...all[99]!, name: 'a', server_fingerprint: 'changed' },
        { ...all[100]!, project_name: 'shared', created_at: '2026-03-01T00:00:00.000Z', server_fingerprint: 'changed' },
        { ...all[101]!, id: 900_000, name: 'brand new' },
        { ...all[102]!, id: 900_001, name: '😀 smile', labeling_queue_id: null },
      ]);
      cache.jobs.delete(200);
      cache.jobs.changeId(-3, 900_002);
      cache.jobs.patch(50, { status: 'stopped', assigned_to_login: 'zzz' });
    });
    expectSameAsSql();
    cache.jobs.restore(before);
    expectSameAsSql();
  });

  it('moves a few dozen touched rows at once, new and deleted ones among them', () => {
    cache.transaction(() => {
      cache.jobs.upsert(
        all.slice(1200, 1240).map((r, i) => ({
          ...r,
          name: ODD_NAMES[i % ODD_NAMES.length]!,
          status: i % 2 ? 'completed' : r.status,
          created_at: '2026-03-01T00:00:00.000Z',
          server_fingerprint: 'dozens',
        })),
      );
      cache.jobs.upsert([800_001, 800_002, 800_003].map((id, i) => ({ ...all[i + 1300]!, id, name: ODD_NAMES[i]! })));
      cache.jobs.delete(1250);
      cache.jobs.delete(1251);
    });
    expectSameAsSql();
  });

  it('follows review counts (progress), user id changes, and writes too large to move row by row', async () => {
    cache.transaction(() => {
      cache.jobs.setEntities(60, [
        { id: 1, name: 'a.jpg', reviewStatus: 'none' },
        { id: 2, name: 'b.jpg', reviewStatus: 'none' },
      ]);
      cache.jobs.setReviewStatus(60, 1, 'accepted');
    });
    expectSameAsSql();
    cache.jobs.changeUserId(12, 77); // rows found by user: everything is read again
    await cache.jobs.sortIndexReady();
    expectSameAsSql();
    // more changed rows than the structure moves one by one: its orders are rebuilt
    cache.transaction(() =>
      cache.jobs.upsert([
        ...all.slice(300, 1000).map((r, i) => ({ ...r, name: `bulk ${i % 50}`, status: 'stopped' as const, server_fingerprint: 'bulk' })),
        // new jobs before, among and after those read: the rebuilt order by id merges them in
        ...[-999, 850_000, 950_001, 5_000_000].map((id) => ({ ...all[3]!, id })),
      ]),
    );
    expectSameAsSql();
  });

  it('answers the top rows of the default sort along its index while its order has too many rows to move', () => {
    expectSameAsSql(); // every order kept and up to date
    const builtBefore = logLines.filter((l) => l.includes('order by createdAt ')).length;
    const moved = all
      .slice(1500, 2300)
      .map((r, i) => ({ ...r, created_at: `2027-0${1 + (i % 9)}-01T00:00:00.000Z`, server_fingerprint: 'pull' }));
    cache.transaction(() => cache.jobs.upsert(moved)); // as a pull writes between two refreshes of the grid
    for (const filter of [FILTERS.none!, FILTERS.statuses!, FILTERS.archived!]) {
      const sort: JobSort = { column: 'createdAt', direction: 'desc' };
      const expected = cache.jobs.sqlOrderedIds(filter, sort);
      const first = cache.jobs.query(filter, sort, 0, 40);
      expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 40));
      expect(first.total).toBe(expected.length); // the count still from the structure's rows
      const next = cache.jobs.query(filter, sort, 40, 40); // the grid's next page, read ahead
      expect(next.rows.map((r) => r.id)).toEqual(expected.slice(40, 80));
    }
    expect(logLines.filter((l) => l.includes('order by createdAt ')).length).toBe(builtBefore); // nothing rebuilt to answer
    expectSameAsSql(); // and a scroll or another sort still gets the exact order
  });

  it('reads its rows again in id order once more were added than it read (a first pull onto a small cache)', async () => {
    const other = openCache(join(t.dir, 'growing.sqlite'));
    try {
      const lines: string[] = [];
      const grown = syntheticJobs(700, 9);
      other.transaction(() => other.jobs.upsert(grown.slice(0, 100)));
      const index = createSortIndex(other.db, (l) => lines.push(l), { quietMs: 0, maxAddedRows: 150 });
      await index.ready();
      for (const part of [grown.slice(100, 200), grown.slice(200, 700)]) {
        other.transaction(() => other.jobs.upsert(part));
        index.touch(part.map((r) => r.id));
        index.count({}); // catches up: the rows are added after those read
      }
      expect(index.query({}, SORTS[0]!, 0, 10)).toBeNull(); // 600 added over 100 read: read again (SQL answers meanwhile)
      await index.ready();
      expect(lines.filter((l) => l.includes('jobs read'))).toEqual([
        expect.stringContaining('100 jobs'),
        expect.stringContaining('700 jobs'),
      ]);
      expect(Array.from(index.idsAscending({})!)).toEqual(other.jobs.sqlOrderedIds({}, SORTS[0]!));
    } finally {
      other.close();
    }
  });

  it('answers nothing for a cache whose ids do not fit its arrays (SQL answers those), with the same rows', async () => {
    const other = openCache(join(t.dir, 'wide.sqlite'));
    try {
      other.transaction(() => other.jobs.upsert([...syntheticJobs(50, 3), { ...syntheticJobs(1, 4)[0]!, id: 2 ** 31 + 5 }]));
      const index = createSortIndex(other.db);
      await index.ready();
      expect(index.query({}, SORTS[0]!, 0, 10)).toBeNull();
      other.jobs.delete(2 ** 31 + 5);
      index.invalidate();
      await index.ready();
      expect(index.query({}, SORTS[0]!, 0, 10)?.total).toBe(other.jobs.sqlOrderedIds({}, SORTS[0]!).length);
      const sort: JobSort = { column: 'name', direction: 'desc' };
      other.transaction(() => other.jobs.upsert([{ ...syntheticJobs(1, 4)[0]!, id: 2 ** 31 + 5 }]));
      await other.jobs.sortIndexReady();
      const expected = other.jobs.sqlOrderedIds({}, sort);
      expect(expected).toContain(2 ** 31 + 5);
      expect(other.jobs.query({}, sort, 0, 20).rows.map((r) => r.id)).toEqual(expected.slice(0, 20));
      expect(other.jobs.query({}, sort, 0, 20).total).toBe(expected.length);
    } finally {
      other.close();
    }
  });

  it('a sort whose order is not built yet waits for its build in steps, the worker free meanwhile', async () => {
    const lines: string[] = [];
    const other = openCache(join(t.dir, 'waiting.sqlite'), {
      log: (l) => lines.push(l),
      sortIndex: { sliceRows: 200, stepMs: 0, quietMs: 0 },
    });
    try {
      other.transaction(() => other.jobs.upsert(all));
      await other.jobs.sortIndexReady();
      // the rows are held; the order by progress (no SQL index gives it) is not built yet
      const sort: JobSort = { column: 'progress', direction: 'desc' };
      let turns = turnsAnswering(other);
      const window = await other.jobs.queryWhenOrdered({}, sort, 10, 30);
      expect(turns.stop()).toBeGreaterThanOrEqual(3); // built over several turns, not within the call
      const expected = other.jobs.sqlOrderedIds({}, sort);
      expect(window.rows.map((r) => r.id)).toEqual(expected.slice(10, 40));
      expect(window.total).toBe(expected.length);
      // alone: the other times, read with it once no sort waits, would have made this one wait longer
      expect(lines.filter((l) => /order by (startedAt|finishedAt|updatedAt) /.test(l))).toEqual([]);
      // built now: the next sort by it answers without waiting
      turns = turnsAnswering(other);
      expect((await other.jobs.queryWhenOrdered({}, { ...sort, direction: 'asc' }, 0, 5)).rows.map((r) => r.id)).toEqual(
        other.jobs.sqlOrderedIds({}, { ...sort, direction: 'asc' }).slice(0, 5),
      );
      expect(turns.stop()).toBe(0);
    } finally {
      other.close();
    }
  });

  it('re-reads the rows a big write touched in the background, before a read asks for them, and answers as SQLite', async () => {
    // the next read re-read them all at once before: a bulk archive of 10,000 at 100k jobs held the worker 50-70 ms
    const other = openCache(join(t.dir, 'reread.sqlite'), { sortIndex: { stepMs: 0, quietMs: 60_000 } });
    try {
      other.transaction(() => other.jobs.upsert(all));
      other.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 1);
      await other.jobs.sortIndexReady();
      const statuses = ['stopped', 'completed', 'zz_status_from_a_newer_server'];
      const rows = all
        .slice(0, 2000)
        .map((r, i) => ({ ...r, status: statuses[i % 3]!, name: `bulk ${i % 17}`, server_fingerprint: 'bulk' }));
      other.transaction(() => other.jobs.upsert(rows));
      other.transaction(() => rows.slice(0, 600).forEach((r) => other.jobs.patch(r.id, { disabled: 1 })));
      expect(other.jobs.sortIndexTouched()).toBe(2000);
      await vi.waitFor(() => expect(other.jobs.sortIndexTouched()).toBe(0), { timeout: 5000 });
      for (const [filter, sort] of [
        [{}, { column: 'status', direction: 'asc' }],
        [{ statuses: ['zz_status_from_a_newer_server' as never] }, { column: 'name', direction: 'desc' }],
        [{ showArchived: true }, { column: 'createdAt', direction: 'desc' }],
      ] as [JobFilter, JobSort][]) {
        const window = await other.jobs.queryWhenOrdered(filter, sort, 0, 100);
        const expected = other.jobs.sqlOrderedIds(filter, sort);
        expect(window.rows.map((r) => r.id)).toEqual(expected.slice(0, 100));
        expect(window.total).toBe(expected.length);
      }
    } finally {
      other.close();
    }
  });

  it('a sort right after a write of more rows than are worth moving waits for its order built anew in steps', async () => {
    const lines: string[] = [];
    // writes never pause within the test (no background build); 2,500 jobs: more than ~66 touched rows are built anew
    const other = openCache(join(t.dir, 'rebuilt.sqlite'), { log: (l) => lines.push(l), sortIndex: { stepMs: 0, quietMs: 60_000 } });
    try {
      other.transaction(() => other.jobs.upsert(all));
      other.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 1);
      await other.jobs.sortIndexOrdersBuilt();
      const rows = all.slice(300, 600).map((r, i) => ({ ...r, name: `rewritten ${i % 13}`, server_fingerprint: 'rewritten' }));
      other.transaction(() => other.jobs.upsert(rows));
      lines.length = 0;
      const byName: JobSort = { column: 'name', direction: 'desc' };
      const turns = turnsAnswering(other);
      const window = await other.jobs.queryWhenOrdered({}, byName, 0, 40);
      // built over several turns, not by one SQLite sort of every job within the call (before: 0 turns, "built in N ms")
      expect(turns.stop()).toBeGreaterThanOrEqual(3);
      expect(lines.filter((l) => l.includes('order by name '))).toEqual(['sortIndex: order by name of 2520 jobs built in the background']);
      expect(window.rows.map((r) => r.id)).toEqual(other.jobs.sqlOrderedIds({}, byName).slice(0, 40));

      // while writes go on (a pull), the sort waits for one build, not until they end: each build leaves too many to move
      let writes = 0;
      let answered = false;
      const rewrite = () => {
        const again = all.slice(1000 + (writes % 5) * 300, 1300 + (writes % 5) * 300);
        other.transaction(() => other.jobs.upsert(again.map((r) => ({ ...r, name: `again ${writes}`, server_fingerprint: `w${writes}` }))));
        writes++;
      };
      rewrite();
      const byStatus: JobSort = { column: 'status', direction: 'asc' };
      const waiting = other.jobs.queryWhenOrdered({}, byStatus, 0, 40).then((answer) => ((answered = true), answer));
      while (!answered && writes < 40) {
        await new Promise((r) => setTimeout(r, 0));
        rewrite();
      }
      const answer = await waiting;
      expect(writes).toBeLessThan(40);
      expect(answer.rows.map((r) => r.id)).toEqual(other.jobs.sqlOrderedIds({}, byStatus).slice(0, 40));
    } finally {
      other.close();
    }
  });

  it('moves touched rows in the status order by the statuses it holds, reading none of the kept rows’ values', async () => {
    // moved in steps (more than 100 value reads at once); no background work within the test
    const other = openCache(join(t.dir, 'status-moves.sqlite'), { sortIndex: { stepMs: 0, quietMs: 60_000, moveReadsAtOnce: 100 } });
    try {
      other.transaction(() => other.jobs.upsert(all));
      other.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 1);
      await other.jobs.sortIndexOrdersBuilt();
      // the kept rows' values each move reads, by column (the statements are prepared on first use)
      const reads = new Map<string, number>();
      const prepare = other.db.prepare.bind(other.db);
      other.db.prepare = ((sql: string) => {
        const statement = prepare(sql);
        const column = /^SELECT j\.(\w+) FROM jobs j WHERE j\.id = \?$/.exec(sql)?.[1];
        if (column) {
          const get = statement.get.bind(statement);
          statement.get = (...args: unknown[]) => {
            reads.set(column, (reads.get(column) ?? 0) + 1);
            return get(...args);
          };
        }
        return statement;
      }) as typeof other.db.prepare;
      // a bulk change of statuses and names, among them a status this app does not know and ties with kept rows
      const statuses = ['completed', 'stopped', 'zz_status_from_a_newer_server', 'pending', 'on_review'];
      const changed = all.slice(300, 350).map((r, i) => ({
        ...r,
        status: statuses[i % statuses.length]!,
        name: `${all[(i * 37) % all.length]!.name} bulk`, // spread over the order: each finds its place on its own way
        server_fingerprint: 'status-bulk',
      }));
      other.transaction(() => other.jobs.upsert(changed));
      for (const column of ['status', 'name'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          const sort: JobSort = { column, direction };
          const window = await other.jobs.queryWhenOrdered({}, sort, 0, 100);
          const expected = other.jobs.sqlOrderedIds({}, sort);
          expect(window.rows.map((r) => r.id)).toEqual(expected.slice(0, 100));
          expect(Array.from(other.jobs.orderedIds({}, sort))).toEqual(expected);
        }
      }
      expect(reads.get('status') ?? 0).toBe(0);
      expect(reads.get('name')).toBeGreaterThan(100); // the same move by name reads them: the count sees reads
    } finally {
      other.close();
    }
  });

  it('a sort right after a bulk change waits while its touched rows move in steps, and a write meanwhile misplaces none', async () => {
    const lines: string[] = [];
    // moved at once while they cost at most 300 value reads (~11 a row: 27 rows); no background work within the test
    const other = openCache(join(t.dir, 'moving.sqlite'), {
      log: (l) => lines.push(l),
      sortIndex: { stepMs: 0, quietMs: 60_000, moveReadsAtOnce: 300 },
    });
    try {
      other.transaction(() => other.jobs.upsert(all));
      other.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 1);
      await other.jobs.sortIndexOrdersBuilt();
      const bulk = (from: number, tag: string) => {
        const rows = all.slice(from, from + 60).map((r, i) => ({ ...r, name: `${tag} ${i % 9}`, server_fingerprint: tag }));
        other.transaction(() => other.jobs.upsert(rows));
      };
      const byName: JobSort = { column: 'name', direction: 'asc' };
      const expectAsSql = (rows: { id: number }[], offset: number) =>
        expect(rows.map((r) => r.id)).toEqual(other.jobs.sqlOrderedIds({}, byName).slice(offset, offset + rows.length));

      bulk(100, 'bulk');
      lines.length = 0;
      const turns = turnsAnswering(other);
      const window = await other.jobs.queryWhenOrdered({}, byName, 20, 40);
      expect(turns.stop()).toBeGreaterThanOrEqual(3); // moved over several turns, not within the call (0 before)
      expectAsSql(window.rows, 20);
      expect(lines.filter((l) => l.includes('order by name'))).toEqual([]); // moved, not made anew
      expectAsSql(other.jobs.query({}, byName, 0, 5000).rows, 0);

      // a write while they move: reads after it would mix two states (kept rows no longer where their values say), so
      // the move stops and the sort moves them at once. Each moving row goes beside another one, and kept rows it
      // compares with on its way there are renamed to sort at the other end
      const spread = all
        .slice(700, 760)
        .map((r, i) => ({ ...r, name: `${all[(i * 41) % 2500]!.name} again`, server_fingerprint: 'again' }));
      other.transaction(() => other.jobs.upsert(spread));
      const waiting = other.jobs.queryWhenOrdered({}, byName, 0, 50);
      for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
      const renamed = [1200, 1300, 1400, 1500, 1600, 1800, 2000].map((k) => ({
        ...all[k]!,
        name: all[k]!.name < 'm' ? '\uFFFF' : '',
        server_fingerprint: 'meanwhile',
      }));
      other.transaction(() => other.jobs.upsert(renamed));
      expectAsSql((await waiting).rows, 0);
      expect(lines).toContain('sortIndex: moving the touched rows of the order by name stopped by a write');
      expectAsSql(other.jobs.query({}, byName, 0, 5000).rows, 0);
    } finally {
      other.close();
    }
  });

  it('checks a bulk action’s ids against the rows held, and asks SQLite only for those written since they were read', async () => {
    const at = '2030-02-01T00:00:00.000Z';
    const [a, b, c, d, e] = all.slice(2460, 2465).map((r) => r.id) as [number, number, number, number, number];
    const index = createSortIndex(cache.db);
    await index.ready();
    expect([a, b, c, d, e].map((id) => index.holds(id))).toEqual([true, true, true, true, true]);
    expect(index.holds(123_456_789)).toBe(false); // no such job, read from nothing
    cache.jobs.patch(a, { removed_at: at }); // (this index is not the repo's: it is told by hand)
    index.touch([a]);
    expect(index.holds(a)).toBeNull(); // written since the read: the held row may be old
    index.query({}, SORTS[0]!, 0, 1); // read again
    expect(index.holds(a)).toBe(false); // removed, from the held row

    // through the repo (its writes tell its index): removed, deleted and added since the last read, then read again
    cache.jobs.query({}, SORTS[0]!, 0, 1);
    cache.jobs.patch(b, { removed_at: at });
    cache.jobs.delete(c);
    cache.transaction(() => cache.jobs.upsert([{ ...all[2465]!, id: 800_000, name: 'added since the read' }]));
    const missingOf = (ids: number[]) => cache.jobs.firstMissing(ids);
    for (let pass = 0; pass < 2; pass++) {
      expect(missingOf([d, 800_000, e])).toBeUndefined();
      expect(missingOf([d, b])).toBe(b);
      expect(missingOf([c, d])).toBe(c);
      expect(missingOf([a, e])).toBe(a);
      expect(missingOf([d, 123_456_789])).toBe(123_456_789);
      cache.jobs.query({}, SORTS[0]!, 0, 1); // the second pass answers from the rows read again
    }
    cache.jobs.patch(a, { removed_at: null });
    cache.jobs.patch(b, { removed_at: null });
    expect(missingOf([a, b, d])).toBeUndefined();
  });
});
