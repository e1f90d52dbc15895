// Cache benchmark (npm run bench:cache [-- --jobs 100000,1000000] [--sizes-only]): at each size of cache, jobs written
// the way a pull writes them (transactions sized by the pull's chunk sizer, yielding between them), the
// file size, the longest event-loop stall while writing, ten typical filter + sort combinations (first
// window after a change, then 100-row windows p50/p95), a sort change and a filter change, the text index's
// catch-up after the writes; at 20k jobs what each index, the text index and the history cost (one switched off
// at a time, 100-row chunks, CPU time, which a shared machine disturbs less than wall time; the text index once
// inside the writes as schema 8 had it, and its catch-up); migration 7 of a 100k-job schema-6 file;
// and a full pull of 10,000 jobs from the local server. One `name: value unit` line each.
//
// Goals (issues 14 and 9):
//   write_rate_100k, write_rate_1m          ≥ 20,000 jobs/s
//   file_bytes_per_job_<n>                  < 600 bytes
//   write_transaction_p95_<n>, write_longest_transaction_<n>  ≤ 16 ms (one task; transactions yield between them)
//   write_longest_stall_<n>                 ≤ 16 ms (one frame; measured over the first 100k jobs written: this loop's
//                                           longest turn, a transaction or the making of the next synthetic chunk)
//   sort_change_max_1m, filter_change_max_1m < 50 ms (a sort or filter change shows rows)
//   window_first_*_<n>                      < 50 ms (likewise, for ten filter + sort combinations)
//   window_p95_max_<n>                      < 10 ms at 100k, < 2 ms at 1M
//   sort_index_bytes_per_job_<n>            < 100 bytes (the in-memory filter and sort structure, < 100 MB at 1M)
//   sort_index_load_longest_stall_<n>       ≤ 16 ms (its rows are read in the background, in slices)
//   sort_index_orders_longest_stall_<n>     ≤ 16 ms (then every column's order is built there, in steps)
//   sort_first_by_<column>_<n>              < 50 ms (the first sort by each column, once the orders are built; the
//                                           queue's is built on first use, in steps: its wait is that build);
//                                           sort_first_longest_stall_<n> ≤ 16 ms
//   select_all_core_*_<n>                   the core's part of select_all_matching (< 50 ms in all, bench:ui)
//   counts_per_*_longest_stall_<n>          ≤ 16 ms (the charts' counts read slices of ids; the grid is answered between)
//   bulk_archive_10000_longest_stall_<n>    ≤ 16 ms (a bulk action's items are written in short transactions);
//                                           window_after_bulk_archive_<n> < 50 ms (the grid's refresh after it)
//   bulk_archive_answer_10000_<n>           < 100 ms (its call answers once every id is checked and the first
//                                           transaction is in; the rest is written in the background)
//   bulk_cancel_10000_<n>                   < 1,000 ms (the lead's Cancel of it: each change discarded, its job restored);
//                                           bulk_cancel_10000_longest_stall_<n> ≤ 16 ms
// sort_index_load_<n> and sort_index_orders_<n> are paid once per session in the background (and after a
// write of too many rows); sort_change_after_bulk_write_<n> is the first sort change right after such a write
// (query(), which moves 1,000 touched rows at once), _grid_<n> the grid's call after another (they move in steps):
//   sort_change_after_bulk_write_grid_longest_stall_<n>  ≤ 16 ms
//   text_index_catch_up_longest_stall_<n>   ≤ 16 ms (the text index is brought up to date in steps once writes pause)
// text_index_catch_up_<n> (s) is that catch-up, once after a pull; text_search_3_chars_(rare_)pending_<n> is what a
// text search (of a common word, of a rare one) costs until it is done (every written row's text checked directly),
// _indexed_<n> the same search after it.
//   text_search_longest_stall_<n>           ≤ 16 ms (a grid search of a text found in slices: 'a' by LIKE, 'fig' in a
//                                           quarter of the names, '777' rare; text_search_<text>_to_rows_<n> is its wait)
//   migration_7_100k                        a few seconds at most, once (the app waits for it at start; 8 and 9 too)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channels, JobSortColumnSchema, type JobFilter, type JobSort } from '#shared/contract';
import { encodeIdRuns } from '#shared/idRuns';
import { createChunkSizer, openCache, type Cache, type JobRecord } from '../../main/cache';
import { startServerProcess } from './serverProcess';
import { printMachineProbe } from './machineProbe';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { cancelBatch } from '../../main/sync/discard';
import { startJobAction } from '../../main/sync/enqueue';
import { pullAll } from '../../main/sync/pull';
import { prng, syntheticJob } from '../fixtures/jobRecords';
import { openDatabase } from '../../main/cache/db';
import { createJobAggregates } from '../../main/cache/jobAggregates';

