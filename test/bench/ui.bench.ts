// UI benchmark: 100,000 jobs in the local server, pulled into the cache by the real core behind the
// real browser bridge, shown in Chromium. Measures scrolling (frame intervals and main-thread work per
// frame), how long a jump, a filter change, a sort change and select-all take to show rows, and how
// many window requests a jump sends. Prints `name: value unit` lines.
//   npm run bench:ui            (BENCH_JOBS=20000 for a quicker run, BENCH_JOBS=1000000 for 1M; LJD_DEBUG=1 adds the
//                               core's slow queries and sort index lines on stderr; BENCH_TRACE=flick, or scroll or jump,
//                               what that phase's frames spend on the page's main thread, by trace event, from a Chrome trace;
//                               BENCH_PROFILE=<phase>, the page's script functions with the most self time, from a CPU profile)
//
// Goals (issue 14), at 100k and 1M jobs:
//   scroll_/flick_frame_interval_p95        < 17.5 ms (no dropped frame at 60 Hz; _dropped_frames counts them)
//   scroll_/flick_main_thread_work_per_frame < 10 ms (_cpu_per_frame: the CPU time of that work, steadier when
//                                            the machine's cores are shared; no goal of its own)
//   jump_to_rows_p95                         < 50 ms; jump_window_requests_for_view_max = 1
//   filter_change_to_rows_p50 / _max, sort_change_to_rows_p50 / _max, select_all_matching_p50 / _max < 50 ms
// baseline_*_frame_interval_p95 are the same scrolls, in the same browser and run (before the app starts), of a
// page that draws nothing new (an empty scroller): the floor this machine's frames allow;
// *_frame_interval_p95_over_baseline is the grid's figure over it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { createHarness } from '../e2e/support/harness';
import { printMachineProbe } from './machineProbe';

const root = fileURLToPath(new URL('../..', import.meta.url));
const jobCount = Number(process.env.BENCH_JOBS ?? 100_000);
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const print = (name: string, value: number, unit: string) =>
  console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);

interface ScrollPhase {
  frames: number;
  /** px a frame, or -1: jumps across the whole list */
  step: number;
}

/** Scrolls the page's `[role="grid"]` one step each animation frame; the intervals between frames, and how often rows were loading. */
function scrollFrames(page: Page, phase: ScrollPhase): Promise<{ deltas: number[]; loading: number }> {
  return page.evaluate(async ({ frames, step }) => {
    const grid = document.querySelector<HTMLElement>('[role="grid"]');
    if (!grid) throw new Error('no grid');
    const deltas: number[] = [];
    let loading = 0;
    let last = performance.now();
    for (let frame = 0; frame < frames; frame++) {
      await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const now = performance.now();
      if (frame > 0) deltas.push(now - last);
      last = now;
      if (step > 0) grid.scrollTop = grid.scrollTop + step;
      else grid.scrollTop = ((frame * 7919) % frames) * (grid.scrollHeight / frames);
      if (frame % 10 === 0 && grid.querySelector('[aria-busy="true"]')) loading++;
    }
    return { deltas, loading };
  }, phase);
}

/**
 * What the renderer's main thread spends its time on (BENCH_TRACE=<phase>), from a Chrome trace: the time of all its
 * tasks (wall and CPU), and the events with the most self time (their own, less the events inside them), in ms.
 */
function traceMainThread(cdp: CDPSession) {
  type TraceEvent = {
    name: string;
    ph: string;
    ts: number;
    dur?: number;
    tdur?: number;
    tid: number;
    pid: number;
    args?: { name?: string };
  };
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const started = cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8',
    transferMode: 'ReportEvents',
  });
  return {
    async stop(): Promise<[string, number][]> {
      await started;
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await done;
      const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
      const spans = events
        .filter((e) => main && e.tid === main.tid && e.pid === main.pid && e.ph === 'X' && e.dur !== undefined)
        .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
      const self = new Map<string, number>();
      let tasks = 0;
      let tasksCpu = 0;
      // events on one thread nest: each one's time goes to the innermost event open at that moment
      const open: { name: string; end: number }[] = [];
      for (const e of spans) {
        while (open.length && open[open.length - 1]!.end <= e.ts) open.pop();
        const parent = open[open.length - 1];
        if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur! / 1000);
        else {
          tasks += e.dur! / 1000;
          tasksCpu += (e.tdur ?? 0) / 1000;
        }
        self.set(e.name, (self.get(e.name) ?? 0) + e.dur! / 1000);
        open.push({ name: e.name, end: e.ts + e.dur! });
      }
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
      // CPU time: what the thread ran, without the time it waited for a core (steadier on a shared machine)
      return [['all_tasks', tasks], ['all_tasks_cpu', tasksCpu], ...top.map(([name, ms]): [string, number] => [`self_${name}`, ms])];
    },
  };
}

