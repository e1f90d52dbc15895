// Benchmark of the local server at scale (npm run bench:local-server): seeds 100,000 jobs, then times
// jobs.list pages of 1,000 rows (no filter, one filter, combined filters, deep pages), whole-list reads
// page after page (jobs with archived ones, the activity feed) and jobs.info over real HTTP. Prints one
// `name: value unit` line per figure, the goal beside the ones that have one; not a test (no pass/fail).
// Then the team world: its seed time (goal < 10 s) and deep images.list pages of formula images (p95 < 50 ms).
// Goals: every jobs.list page of 1,000 p95 < 50 ms; teams.activity pages of 1,000 p95 < 50 ms (issue 14:
// 128 ms with the 6-way join count); the whole feed or the whole team's jobs read page by page < 5 s.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../main/local-server/index';

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const TARGET_MS = 50;
const dataFile = join(tmpdir(), `local-server-bench-${process.pid}.sqlite`);

const print = (name: string, value: number, unit: string, goal?: string) =>
  console.log(`${name}: ${value.toFixed(1)} ${unit}${goal ? ` (goal ${goal})` : ''}`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const t0 = performance.now();
const localServer = await startLocalServer({ dataFile, jobs: JOBS });
print('seed.jobs', JOBS, 'jobs');
print('seed.time', (performance.now() - t0) / 1000, 's');

async function call(method: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${localServer.url}/public/api/v3/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': localServer.adminToken },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  if (res.status !== 200) throw new Error(`${method} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const p95s: { name: string; p95: number }[] = [];
async function measure(name: string, runs: number, body: (i: number) => [string, unknown], isPage = true, goal?: string): Promise<void> {
  await call(...body(0)); // warm-up
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const [method, b] = body(i);
    const t = performance.now();
    const json = (await call(method, b)) as { entities?: unknown[] };
    times.push(performance.now() - t);
    rows += json.entities?.length ?? 1;
  }
  times.sort((a, b) => a - b);
  print(`${name}.p50`, percentile(times, 50), 'ms');
  print(`${name}.p95`, percentile(times, 95), 'ms', goal ?? (isPage ? `< ${TARGET_MS} ms` : undefined));
  print(`${name}.rows_per_call`, rows / runs, 'rows');
  if (isPage) p95s.push({ name, p95: percentile(times, 95) });
}

const list = (filter: unknown[], page = 1, extra: Record<string, unknown> = {}) =>
  ['jobs.list', { teamId: 8, showDisabled: false, filter, sort: 'id', sort_order: 'asc', page, per_page: 1000, ...extra }] as [
    string,
    unknown,
  ];
const first = (await call('jobs.list', { teamId: 8, filter: [], per_page: 1 })) as { total: number };
const pages = Math.ceil(first.total / 1000);

await measure('jobs.list.page1000.nofilter', 60, () => list([]));
await measure('jobs.list.page1000.onefilter', 60, (i) => list([{ field: 'status', operator: '=', value: 'in_progress' }], 1 + (i % 5)));
await measure('jobs.list.page1000.combined', 60, (i) =>
  list(
    [
      { field: 'createdBy', operator: '=', value: 7 },
      { field: 'status', operator: '!in', value: ['completed', 'stopped'] },
      { field: 'labelingQueueId', operator: '=', value: null },
    ],
    1 + (i % 3),
  ),
);
await measure('jobs.list.page1000.deep', 40, (i) => list([], pages - (i % 5)));
// what the app's full sync asks for: archived jobs included, the last pages
await measure('jobs.list.page1000.deep.showDisabled', 40, (i) => list([], pages - (i % 5), { showDisabled: true }));
await measure('jobs.list.page1000.showDisabled_sort_updatedAt', 40, (i) =>
  list([], 1 + (i % 50), { showDisabled: true, sort: 'updatedAt', sort_order: 'desc' }),
);

/** Reads a whole list page after page, as a full sync does; prints the total time. */
async function readWhole(name: string, method: string, body: Record<string, unknown>, goal: string): Promise<void> {
  const t = performance.now();
  let rows = 0;
  for (let page = 1; ; page++) {
    const json = (await call(method, { ...body, page, per_page: 1000 })) as { entities: unknown[]; pagesCount: number };
    rows += json.entities.length;
    if (page >= json.pagesCount) break;
  }
  print(`${name}.time`, (performance.now() - t) / 1000, 's', goal);
  print(`${name}.rows`, rows, 'rows');
}
await readWhole('jobs.list.whole.showDisabled', 'jobs.list', { teamId: 8, showDisabled: true, filter: [] }, '< 5 s');
await readWhole('teams.activity.whole', 'teams.activity', { teamId: 8, filter: [] }, '< 5 s');
const feed = (await call('teams.activity', { teamId: 8, filter: [], per_page: 1 })) as { total: number };
const feedPages = Math.ceil(feed.total / 1000);
await measure('teams.activity.page1000.deep', 40, (i) => [
  'teams.activity',
  { teamId: 8, filter: [], page: feedPages - (i % 5), per_page: 1000 },
]);
await measure('teams.activity.page1000.type_filter', 40, (i) => [
  'teams.activity',
  { teamId: 8, filter: [{ field: 'type', operator: '=', value: 'job_status_changed' }], page: 1 + (i % 20), per_page: 1000 },
]);
const visible = (await call('jobs.list', { teamId: 8, filter: [], fields: ['id'], per_page: JOBS })) as { entities: { id: number }[] };
await measure('jobs.list.ids_only.all', 10, () => ['jobs.list', { teamId: 8, filter: [], fields: ['id'], per_page: JOBS }], false);
await measure('jobs.info', 300, (i) => ['jobs.info', { id: visible.entities[(i * 7919) % visible.entities.length]!.id }], false);

const worst = p95s.reduce((a, b) => (b.p95 > a.p95 ? b : a));
console.log(
  `target.page1000.p95: worst ${worst.p95.toFixed(1)} ms (${worst.name}) vs target ${TARGET_MS} ms → ${worst.p95 < TARGET_MS ? 'met' : 'NOT met'}`,
);
await localServer.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataFile}${suffix}`, { force: true });

// The team world: seeding its 100,000 jobs (goal < 10 s), and a deep page of a dataset of formula images.
const w0 = performance.now();
const cpu0 = process.cpuUsage();
const world = await startLocalServer({ world: 'team', jobs: JOBS });
print('world.team.seed', (performance.now() - w0) / 1000, 's', '< 10 s');
// CPU time of the seed (user + system): what the wall time would be on an idle machine, minus disk waits
const cpu = process.cpuUsage(cpu0);
print('world.team.seed.cpu', (cpu.user + cpu.system) / 1e6, 's', '< 10 s');
const worldCall = async (method: string, body: unknown) =>
  (await (
    await fetch(`${world.url}/public/api/v3/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': world.adminToken },
      body: JSON.stringify(body),
    })
  ).json()) as { entities: { id: number; imagesCount: number }[] };
const projects = (await worldCall('projects.list', { per_page: 1000 })).entities;
const datasets = (await worldCall('datasets.list', { projectId: projects[5]!.id, per_page: 1000 })).entities;
const biggest = datasets.reduce((a, b) => (b.imagesCount > a.imagesCount ? b : a));
const times: number[] = [];
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  await worldCall('images.list', {
    datasetId: biggest.id,
    filter: [],
    sort: 'id',
    sort_order: 'asc',
    page: Math.ceil(biggest.imagesCount / 1000) - i,
    per_page: 1000,
  });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
print('world.team.images.list.page1000.deep.p95', percentile(times, 95), 'ms', `< ${TARGET_MS} ms`);
await world.close();