const sizesArg = process.argv.indexOf('--jobs');
const SIZES = (sizesArg > 0 ? process.argv[sizesArg + 1]! : '100000,1000000').split(',').map(Number);
/** --sizes-only: just the figures at each size (no write costs, migration or pull) */
const SIZES_ONLY = process.argv.includes('--sizes-only');
const STALL_SPAN = 100_000;
const BULK_ACTION_JOBS = 10_000;
const WINDOWS = 200;
const dir = mkdtempSync(join(tmpdir(), 'ljd-bench-'));
const figure = (name: string, value: number, unit: string) =>
  console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
/** CPU seconds of this process (all its threads) since `from`: steadier than wall time on a shared machine. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`);

/** A ticker every millisecond; the stall is the longest gap between two of its ticks beyond that. */
function stallMeter() {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  return {
    reset() {
      longest = 0;
      last = performance.now();
    },
    /** lets the ticker fire once more (the gap that ends with the work counts), then reads it */
    async read(): Promise<number> {
      await new Promise((r) => setTimeout(r, 5));
      return longest;
    },
    stop() {
      clearInterval(ticker);
    },
  };
}

/** Synthetic jobs made one chunk at a time (of the size asked for), so a million never sit in memory at once. */
function* chunks(count: number, size: () => number, seed = 1): Generator<JobRecord[]> {
  const rnd = prng(seed);
  for (let start = 1; start <= count;) {
    const chunk: JobRecord[] = [];
    const end = Math.min(count + 1, start + size());
    for (let id = start; id < end; id++) chunk.push({ ...syntheticJob(id, rnd), server_fingerprint: `fp${id}` });
    start = end;
    yield chunk;
  }
}

/**
 * Writes `count` jobs as a pull does: transactions sized by the pull's chunk sizer (or `fixedChunk` rows),
 * with the history entries of each job, yielding between them; returns ms per transaction.
 */
async function writeLikePull(
  cache: Cache,
  count: number,
  onChunk?: (written: number) => Promise<void>,
  fixedChunk?: number,
): Promise<number[]> {
  const times: number[] = [];
  const sizer = createChunkSizer(fixedChunk ? { initial: fixedChunk, min: fixedChunk, max: fixedChunk } : {});
  let written = 0;
  for (const chunk of chunks(count, sizer.next)) {
    await cache.writePause(); // like the pull: the chunk is made (the page parsed) in a turn of its own, written in the next
    const started = performance.now();
    cache.transaction(() => {
      cache.jobs.upsert(chunk);
      cache.history.append(
        chunk.flatMap((r) => [
          { jobId: r.id, status: 'pending', at: r.created_at, source: 'server_timestamp' as const, note: 'created' },
          ...(r.started_at ? [{ jobId: r.id, status: 'in_progress', at: r.started_at, source: 'server_timestamp' as const }] : []),
        ]),
      );
    });
    const ms = performance.now() - started;
    sizer.record(chunk.length, ms);
    times.push(ms);
    written += chunk.length;
    await onChunk?.(written);
    await cache.writePause();
  }
  return times;
}

const bytesPerJob = (cache: Cache, count: number) => {
  cache.db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(cache.file).size / count;
};

