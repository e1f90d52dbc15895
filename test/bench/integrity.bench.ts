// Start-up integrity check benchmark (scripts/use-node npx tsx test/bench/integrity.bench.ts [jobs]):
// the time openCheckedCache adds for a healthy cache of N jobs (quick_check in its worker), against
// the time limit QUICK_CHECK_TIMEOUT_MS. One line per figure.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, openCheckedCache } from '../../main/cache';
import { QUICK_CHECK_TIMEOUT_MS } from '../../main/cache/integrity';
import { syntheticJobs } from '../fixtures/jobRecords';

const JOBS = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'ljd-bench-integrity-'));
const figure = (name: string, value: number, unit: string) =>
  console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);

try {
  const file = join(dir, 'cache.sqlite');
  const cache = openCache(file);
  cache.transaction(() => cache.jobs.upsert(syntheticJobs(JOBS, 1)));
  cache.close();
  figure(`cache_file_size_${JOBS}_jobs`, statSync(file).size / 1024 / 1024, 'MiB');
  const plain = performance.now();
  openCache(file).close();
  figure(`open_unchecked_${JOBS}_jobs`, performance.now() - plain, 'ms');
  const logs: string[] = [];
  const checked = performance.now();
  (await openCheckedCache(file, { report: () => {}, log: (line) => logs.push(line) })).close();
  figure(`open_with_quick_check_${JOBS}_jobs`, performance.now() - checked, 'ms');
  figure('quick_check_time_limit', QUICK_CHECK_TIMEOUT_MS, 'ms');
  if (logs.some((line) => line.includes('did not finish in time'))) console.log('quick_check_finished_in_time: 0 bool');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
