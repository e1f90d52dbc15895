// Cache benchmark (npm run bench:cache): 100,000 cached jobs — insert time, ten typical filter +
// sort combinations (first window after a change, then 100-row windows p50/p95), counts per status,
// chart queries — and a full pull of 10,000 jobs from the local server. One line per figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobFilter, JobSort } from '#shared/contract';
import { openCache } from '../../main/cache';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { pullAll } from '../../main/sync/pull';
import { prng, syntheticJobs } from '../fixtures/jobRecords';
import { startServerProcess } from './serverProcess';

const JOBS = 100_000;
const WINDOWS = 200;
const dir = mkdtempSync(join(tmpdir(), 'ljd-bench-'));
const figure = (name: string, value: number, unit: string) => console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

try {
  const cache = openCache(join(dir, 'bench.sqlite'), { log: (l) => console.error(l) });
  const records = syntheticJobs(JOBS, 1);
  let t = performance.now();
  cache.transaction(() => cache.jobs.upsert(records));
  figure('insert_100k_jobs_one_transaction', performance.now() - t, 'ms');
  cache.db.exec('ANALYZE');

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
    ['reviewer_statuses_team', { teamId: 2, reviewerId: [1, 3], statuses: ['on_review', 'completed'] }, { column: 'reviewerLogin', direction: 'asc' }],
  ];
  const rnd = prng(42);
  for (const [name, filter, sort] of combos) {
    // the first window after a filter or sort change builds the ordered id list
    cache.jobs.markStale([]); // (no-op write: keeps every combo cold)
    const bump = cache.jobs.get(1)!;
    cache.jobs.patch(1, { stale: bump.stale });
    t = performance.now();
    const { total } = cache.jobs.query(filter, sort, 0, 100);
    figure(`window_first_${name}`, performance.now() - t, 'ms');
    const times: number[] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const offset = Math.floor(rnd() * Math.max(1, total - 100));
      t = performance.now();
      cache.jobs.query(filter, sort, offset, 100);
      times.push(performance.now() - t);
    }
    figure(`window_p50_${name}`, pct(times, 0.5), 'ms');
    figure(`window_p95_${name}`, pct(times, 0.95), 'ms');
    figure(`rows_${name}`, total, 'jobs');
  }
  t = performance.now();
  cache.jobs.countsByStatus({ showArchived: true });
  figure('counts_per_status', performance.now() - t, 'ms');
  t = performance.now();
  cache.jobs.countsByAssignee({});
  figure('counts_per_assignee', performance.now() - t, 'ms');
  t = performance.now();
  cache.jobs.createdPerDay({});
  figure('created_per_day', performance.now() - t, 'ms');
  t = performance.now();
  cache.jobs.count({ teamId: 1 });
  figure('count_team', performance.now() - t, 'ms');
  cache.close();

  // a full pull of 10,000 jobs from the local server into an empty cache, and a second one on top.
  // The server runs in its own process, so the stall figures are the client's and the cache's only.
  const t0 = performance.now();
  const server = await startServerProcess(join(dir, 'server.sqlite'), ['--jobs', '10000']);
  figure('emulator_seed_10k_jobs', performance.now() - t0, 'ms');
  const api = createSuperviselyApi({ serverAddress: server.url, apiToken: server.token });
  const pullCache = openCache(join(dir, 'pull.sqlite'));
  // the event loop's longest stall during the pull: how long the main thread was not free
  let maxStall = 0;
  let last = performance.now();
  const ticker = setInterval(() => { const now = performance.now(); maxStall = Math.max(maxStall, now - last - 5); last = now; }, 5);
  t = performance.now();
  const report = await pullAll(pullCache, api, { full: true });
  figure('full_pull_10k_jobs', performance.now() - t, 'ms');
  figure('full_pull_jobs_written', report.jobsWritten, 'jobs');
  figure('full_pull_write_transactions', report.writeTimesMs.length, 'transactions');
  figure('full_pull_write_transaction_p50', pct(report.writeTimesMs, 0.5), 'ms');
  figure('full_pull_write_transaction_p95', pct(report.writeTimesMs, 0.95), 'ms');
  figure('full_pull_longest_write_transaction', report.longestWriteMs, 'ms');
  console.error(`(longest write: ${report.longestWrite})`);
  figure('full_pull_longest_event_loop_stall', maxStall, 'ms');
  maxStall = 0;
  last = performance.now();
  t = performance.now();
  const again = await pullAll(pullCache, api, { full: true });
  figure('full_pull_10k_jobs_again', performance.now() - t, 'ms');
  figure('full_pull_again_jobs_written', again.jobsWritten, 'jobs');
  figure('full_pull_again_longest_write_transaction', again.longestWriteMs, 'ms');
  console.error(`(longest write: ${again.longestWrite})`);
  figure('full_pull_again_longest_event_loop_stall', maxStall, 'ms');
  clearInterval(ticker);
  pullCache.close();
  server.child.kill('SIGTERM');

  const mem = process.memoryUsage();
  figure('memory_rss', mem.rss / 1048576, 'MiB');
  figure('memory_heap_used', mem.heapUsed / 1048576, 'MiB');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