/** What each index, trigger and the per-row statement cost: 20k jobs into a fresh file, one thing switched off. */
async function writeCosts(): Promise<void> {
  const COUNT = 20_000;
  const variants: [string, (c: Cache) => void][] = [
    // the current schema: a write notes each job's id as not indexed yet; the text index catches up after it
    ['schema9', () => {}],
    // schema 8: the trigram index written inside the write (the trade issue 14 made; its catch-up costs about the same, later)
    [
      'schema8_text_index_in_write',
      (c) =>
        c.db.exec(`DROP TRIGGER jobs_text_insert; CREATE TRIGGER jobs_text_insert AFTER INSERT ON jobs BEGIN
          INSERT INTO jobs_text(rowid, name, description) VALUES (new.id, new.name, new.description); END`),
    ],
    [
      'schema6_history_rowid_and_unique',
      (c) =>
        c.db.exec(`DROP TABLE job_status_history; CREATE TABLE job_status_history (id INTEGER PRIMARY KEY AUTOINCREMENT,
          job_id INTEGER NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL, note TEXT,
          UNIQUE (job_id, status, at, source))`),
    ],
    // the grid open while a pull writes: every write notes the ids it touched for the in-memory structure
    ['with_sort_index_tracking', (c) => void c.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 1)],
    // not even the note of the ids to index later
    ['without_text_index', (c) => c.db.exec('DROP TRIGGER jobs_text_insert')],
    ['without_default_sort_index', (c) => c.db.exec('DROP INDEX jobs_sort_created_at')],
    [
      'without_filter_indexes',
      (c) =>
        c.db.exec(
          ['jobs_created_by', 'jobs_assigned_to', 'jobs_reviewer', 'jobs_project', 'jobs_dataset'].map((n) => `DROP INDEX ${n};`).join(''),
        ),
    ],
    [
      'without_history',
      (c) =>
        c.db.exec(`DROP TABLE job_status_history; CREATE TABLE job_status_history (job_id, at, status, source, note);
        CREATE TRIGGER no_history BEFORE INSERT ON job_status_history BEGIN SELECT RAISE(IGNORE); END`),
    ],
  ];
  for (const [name, change] of variants) {
    const cache = openCache(join(dir, `cost-${name}.sqlite`));
    change(cache);
    const started = process.cpuUsage();
    await writeLikePull(cache, COUNT, undefined, 100);
    figure(`write_cost_cpu_rate_${name}`, Math.round(COUNT / cpuSeconds(started)), 'jobs/s');
    if (name === 'schema9') {
      // the text index's catch-up once the writes pause (CPU only: its wait for the pause costs none)
      const catchUp = process.cpuUsage();
      await cache.jobs.textIndexCaughtUp();
      figure('write_cost_cpu_rate_text_index_catch_up', Math.round(COUNT / cpuSeconds(catchUp)), 'jobs/s');
    }
    await cache.jobs.textIndexCaughtUp(); // the file's size with its text index
    figure(`write_cost_bytes_per_job_${name}`, Math.round(bytesPerJob(cache, COUNT)), 'bytes');
    if (name === 'schema9') {
      // the same jobs into a fresh file, in transactions sized by the pull's chunk sizer instead of 100 rows
      const sized = openCache(join(dir, 'cost-sized.sqlite'));
      const cpu = process.cpuUsage();
      await writeLikePull(sized, COUNT);
      figure('write_cost_cpu_rate_schema9_chunk_sizer', Math.round(COUNT / cpuSeconds(cpu)), 'jobs/s');
      sized.close();
      // the same jobs again, unchanged: the upsert skips them
      const again = process.cpuUsage();
      await writeLikePull(cache, COUNT, undefined, 100);
      figure('write_cost_cpu_rate_unchanged_again', Math.round(COUNT / cpuSeconds(again)), 'jobs/s');
    }
    cache.close();
  }
}