/** Where the page's script spends its own time (BENCH_PROFILE=<phase>), from a CPU profile: ms per function, the largest. */
function profileScript(cdp: CDPSession) {
  const started = (async () => {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  })();
  return {
    async stop(): Promise<[string, number][]> {
      await started;
      const { profile } = await cdp.send('Profiler.stop');
      const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples?.forEach((id, i) => {
        const { functionName, url, lineNumber } = byNode.get(id)!.callFrame;
        const where = `${functionName || '(anonymous)'}@${url.split('/').pop() || '-'}:${lineNumber + 1}`;
        self.set(where, (self.get(where) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
      });
      return [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
    },
  };
}

async function main(): Promise<void> {
  if (process.env.LJD_E2E_SKIP_BUILD !== '1')
    execFileSync(`${root}/node_modules/.bin/vite`, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  printMachineProbe(print);
  const seedStart = Date.now();
  const harness = await createHarness({ jobs: jobCount });
  print('server_seed', Date.now() - seedStart, 'ms');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  const phases = [
    { name: 'scroll', frames: 150, step: 120 },
    { name: 'flick', frames: 120, step: 700 },
    { name: 'jump', frames: 40, step: -1 },
  ];
  try {
    // the floor: the same scrolls of an empty scroller in this browser, before the app starts (nothing else runs)
    const blank = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await blank.setContent('<div role="grid" style="height: 860px; overflow: auto"><div style="height: 3000000px"></div></div>');
    const baseline = new Map<string, number>();
    for (const phase of phases) {
      const { deltas } = await scrollFrames(blank, phase);
      baseline.set(phase.name, percentile(deltas, 95));
      print(`baseline_${phase.name}_frame_interval_p95`, percentile(deltas, 95), 'ms');
      print(`baseline_${phase.name}_dropped_frames`, deltas.filter((d) => d >= 25).length, `of ${deltas.length}`);
    }
    await blank.close();
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const url = await harness.launchApp();
    const openStart = Date.now();
    await page.goto(url);
    // The first pull is done when the header's sync button is idle and rows are shown.
    const matches = async () => Number(((await page.getByTestId('match-count').textContent()) ?? '').replace(/[^\d]/g, '') || 0);
    await page.getByRole('button', { name: 'Sync now' }).and(page.locator(':not([disabled])')).waitFor({ timeout: 600_000 });
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="match-count"]')?.textContent ?? ''), null, {
      timeout: 600_000,
    });
    await page.locator('[role="row"][data-job-id]').first().waitFor({ timeout: 600_000 });
    // The button is idle before the first sync state arrives, and rows show while the pull still writes:
    // done is an idle button and a count that held still for 2 s.
    let shown = await matches();
    for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
      await page.waitForTimeout(2_000);
      const idle = await page.getByRole('button', { name: 'Sync now' }).isEnabled();
      const now = await matches();
      if (idle && now === shown) break;
      shown = now;
    }
    print('first_pull_and_grid_ready', Date.now() - openStart, 'ms');
    print('jobs_matching_default_filter', shown, 'jobs');
    const expected = `${shown.toLocaleString('en-US')} job`;

    // Grid opened again from the warm cache (reload): time to the first rows.
    const reloadStart = Date.now();
    await page.reload();
    await page.getByTestId('match-count').filter({ hasText: expected }).waitFor();
    await page.locator('[role="row"][data-job-id]').first().waitFor();
    print('grid_open_from_cache', Date.now() - reloadStart, 'ms');

    // Scrolling in three phases, each measured on its own: a wheel-like scroll (120 px a frame), a
    // fast flick (700 px a frame) and jumps across the whole list (scrollbar drags).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // the page's main thread: the time of its tasks, and the CPU time they ran (without the waits for a core)
    const mainThread = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return { busy: metric('TaskDuration'), cpu: metric('ThreadTime') };
    };
    let loadingSamples = 0;
    for (const phase of phases) {
      const before = await mainThread();
      const tracing = process.env.BENCH_TRACE === phase.name ? traceMainThread(cdp) : null;
      const profiling = process.env.BENCH_PROFILE === phase.name ? profileScript(cdp) : null;
      const result = await scrollFrames(page, phase);
      const after = await mainThread();
      if (tracing) for (const [name, ms] of await tracing.stop()) print(`trace_${phase.name}_${name}_per_frame`, ms / phase.frames, 'ms');
      if (profiling)
        for (const [where, ms] of await profiling.stop()) print(`profile_${phase.name}_${where}_per_frame`, ms / phase.frames, 'ms');
      loadingSamples += result.loading;
      print(`${phase.name}_frame_interval_p50`, percentile(result.deltas, 50), 'ms');
      print(`${phase.name}_frame_interval_p95`, percentile(result.deltas, 95), 'ms');
      print(`${phase.name}_frame_interval_p95_over_baseline`, percentile(result.deltas, 95) / baseline.get(phase.name)!, 'x');
      print(`${phase.name}_frame_interval_max`, Math.max(...result.deltas), 'ms');
      // a frame dropped at 60 Hz: an interval that spans a missed vsync (1.5 intervals or more), not timer jitter
      print(`${phase.name}_dropped_frames`, result.deltas.filter((d) => d >= 25).length, `of ${result.deltas.length}`);
      print(`${phase.name}_main_thread_work_per_frame`, ((after.busy - before.busy) * 1000) / phase.frames, 'ms');
      print(`${phase.name}_main_thread_cpu_per_frame`, ((after.cpu - before.cpu) * 1000) / phase.frames, 'ms');
    }
    print('scroll_samples_with_rows_still_loading', loadingSamples, 'of 31');

    // Jumps (a scrollbar drag that lets go far away): time until the rows in view are filled, and
    // the window requests sent meanwhile: all of them, and those for the rows in view (goal: one).
    const jumps = await page.evaluate(async () => {
      const grid = document.querySelector<HTMLElement>('[role="grid"]')!;
      let windows: { offset: number; limit: number }[] = [];
      const realFetch = window.fetch;
      window.fetch = (input, init) => {
        if (String(input).includes('jobs.window')) windows.push(JSON.parse(String(init?.body ?? '{}')));
        return realFetch(input, init);
      };
      const out: { ms: number; requests: number; forView: number }[] = [];
      for (let i = 1; i <= 12; i++) {
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 150));
        windows = [];
        const target = Math.floor((((i * 7919) % 97) / 97) * (grid.scrollHeight - grid.clientHeight));
        const start = performance.now();
        grid.scrollTop = target;
        for (;;) {
          await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
          const top = grid.getBoundingClientRect().top + 40;
          const inView = [...grid.querySelectorAll<HTMLElement>('[role="row"][aria-rowindex]')].filter((r) => {
            const box = r.getBoundingClientRect();
            return box.top >= top && box.bottom <= top + grid.clientHeight - 40;
          });
          if (inView.length > 0 && inView.every((r) => r.getAttribute('aria-busy') !== 'true')) break;
          if (performance.now() - start > 10_000) break;
        }
        const firstRow = Math.floor(target / 30);
        const lastRow = firstRow + Math.ceil(grid.clientHeight / 30);
        const forView = windows.filter((w) => w.offset <= lastRow && w.offset + w.limit > firstRow).length;
        out.push({ ms: performance.now() - start, requests: windows.length, forView });
      }
      window.fetch = realFetch;
      return out;
    });
    print(
      'jump_to_rows_p50',
      percentile(
        jumps.map((j) => j.ms),
        50,
      ),
      'ms',
    );
    print(
      'jump_to_rows_p95',
      percentile(
        jumps.map((j) => j.ms),
        95,
      ),
      'ms',
    );
    print('jump_window_requests_max', Math.max(...jumps.map((j) => j.requests)), 'requests');
    print('jump_window_requests_for_view_max', Math.max(...jumps.map((j) => j.forView)), 'requests');
    print('dom_rows_rendered', await page.locator('[role="row"]').count(), 'rows');

    // Filter change → rows updated: toggle a status chip; wait until the count and rows change.
    await page.evaluate(() => (document.querySelector<HTMLElement>('[role="grid"]')!.scrollTop = 0));
    const filterTimes: number[] = [];
    for (const status of ['Pending', 'Completed', 'Stopped', 'In progress']) {
      for (const pass of [0, 1]) {
        void pass;
        const ms = await page.evaluate(async (label) => {
          const count = document.querySelector('[data-testid="match-count"]')!;
          const before = count.textContent;
          const firstBefore = document.querySelector('[role="row"][data-job-id]')?.getAttribute('data-job-id');
          const box = document.querySelector<HTMLInputElement>(`input[aria-label="Status ${label}"]`)!;
          const start = performance.now();
          box.click();
          for (;;) {
            await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
            const rows = document.querySelectorAll('[role="row"][data-job-id]');
            const changed = count.textContent !== before || rows[0]?.getAttribute('data-job-id') !== firstBefore;
            if (changed && document.querySelectorAll('[aria-busy="true"]').length === 0) return performance.now() - start;
            if (performance.now() - start > 10_000) return NaN;
          }
        }, status);
        filterTimes.push(ms);
      }
    }
    print('filter_change_to_rows_p50', percentile(filterTimes, 50), 'ms');
    print('filter_change_to_rows_max', Math.max(...filterTimes), 'ms');

    // Sort change: a click on a column's sort button until its rows are shown (the first rows changed and
    // none is loading; two orders may begin with the same job), timed in the page like the filter changes,
    // for seven columns.
    const sortTimes: number[] = [];
    for (const label of ['Name', 'Status', 'Assignee', 'Project', 'Progress', 'Finished', 'Created']) {
      const ms = await page.evaluate(async (label) => {
        // (no named functions in here: the bundler would wrap them in a helper the page does not have)
        const before = Array.from(document.querySelectorAll('[role="row"][data-job-id]'), (r) => r.getAttribute('data-job-id'))
          .slice(0, 12)
          .join();
        const button = document.querySelector<HTMLButtonElement>(`button[aria-label="Sort by ${label}"]`)!;
        const start = performance.now();
        button.click();
        for (;;) {
          await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
          const sorted = button.closest('[aria-sort]')?.getAttribute('aria-sort') !== 'none';
          if (
            sorted &&
            Array.from(document.querySelectorAll('[role="row"][data-job-id]'), (r) => r.getAttribute('data-job-id'))
              .slice(0, 12)
              .join() !== before &&
            document.querySelectorAll('[aria-busy="true"]').length === 0
          )
            return performance.now() - start;
          if (performance.now() - start > 10_000) return NaN;
        }
      }, label);
      print(`sort_change_${label.toLowerCase()}_to_rows`, ms, 'ms');
      sortTimes.push(ms);
    }
    print('sort_change_to_rows_p50', percentile(sortTimes, 50), 'ms');
    print('sort_change_to_rows_max', Math.max(...sortTimes), 'ms');

    // Select all matching (ctrl/cmd+A) across the whole filtered set, timed in the page like the filter
    // changes (key down → the selection count drawn), three times, cleared with Escape in between.
    const selectTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.getByRole('grid', { name: 'Jobs' }).focus();
      selectTimes.push(
        await page.evaluate(async () => {
          const grid = document.querySelector<HTMLElement>('[role="grid"]')!;
          const mac = navigator.platform.startsWith('Mac');
          const start = performance.now();
          grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', ctrlKey: !mac, metaKey: mac, bubbles: true, cancelable: true }));
          for (;;) {
            await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
            if (document.querySelector('[data-testid="selection-count"]')) return performance.now() - start;
            if (performance.now() - start > 10_000) return NaN;
          }
        }),
      );
      await page.keyboard.press('Escape');
      await page.getByTestId('selection-count').waitFor({ state: 'detached' });
    }
    print('select_all_matching_p50', percentile(selectTimes, 50), 'ms');
    print('select_all_matching_max', Math.max(...selectTimes), 'ms');
  } finally {
    // LJD_DEBUG=1: the core's slow queries and sort index lines, to see where a slow figure's time went
    if (process.env.LJD_DEBUG) {
      const lines = harness.bridgeLog.join('').split('\n');
      console.error(lines.filter((l) => /slow query|sortIndex:/.test(l)).join('\n'));
    }
    await browser.close();
    await harness.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
