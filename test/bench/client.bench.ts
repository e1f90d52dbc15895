// Benchmark of the Supervisely client against the local server with 10,000 jobs (`npm run bench:client`):
// (a) the SDK's full job list (sequential pages, then one jobs.info per job, sequentially) vs (b) ours
// (pages in parallel, no per-job info: listings carry every field but entities); archiving 1,000 jobs
// one by one vs bulk.archive. Each figure is measured with the server answering at once (latency 0; the
// local server then is the bottleneck) and with 20 ms answer latency, closer to a real server over a
// network. Options: --latency MS (only that latency), --full (every jobs.info, no sampling).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../main/local-server';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { streamPages } from '../../main/supervisely/pagination';
import { jobsListBody } from '../../main/supervisely/jobs';
import { jobWire } from '../../main/supervisely/schemas';
import { createTransport } from '../../main/supervisely/transport';
import { apiBaseUrl } from '../../main/supervisely/address';

const args = process.argv.slice(2);
const latencies = args.includes('--latency') ? [Number(args[args.indexOf('--latency') + 1]) || 0] : [0, 20];
const full = args.includes('--full');
const JOBS = 10_000;
const INFO_SAMPLE = full ? JOBS : 1_000;
const ARCHIVE = 1_000;

let suffix = '';
const line = (name: string, value: number, unit: string, note = '') =>
  console.log(`${name}${suffix}: ${value.toFixed(unit === 'x' ? 1 : 0)} ${unit}${note ? ` (${note})` : ''}`);
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

const dir = mkdtempSync(join(tmpdir(), 'client-bench-'));
const localServer = await startLocalServer({ port: 0, seed: 'demo', jobs: JOBS, dataFile: join(dir, 'local-server.sqlite') });
const api = createSuperviselyApi({ serverAddress: localServer.url, apiToken: localServer.adminToken });
const transport = createTransport({ baseUrl: apiBaseUrl(localServer.url), apiToken: localServer.adminToken });
const filter = { teamId: 8, showDisabled: true };

async function measure(latencyMs: number): Promise<void> {
  localServer.setFaults({ latencyMs });
  suffix = `_latency${latencyMs}ms`;
  console.log(`# local server, ${JOBS} jobs, answer latency ${latencyMs} ms, keep-alive connections for both patterns`);

  // (a) the SDK pattern: pages one after the other, then one jobs.info per job, one after the other.
  const [sdkList, sdkListMs] = await time(async () => {
    const all: number[] = [];
    for await (const page of streamPages(transport, 'jobs.list', jobsListBody(filter), jobWire, { concurrency: 1 }))
      all.push(...page.map((j) => j.id));
    return all;
  });
  const sample = sdkList.slice(0, INFO_SAMPLE);
  const [, sampleMs] = await time(async () => {
    for (const id of sample) await api.jobs.getInfoById(id);
  });
  const infosMs = (sampleMs / sample.length) * sdkList.length;
  const sdkMs = sdkListMs + infosMs;
  line('sdk_list_pages_sequential', sdkListMs, 'ms', `${sdkList.length} jobs`);
  line(
    'sdk_info_per_job_sequential',
    infosMs,
    'ms',
    full ? `${sample.length} infos measured` : `${sample.length} of ${sdkList.length} infos measured, extrapolated`,
  );
  line('sdk_full_job_list', sdkMs, 'ms', full ? 'measured' : 'list measured + infos extrapolated');

  // (b) this client: first page, then pages 2…N four at a time; the listing already has every field the grid needs.
  const [ours, oursMs] = await time(() => api.jobs.list(filter));
  if (ours.length !== sdkList.length) throw new Error(`list sizes differ: ${ours.length} vs ${sdkList.length}`);
  line('client_full_job_list', oursMs, 'ms', `${ours.length} jobs, pages in parallel, no per-job info`);
  // Infos only where needed: e.g. the 1% of jobs whose updatedAt moved since the last sync.
  const changed = ours.slice(0, Math.ceil(ours.length / 100)).map((j) => j.id);
  const [, changedMs] = await time(() => api.jobs.getInfoByIds(changed, { concurrency: 8 }));
  line('client_full_job_list_plus_changed_infos', oursMs + changedMs, 'ms', `${changed.length} infos, 8 at a time`);
  line('full_list_speedup', sdkMs / oursMs, 'x', 'target >= 10');
  line('full_list_speedup_with_changed_infos', sdkMs / (oursMs + changedMs), 'x');

  // Archiving: 1,000 jobs one by one vs bulk.archive (8 at a time), on two disjoint sets of live jobs.
  const live = ours.filter((j) => !j.disabled).map((j) => j.id);
  // Jobs still live now (an earlier scenario archived others); two disjoint sets.
  if (live.length < 2 * ARCHIVE) throw new Error(`only ${live.length} live jobs`);
  const sequentialIds = live.slice(0, ARCHIVE);
  const bulkIds = live.slice(ARCHIVE, 2 * ARCHIVE);
  const [, seqMs] = await time(async () => {
    for (const id of sequentialIds) await api.jobs.archive(id);
  });
  const [results, bulkMs] = await time(() => api.bulk.archive(bulkIds));
  const failed = results.filter((r) => !r.ok).length;
  if (failed) throw new Error(`${failed} bulk archives failed`);
  line('archive_1000_sequential', seqMs, 'ms');
  line('archive_1000_bulk', bulkMs, 'ms', 'concurrency 8');
  line('bulk_archive_speedup', seqMs / bulkMs, 'x', 'target >= 5');
}

try {
  for (const latency of latencies) await measure(latency);
} finally {
  await localServer.close();
  rmSync(dir, { recursive: true, force: true });
}
