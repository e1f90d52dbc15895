// Benchmark of the Supervisely client against the local server with 10,000 jobs (`npm run bench:client`):
// (a) the SDK's full job list (sequential pages, then one jobs.info per job, sequentially) vs (b) ours
// (pages in parallel, no per-job info: listings carry every field but entities); archiving 1,000 jobs
// one by one (the SDK's loop) vs bulk.archive, with the app's default "Requests at once" (16, set the way the
// session sets it: a bound read from the setting, bulk fan-out following it) and with the bare client's 8;
// and a job's page as the app opens it (jobs.get with the job's images and its activity, jobs.stats beside it)
// from the core, first open and again. Each figure is measured with the server
// answering at once (latency 0; the local server then is the bottleneck) and with 20 ms answer latency,
// closer to a real server over a network. Options: --latency MS (only that latency), --full (every
// jobs.info, no sampling). Every figure is a `name: value unit` line; `#` lines say how it was measured.
//
// Goals (at 20 ms latency):
//   full_list_speedup_latency20ms >= 10 x
//   bulk_archive_speedup_latency20ms >= 8 x   (1,000 jobs; at the default Requests at once, a polite bound the user sets)
//   job_page_first_open_max_latency20ms < 300 ms   (the slowest of 10 first opens)
//   app_bulk_stop_4000_over_500 ≈ 1 x              (a bulk action through the outbox: its rate does not fall with its size)
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
import { createCore } from '../../main/core';
import { REQUESTS_AT_ONCE } from '#shared/contract';

const args = process.argv.slice(2);
const latencies = args.includes('--latency') ? [Number(args[args.indexOf('--latency') + 1]) || 0] : [0, 20];
const full = args.includes('--full');
const JOBS = 10_000;
const INFO_SAMPLE = full ? JOBS : 1_000;
const ARCHIVE = 1_000;
const PAGES_OPENED = 10;
/** the app's default bound on requests in flight (Settings → Requests at once); the bare client's default is 8 */
const IN_FLIGHT = REQUESTS_AT_ONCE.default;