const combos: [string, JobFilter, JobSort][] = [
  ['all_by_created_desc', {}, { column: 'createdAt', direction: 'desc' }],
  ['team_by_name', { teamId: 1 }, { column: 'name', direction: 'asc' }],
  ['statuses_by_updated', { statuses: ['pending', 'in_progress'] }, { column: 'updatedAt', direction: 'desc' }],
  ['assignee_by_status', { assignedToId: [12] }, { column: 'status', direction: 'asc' }],
  ['creator_and_assignee', { createdById: [2], assignedToId: [20, 21, 22] }, { column: 'createdAt', direction: 'asc' }],
  ['project_by_assignee_login', { projectId: [101, 102] }, { column: 'assignedToLogin', direction: 'asc' }],
  ['dataset_by_progress', { datasetId: [1010, 1011, 1012] }, { column: 'progress', direction: 'desc' }],
  ['text_search', { text: 'kiwi_lem' }, { column: 'name', direction: 'asc' }],
  ['archived_by_finished', { showArchived: true }, { column: 'finishedAt', direction: 'desc' }],
  [
    'reviewer_statuses_team',
    { teamId: 2, reviewerId: [1, 3], statuses: ['on_review', 'completed'] },
    { column: 'reviewerLogin', direction: 'asc' },
  ],
];

/**
 * What the lead waits for when changing the sort (same filter) or the filter (same sort): the first window
 * of rows after the change, with a write before each so no id list is kept. One line each, and the worst.
 */
async function changes(cache: Cache, n: string, count: number, stall: ReturnType<typeof stallMeter>): Promise<void> {
  const rnd = prng(99);
  const firstWindow = (filter: JobFilter, sort: JobSort) => {
    // a write of a sorted and filtered column: no id list is kept, and the structure moves the row
    cache.jobs.patch(1 + Math.floor(rnd() * count), { status: 'on_review', updated_at: new Date().toISOString() });
    const t = performance.now();
    cache.jobs.query(filter, sort, 0, 100);
    return performance.now() - t;
  };
  const sorts: JobSort['column'][] = [
    'name',
    'status',
    'assignedToLogin',
    'projectName',
    'progress',
    'finishedAt',
    'updatedAt',
    'createdAt',
  ];
  const sortTimes = sorts.map((column) => {
    const ms = firstWindow({}, { column, direction: 'asc' });
    figure(`sort_change_${column}_${n}`, ms, 'ms');
    return ms;
  });
  figure(`sort_change_max_${n}`, Math.max(...sortTimes), 'ms');
  const filters: [string, JobFilter][] = [
    ['team', { teamId: 2 }],
    ['statuses', { statuses: ['on_review'] }],
    ['assignee', { assignedToId: [33] }],
    ['project', { projectId: [107] }],
    ['text', { text: 'plum_fig' }],
    ['archived', { showArchived: true }],
  ];
  const filterTimes = filters.map(([name, filter]) => {
    const ms = firstWindow(filter, { column: 'createdAt', direction: 'desc' });
    figure(`filter_change_${name}_${n}`, ms, 'ms');
    return ms;
  });
  figure(`filter_change_max_${n}`, Math.max(...filterTimes), 'ms');
  // a pull's worth of changed jobs (more than the structure moves row by row): the next sort change rebuilds
  cache.transaction(() =>
    cache.jobs.upsert(
      [...chunks(1000, () => 1000, 5)][0]!.map((r) => ({ ...r, id: 1 + Math.floor(rnd() * count), server_fingerprint: 'bulk' })),
    ),
  );
  figure(`sort_change_after_bulk_write_${n}`, firstWindow({}, { column: 'name', direction: 'desc' }), 'ms');
  // the grid's call after another such write: it waits while the sort's touched rows move in steps
  cache.transaction(() =>
    cache.jobs.upsert(
      [...chunks(1000, () => 1000, 6)][0]!.map((r) => ({ ...r, id: 1 + Math.floor(rnd() * count), server_fingerprint: 'bulk2' })),
    ),
  );
  stall.reset();
  const t = performance.now();
  await cache.jobs.queryWhenOrdered({}, { column: 'status', direction: 'asc' }, 0, 100);
  figure(`sort_change_after_bulk_write_grid_${n}`, performance.now() - t, 'ms');
  figure(`sort_change_after_bulk_write_grid_longest_stall_${n}`, await stall.read(), 'ms');
}

