// Sync benchmark (npm run bench:sync): the local server's team world (100,000 jobs, 5 teams, 60
// projects, ~6.5M images) in its own child process, a cold cache: time to the first job rows, the full
// first sync, images.list calls during sync, and repeat syncs with nothing changed. One line per figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache } from '../../main/cache';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { BACKGROUND_POLICY } from '../../main/supervisely/policy';
import { pullAll } from '../../main/sync/pull';
import { startServerProcess } from './serverProcess';
import { printMachineProbe } from './machineProbe';

const dir = mkdtempSync(join(tmpdir(), 'ljd-bench-sync-'));
const figure = (name: string, value: number, unit: string) =>
  console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

printMachineProbe(figure);
let t = performance.now();
const server = await startServerProcess(join(dir, 'server.sqlite'), ['--world', 'team']);
figure('sync.server_start_with_seed', performance.now() - t, 'ms');
try {
  const calls = new Map<string, number>();
  const api = createSuperviselyApi({
    serverAddress: server.url,
    apiToken: server.token,
    ...BACKGROUND_POLICY,
    onAttempt: (e) => calls.set(e.endpoint, (calls.get(e.endpoint) ?? 0) + 1),
  });
  const cache = openCache(join(dir, 'cache.sqlite'));
  let firstRowsMs: number | null = null;

  t = performance.now();
  let cpu = process.cpuUsage();
  await api.users.getMyInfo(); // the engine's first call
  const first = await pullAll(cache, api, {
    onJobsWritten: (n) => {
      if (n > 0) firstRowsMs ??= performance.now() - t;
    },
  });
  figure('sync.first_job_rows', firstRowsMs ?? NaN, 'ms');
  figure('sync.full_first', performance.now() - t, 'ms');
  figure('sync.full_first.cpu', cpuMs(cpu), 'ms');
  figure('sync.full_first.jobs', first.jobsWritten, 'jobs');
  figure('sync.full_first.stale_lists', first.stale.length, 'lists');
  figure('sync.full_first.longest_write', first.longestWriteMs, 'ms');
  figure('sync.images_list_calls', calls.get('images.list') ?? 0, 'calls');
  figure(
    'sync.full_first.requests',
    [...calls.values()].reduce((a, b) => a + b, 0),
    'requests',
  );

  for (const name of ['sync.repeat_first', 'sync.repeat']) {
    calls.clear();
    t = performance.now();
    cpu = process.cpuUsage();
    const again = await pullAll(cache, api);
    figure(name, performance.now() - t, 'ms');
    figure(`${name}.cpu`, cpuMs(cpu), 'ms');
    figure(`${name}.jobs_written`, again.jobsWritten, 'jobs');
    figure(
      `${name}.requests`,
      [...calls.values()].reduce((a, b) => a + b, 0),
      'requests',
    );
  }
  figure('sync.repeat.images_list_calls', calls.get('images.list') ?? 0, 'calls');
  cache.close();
} finally {
  server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