let suffix = '';
const line = (name: string, value: number, unit: string, note = '') => {
  if (note) console.log(`# ${name}${suffix}: ${note}`);
  console.log(`${name}${suffix}: ${value.toFixed(unit === 'x' ? 1 : 0)} ${unit}`);
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

const dir = mkdtempSync(join(tmpdir(), 'client-bench-'));
const localServer = await startLocalServer({ port: 0, seed: 'demo', jobs: JOBS, dataFile: join(dir, 'local-server.sqlite') });
const api = createSuperviselyApi({ serverAddress: localServer.url, apiToken: localServer.adminToken });
// as main/core/session.ts builds it: the bound is the setting, read at every request
const polite = createSuperviselyApi({ serverAddress: localServer.url, apiToken: localServer.adminToken, maxConcurrent: () => IN_FLIGHT });
const transport = createTransport({ baseUrl: apiBaseUrl(localServer.url), apiToken: localServer.adminToken });
const filter = { teamId: 8, showDisabled: true };

// The app's core on the same server, synced once at latency 0: the job pages open from its cache.
const core = createCore({
  dataDir: join(dir, 'core'),
  homeDir: dir,
  syncIntervalSec: 86_400,
  profileOverride: { serverAddress: localServer.url, apiToken: localServer.adminToken },
});
const synced = new Promise<void>((resolve) =>
  core.on('sync.state', (state) => {
    if (!state.syncing && (state.lastSyncAt || state.lastError)) resolve();
  }),
);
await core.start();
await synced;
const opened = new Set<number>();

/** A job's page as JobView opens it: jobs.get (images fetched on first open, activity) and jobs.stats at once. */
async function openJobPage(id: number): Promise<void> {
  const [details] = await Promise.all([core.handlers['jobs.get']({ id }), core.handlers['jobs.stats']({ id })]);
  if (!details?.entities?.length) throw new Error(`job ${id} opened without its images`);
}

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
  line('full_list_speedup', sdkMs / oursMs, 'x', 'target >= 10 at 20 ms latency');
  line('full_list_speedup_with_changed_infos', sdkMs / (oursMs + changedMs), 'x');

  // Jobs still live now (an earlier scenario archived others): the pages open from the end, archives take from the start.
  const live = ours.filter((j) => !j.disabled).map((j) => j.id);
  if (live.length < 3 * ARCHIVE + PAGES_OPENED * 2) throw new Error(`only ${live.length} live jobs`);

  // A job's page: first open (its images read from the server, its activity pulled) and a second open.
  const pageIds = live.filter((id) => !opened.has(id)).slice(-PAGES_OPENED);
  const firstMs: number[] = [];
  const againMs: number[] = [];
  for (const id of pageIds) {
    opened.add(id);
    firstMs.push((await time(() => openJobPage(id)))[1]);
    againMs.push((await time(() => openJobPage(id)))[1]);
  }
  const note = `${PAGES_OPENED} jobs, jobs.get with the job's images and activity + jobs.stats in parallel, through the core`;
  line('job_page_first_open_p50', pct(firstMs, 0.5), 'ms', note);
  line('job_page_first_open_max', Math.max(...firstMs), 'ms', 'target < 300 at 20 ms latency');
  line('job_page_again_p50', pct(againMs, 0.5), 'ms', 'images cached, activity fresh: jobs.stats only');

  // Archiving: 1,000 jobs one by one vs bulk.archive at the app's default bound and at the bare client's 8, on disjoint sets.
  const sequentialIds = live.slice(0, ARCHIVE);
  const bulkIds = live.slice(ARCHIVE, 2 * ARCHIVE);
  const eightIds = live.slice(2 * ARCHIVE, 3 * ARCHIVE);
  const [, seqMs] = await time(async () => {
    for (const id of sequentialIds) await api.jobs.archive(id);
  });
  // no concurrency option: bulk's fan-out follows the client's bound, as in the app
  const [results, bulkMs] = await time(() => polite.bulk.archive(bulkIds));
  const [eightResults, eightMs] = await time(() => api.bulk.archive(eightIds));
  const failed = [...results, ...eightResults].filter((r) => !r.ok).length;
  if (failed) throw new Error(`${failed} bulk archives failed`);
  line('archive_1000_sequential', seqMs, 'ms', 'the SDK loop: one jobs.archive after the other');
  line('archive_1000_bulk', bulkMs, 'ms', `${IN_FLIGHT} in flight: the app's default Requests at once, bulk fan-out following it`);
  line('archive_1000_bulk_8_in_flight', eightMs, 'ms', '8 in flight: the bare client defaults');
  line('bulk_archive_speedup', seqMs / bulkMs, 'x', `target >= 8 at 20 ms latency, ${IN_FLIGHT} in flight`);
  line('bulk_archive_speedup_8_in_flight', seqMs / eightMs, 'x');

  // The app's own path for a bulk action: jobs.stop through the core's outbox and push loop, a small batch and a
  // large one. The rate should not fall with the size (the loop once read and parsed the whole queue per answer).
  const stopIds = live.slice(3 * ARCHIVE, 3 * ARCHIVE + 4_500);
  const small = 500 / ((await appBulkStop(stopIds.slice(0, 500))) / 1000);
  const large = 4_000 / ((await appBulkStop(stopIds.slice(500))) / 1000);
  line('app_bulk_stop_500', small, 'jobs/s', `through the core's outbox, ${IN_FLIGHT} in flight`);
  line('app_bulk_stop_4000', large, 'jobs/s');
  line('app_bulk_stop_4000_over_500', large / small, 'x', 'about 1 when the time per job does not grow with the batch');
}

/** ms until every change of a bulk stop of `ids` through the core is done or refused */
async function appBulkStop(ids: number[]): Promise<number> {
  const t0 = performance.now();
  const { batchId } = await core.handlers['jobs.stop']({ ids });
  for (;;) {
    const p = await core.handlers['outbox.batchProgress']({ batchId });
    if (p.done + p.failed >= p.total) return performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

try {
  for (const latency of latencies) await measure(latency);
} finally {
  await core.close();
  await localServer.close();
  rmSync(dir, { recursive: true, force: true });
}