/** Opening a schema-6 file of 100k jobs (with their history) runs migration 7: how long the app start waits once. */
async function migration7(): Promise<void> {
  const COUNT = 100_000;
  const file = join(dir, 'v6.sqlite');
  const v6 = openDatabase(file, { targetVersion: 6 });
  const keys = Object.keys(syntheticJob(1, prng(1)));
  const insert = v6.prepare(`INSERT INTO jobs (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`);
  const history = v6.prepare('INSERT INTO job_status_history (job_id, status, at, source, note) VALUES (?, ?, ?, ?, ?)');
  const rnd = prng(7);
  v6.transaction(() => {
    for (let id = 1; id <= COUNT; id++) {
      const r = { ...syntheticJob(id, rnd), server_fingerprint: `fp${id}` };
      insert.run(Object.values(r));
      history.run(id, 'pending', r.created_at, 'server_timestamp', 'created');
      if (r.started_at) history.run(id, 'in_progress', r.started_at, 'server_timestamp', 'started');
    }
  })();
  v6.close();
  const t = performance.now();
  const cache = openCache(file);
  figure('migration_7_100k', performance.now() - t, 'ms');
  cache.close();
}

async function atSize(count: number, stall: ReturnType<typeof stallMeter>): Promise<void> {
  const n = label(count);
  const cache = openCache(join(dir, `bench-${n}.sqlite`), { log: (l) => console.error(l) });
  let stallOfFirst: number | null = null;
  stall.reset();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const times = await writeLikePull(cache, count, async (written) => {
    if (stallOfFirst === null && written >= Math.min(count, STALL_SPAN)) stallOfFirst = await stall.read();
  });
  const ms = performance.now() - started;
  figure(`write_rate_${n}`, Math.round(count / (ms / 1000)), 'jobs/s');
  figure(`write_cpu_rate_${n}`, Math.round(count / cpuSeconds(cpu)), 'jobs/s');
  figure(`write_transactions_${n}`, times.length, 'transactions');
  figure(`write_transaction_p95_${n}`, pct(times, 0.95), 'ms');
  figure(`write_longest_transaction_${n}`, Math.max(...times), 'ms');
  figure(`write_longest_stall_${n}`, stallOfFirst ?? 0, 'ms');
  await textIndexCatchUp(cache, n, stall);
  figure(`file_bytes_per_job_${n}`, Math.round(bytesPerJob(cache, count)), 'bytes');
  cache.db.exec('ANALYZE');

  // the in-memory structure: the first query starts reading the rows in the background (SQL answers it),
  // each column's order is built on its first sort once they are read
  let t0 = performance.now();
  cache.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 100);
  figure(`sort_index_first_query_${n}`, performance.now() - t0, 'ms');
  stall.reset();
  await cache.jobs.sortIndexReady();
  figure(`sort_index_load_${n}`, performance.now() - t0, 'ms');
  figure(`sort_index_load_longest_step_${n}`, cache.jobs.sortIndexLongestLoadStepMs(), 'ms');
  figure(`sort_index_load_longest_stall_${n}`, await stall.read(), 'ms');
  t0 = performance.now();
  stall.reset();
  await cache.jobs.sortIndexOrdersBuilt();
  figure(`sort_index_orders_${n}`, performance.now() - t0, 'ms');
  figure(`sort_index_orders_longest_stall_${n}`, await stall.read(), 'ms');
  figure(`sort_index_longest_step_${n}`, cache.jobs.sortIndexLongestLoadStepMs(), 'ms');
  // as the grid asks (an order built on first use, the queue's, is built in steps while the worker answers others)
  const firstSorts: number[] = [];
  const firstSortStalls: number[] = [];
  for (const column of JobSortColumnSchema.options) {
    stall.reset();
    t0 = performance.now();
    await cache.jobs.queryWhenOrdered({ teamId: 1 }, { column, direction: 'asc' }, 0, 100);
    firstSorts.push(performance.now() - t0);
    figure(`sort_first_by_${column}_${n}`, firstSorts.at(-1)!, 'ms');
    firstSortStalls.push(await stall.read());
  }
  figure(`sort_first_by_max_${n}`, Math.max(...firstSorts), 'ms');
  figure(`sort_first_longest_stall_${n}`, Math.max(...firstSortStalls), 'ms');
  figure(`sort_index_bytes_per_job_${n}`, cache.jobs.sortIndexBytes() / count, 'bytes');
  figure(`sort_index_mib_${n}`, cache.jobs.sortIndexBytes() / 1048576, 'MiB');

  const rnd = prng(42);
  const windowP95s: number[] = [];
  for (const [name, filter, sort] of combos) {
    // a write of a sorted column: the first window of each combo has no id list kept, and the structure moves the row
    cache.jobs.patch(1, { updated_at: new Date().toISOString() });
    let t = performance.now();
    const { total } = cache.jobs.query(filter, sort, 0, 100);
    figure(`window_first_${name}_${n}`, performance.now() - t, 'ms');
    const windows: number[] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const offset = Math.floor(rnd() * Math.max(1, total - 100));
      t = performance.now();
      cache.jobs.query(filter, sort, offset, 100);
      windows.push(performance.now() - t);
    }
    figure(`window_p50_${name}_${n}`, pct(windows, 0.5), 'ms');
    figure(`window_p95_${name}_${n}`, pct(windows, 0.95), 'ms');
    windowP95s.push(pct(windows, 0.95));
    figure(`rows_${name}_${n}`, total, 'jobs');
  }
  figure(`window_p95_max_${n}`, Math.max(...windowP95s), 'ms');
  await changes(cache, n, count, stall);
  await textSearches(cache, n, stall);
  // the charts' counts: how long each takes, and the longest the worker is held meanwhile (they read slices of ids)
  for (const [name, run] of [
    ['counts_per_status', () => cache.jobs.countsByStatus({ showArchived: true })],
    ['counts_per_status_sql', () => createJobAggregates(cache.db).countsByStatus({ showArchived: true })],
    ['counts_per_assignee', () => cache.jobs.countsByAssignee({})],
    ['created_per_day', () => cache.jobs.createdPerDay({})],
    // a team's count as the grid's total reads it (the sort index; a filter not counted before, so none is kept), and
    // SQLite's, which answers only until the index is read
    ['count_team', () => cache.jobs.total({ teamId: 1, showArchived: true })],
    ['count_team_sql', () => cache.jobs.count({ teamId: 1 })],
    // a search's charts: slices of the ids it matches (kept from the search in textSearches)
    ['counts_per_assignee_text', () => cache.jobs.countsByAssignee({ text: 'fig' })],
    ['created_per_day_text', () => cache.jobs.createdPerDay({ text: 'fig' })],
  ] as const) {
    stall.reset();
    const t = performance.now();
    await run();
    figure(`${name}_${n}`, performance.now() - t, 'ms');
    figure(`${name}_longest_stall_${n}`, await stall.read(), 'ms');
  }
  await selectAll(cache, n, count);
  await bulkArchive(cache, n, count, stall);
  cache.close();
}

