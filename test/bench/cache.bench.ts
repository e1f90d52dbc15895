// Cache benchmark (npm run bench:cache [-- --jobs 100000,1000000]): at each size of cache, jobs written
// the way a pull writes them (100-row transactions, yielding between them), the file size, the longest
// event-loop stall while writing, and ten typical filter + sort combinations (first window after a
// change, then 100-row windows p50/p95); at 20k jobs what each index, the text index and the per-row
// statement cost; and a full pull of 10,000 jobs from the local server. One `name: value unit` line each.
//
// Goals (issue 14):
//   write_rate_<n>                  ≥ 20,000 jobs/s
//   file_bytes_per_job_<n>          < 600 bytes
//   write_longest_stall_<n>         ≤ 16 ms (one frame; measured over the first 100k jobs written)
//   window_p95_*_<n>                < 10 ms at 100k, < 2 ms at 1M
//   window_first_*_<n>              < 50 ms at 100k (a filter or sort change shows rows)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { JobFilter, JobSort } from '#shared/contract';
import { openCache, type Cache, type JobRecord } from '../../main/cache';
import { migration003CoveringGridIndexes } from '../../main/cache/migrations/003_covering_grid_indexes';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { pullAll } from '../../main/sync/pull';
import { prng, syntheticJob } from '../fixtures/jobRecords';

const sizesArg = process.argv.indexOf('--jobs');
const SIZES = (sizesArg > 0 ? process.argv[sizesArg + 1]! : '100000,1000000').split(',').map(Number);
const CHUNK = 100;
const STALL_SPAN = 100_000;
const WINDOWS = 200;
const dir = mkdtempSync(join(tmpdir(), 'ljd-bench-'));
const figure = (name: string, value: number, unit: string) =>
  console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
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

/** Synthetic jobs made one chunk at a time, so a million never sit in memory at once. */
function* chunks(count: number, seed = 1): Generator<JobRecord[]> {
  const rnd = prng(seed);
  for (let start = 1; start <= count; start += CHUNK) {
    const chunk: JobRecord[] = [];
    for (let id = start; id < Math.min(count + 1, start + CHUNK); id++) {
      chunk.push({ ...syntheticJob(id, rnd), server_fingerprint: `fp${id}` });
    }
    yield chunk;
  }
}

/** Writes `count` jobs as a pull does (with three history entries a job); returns ms per transaction. */
async function writeLikePull(cache: Cache, count: number, onChunk?: (written: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let written = 0;
  for (const chunk of chunks(count)) {
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
    times.push(performance.now() - started);
    written += chunk.length;
    await onChunk?.(written);
    await yieldToLoop();
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
    ['schema6', () => {}],
    [
      'schema5_indexes',
      (c) => {
        migration003CoveringGridIndexes(c.db);
        c.db.exec('CREATE INDEX history_job ON job_status_history(job_id, at)');
      },
    ],
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
      'without_history_unique',
      (c) =>
        c.db.exec(`CREATE TABLE h2 AS SELECT * FROM job_status_history WHERE 0;
      DROP TABLE job_status_history; ALTER TABLE h2 RENAME TO job_status_history`),
    ],
  ];
  for (const [name, change] of variants) {
    const cache = openCache(join(dir, `cost-${name}.sqlite`));
    change(cache);
    const started = performance.now();
    await writeLikePull(cache, COUNT);
    figure(`write_cost_rate_${name}`, Math.round(COUNT / ((performance.now() - started) / 1000)), 'jobs/s');
    figure(`write_cost_bytes_per_job_${name}`, Math.round(bytesPerJob(cache, COUNT)), 'bytes');
    if (name === 'schema6') {
      // the same jobs again, unchanged: the upsert skips them
      const again = performance.now();
      await writeLikePull(cache, COUNT);
      figure('write_cost_rate_unchanged_again', Math.round(COUNT / ((performance.now() - again) / 1000)), 'jobs/s');
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

async function atSize(count: number, stall: ReturnType<typeof stallMeter>): Promise<void> {
  const n = label(count);
  const cache = openCache(join(dir, `bench-${n}.sqlite`), { log: (l) => console.error(l) });
  let stallOfFirst = 0;
  stall.reset();
  const started = performance.now();
  const times = await writeLikePull(cache, count, async (written) => {
    if (written === Math.min(count, STALL_SPAN)) stallOfFirst = await stall.read();
  });
  const ms = performance.now() - started;
  figure(`write_rate_${n}`, Math.round(count / (ms / 1000)), 'jobs/s');
  figure(`write_transaction_p95_${n}`, pct(times, 0.95), 'ms');
  figure(`write_longest_transaction_${n}`, Math.max(...times), 'ms');
  figure(`write_longest_stall_${n}`, stallOfFirst, 'ms');
  figure(`file_bytes_per_job_${n}`, Math.round(bytesPerJob(cache, count)), 'bytes');
  cache.db.exec('ANALYZE');

  const rnd = prng(42);
  for (const [name, filter, sort] of combos) {
    cache.jobs.patch(1, { stale: 0 }); // a write: the first window of each combo builds its id list
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
    figure(`rows_${name}_${n}`, total, 'jobs');
  }
  for (const [name, run] of [
    ['counts_per_status', () => cache.jobs.countsByStatus({ showArchived: true })],
    ['counts_per_assignee', () => cache.jobs.countsByAssignee({})],
    ['created_per_day', () => cache.jobs.createdPerDay({})],
    ['count_team', () => cache.jobs.count({ teamId: 1 })],
  ] as const) {
    const t = performance.now();
    run();
    figure(`${name}_${n}`, performance.now() - t, 'ms');
  }
  cache.close();
}

try {
  const stall = stallMeter();
  await writeCosts();
  for (const count of SIZES) await atSize(count, stall);

  // a full pull of 10,000 jobs from the local server into an empty cache, and a second one on top.
  // The server runs in its own process, so the stall figures are the client's and the cache's only.
  const t0 = performance.now();
  const server = await startServerProcess(join(dir, 'server.sqlite'));
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
  stall.stop();
  pullCache.close();
  server.child.kill('SIGTERM');

  const mem = process.memoryUsage();
  figure('memory_rss', mem.rss / 1048576, 'MiB');
  figure('memory_heap_used', mem.heapUsed / 1048576, 'MiB');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function startServerProcess(dataFile: string): Promise<{ url: string; token: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '../../main/local-server/cli.ts'),
      '--port',
      '0',
      '--data',
      dataFile,
      '--jobs',
      '10000',
      '--quiet',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`local server exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /SERVER_ADDRESS=(\S+)/.exec(out)?.[1];
      const token = /API_TOKEN=(\S+)/.exec(out)?.[1];
      if (url && token) resolve({ url, token, child });
    });
  });
}