/** A lead archives 10,000 selected jobs: the outbox items with their optimistic effect, then the grid's refresh. */
async function bulkArchive(cache: Cache, n: string, count: number, stall: ReturnType<typeof stallMeter>): Promise<void> {
  const rnd = prng(13);
  const ids = new Set<number>();
  while (ids.size < BULK_ACTION_JOBS) ids.add(1 + Math.floor(rnd() * count));
  stall.reset();
  let t = performance.now();
  const { whole } = await startJobAction(cache, 'job.archive', [...ids], new Date());
  figure(`bulk_archive_answer_${BULK_ACTION_JOBS}_${n}`, performance.now() - t, 'ms');
  const { batchId } = await whole;
  figure(`bulk_archive_${BULK_ACTION_JOBS}_${n}`, performance.now() - t, 'ms');
  figure(`bulk_archive_${BULK_ACTION_JOBS}_longest_stall_${n}`, await stall.read(), 'ms');
  stall.reset();
  t = performance.now();
  await cache.jobs.queryWhenOrdered({}, { column: 'createdAt', direction: 'desc' }, 0, 100);
  figure(`window_after_bulk_archive_${n}`, performance.now() - t, 'ms');
  figure(`window_after_bulk_archive_longest_stall_${n}`, await stall.read(), 'ms');
  stall.reset();
  t = performance.now();
  const { discarded } = await cancelBatch(cache, batchId);
  if (discarded.length !== BULK_ACTION_JOBS) throw new Error(`the Cancel discarded ${discarded.length} of ${BULK_ACTION_JOBS}`);
  figure(`bulk_cancel_${BULK_ACTION_JOBS}_${n}`, performance.now() - t, 'ms');
  figure(`bulk_cancel_${BULK_ACTION_JOBS}_longest_stall_${n}`, await stall.read(), 'ms');
}

/**
 * The text index after the writes (textIndex.ts): what a 3-character search costs while no job is indexed yet
 * (every row's text checked directly), the catch-up in the background once writes pause (from the end of the
 * writes, its wait for the pause included) and the longest it holds the thread, then the same search again.
 */
async function textIndexCatchUp(cache: Cache, n: string, stall: ReturnType<typeof stallMeter>): Promise<void> {
  // 'fig': a word in a fifth of the names; '777': a few thousand ids at 1M
  const search = (text: string) => {
    const t = performance.now();
    cache.jobs.sqlOrderedIds({ text }, { column: 'createdAt', direction: 'desc' });
    return performance.now() - t;
  };
  const t0 = performance.now();
  figure(`text_index_pending_${n}`, cache.jobs.textIndexPending(), 'jobs');
  figure(`text_search_3_chars_pending_${n}`, search('fig'), 'ms');
  figure(`text_search_3_chars_rare_pending_${n}`, search('777'), 'ms');
  stall.reset();
  const cpu = process.cpuUsage();
  await cache.jobs.textIndexCaughtUp();
  figure(`text_index_catch_up_${n}`, (performance.now() - t0) / 1000, 's');
  figure(`text_index_catch_up_cpu_${n}`, cpuSeconds(cpu), 's'); // with the background checkpoints' thread
  figure(`text_index_catch_up_longest_stall_${n}`, await stall.read(), 'ms');
  figure(`text_index_catch_up_longest_step_${n}`, cache.jobs.textIndexLongestStepMs(), 'ms');
  figure(`text_search_3_chars_indexed_${n}`, search('fig'), 'ms');
  figure(`text_search_3_chars_rare_indexed_${n}`, search('777'), 'ms');
}

/** A search as the grid asks it (its text found in slices), each text new: time to the first rows, the longest stall. */
async function textSearches(cache: Cache, n: string, stall: ReturnType<typeof stallMeter>): Promise<void> {
  const stalls: number[] = [];
  for (const [label, text] of [
    ['1_char', 'a'],
    ['common', 'fig'],
    ['rare', '777'],
  ] as const) {
    stall.reset();
    const t = performance.now();
    await cache.jobs.queryWhenOrdered({ text }, { column: 'createdAt', direction: 'desc' }, 0, 100);
    figure(`text_search_${label}_to_rows_${n}`, performance.now() - t, 'ms');
    stalls.push(await stall.read());
    figure(`text_search_${label}_longest_stall_${n}`, stalls.at(-1)!, 'ms');
  }
  figure(`text_search_longest_stall_${n}`, Math.max(...stalls), 'ms');
}

/** The core's part of select all (jobs.idSet: the ids, their encoding, the contract's check of the answer). */
function idSetAnswer(cache: Cache, filter: JobFilter): { ms: number; count: number } {
  const t = performance.now();
  const ids = cache.jobs.sortedIds(filter);
  const answer = channels['jobs.idSet'].response.parse({ runs: encodeIdRuns(ids), count: ids.length });
  return { ms: performance.now() - t, count: answer.count };
}

async function selectAll(cache: Cache, n: string, count: number): Promise<void> {
  const filters: [string, JobFilter][] = [
    ['all', {}],
    ['statuses', { statuses: ['in_progress', 'on_review'] }],
    ['team', { teamId: 1 }],
  ];
  const times = filters.map(([name, filter]) => {
    idSetAnswer(cache, filter); // the first call of each shape compiles its code
    const { ms } = idSetAnswer(cache, filter);
    figure(`select_all_core_${name}_${n}`, ms, 'ms');
    return ms;
  });
  figure(`select_all_core_max_${n}`, Math.max(...times), 'ms');
  // jobs added after the rows were read (a pull onto a smaller cache): the first select all sorts them once
  // in no id order: a pull writes them page by page as the server lists them
  const added = [...chunks(Math.round(count / 10), () => 5000, 11)].flat();
  const rnd = prng(12);
  const newIds = added.map((_, i) => count + 1 + i);
  for (let i = newIds.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [newIds[i], newIds[j]] = [newIds[j]!, newIds[i]!];
  }
  added.forEach((r, i) => (r.id = newIds[i]!));
  for (let i = 0; i < added.length; i += 5000) cache.transaction(() => cache.jobs.upsert(added.slice(i, i + 5000)));
  cache.jobs.query({}, { column: 'createdAt', direction: 'desc' }, 0, 100); // the grid's refresh reads the written rows
  figure(`select_all_core_first_after_${added.length}_added_${n}`, idSetAnswer(cache, {}).ms, 'ms');
  figure(`select_all_core_after_added_${n}`, idSetAnswer(cache, {}).ms, 'ms');
}

printMachineProbe(figure);
try {
  const stall = stallMeter();
  if (!SIZES_ONLY) {
    await writeCosts();
    await migration7();
  }
  for (const count of SIZES) await atSize(count, stall);
  if (!SIZES_ONLY) await pullFigures(stall);
  stall.stop();

  const mem = process.memoryUsage();
  figure('memory_rss', mem.rss / 1048576, 'MiB');
  figure('memory_heap_used', mem.heapUsed / 1048576, 'MiB');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function pullFigures(stall: ReturnType<typeof stallMeter>): Promise<void> {
  // a full pull of 10,000 jobs from the local server into an empty cache, and a second one on top.
  // The server runs in its own process, so the stall figures are the client's and the cache's only.
  const t0 = performance.now();
  const server = await startServerProcess(join(dir, 'server.sqlite'), ['--jobs', '10000']);
  figure('local_server_seed_10k_jobs', performance.now() - t0, 'ms');
  const api = createSuperviselyApi({ serverAddress: server.url, apiToken: server.token });
  const pullCache = openCache(join(dir, 'pull.sqlite'));
  for (const pass of ['', '_again']) {
    stall.reset();
    const t = performance.now();
    const report = await pullAll(pullCache, api, { full: true });
    figure(`full_pull_10k_jobs${pass}`, performance.now() - t, 'ms');
    figure(`full_pull${pass}_jobs_written`, report.jobsWritten, 'jobs');
    figure(`full_pull${pass}_write_transaction_p95`, pct(report.writeTimesMs, 0.95), 'ms');
    figure(`full_pull${pass}_longest_write_transaction`, report.longestWriteMs, 'ms');
    console.error(`(longest write: ${report.longestWrite})`);
    figure(`full_pull${pass}_longest_event_loop_stall`, await stall.read(), 'ms');
  }
  pullCache.close();
  server.child.kill('SIGTERM');
}
