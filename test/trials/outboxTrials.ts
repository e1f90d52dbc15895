// Process-level trials of the outbox's exactly-once rule: each trial queues creates and changes
// (some on jobs still local), then a child pusher runs against the local server with injected
// failures (failRate) and lost answers (loseRate) and is killed with SIGKILL at a random moment; every
// few trials two pushers start on the same data folder at once. A last run drains the queue; then
// every queued change is checked on the server: `lost` counts changes that never took effect (or items
// left unfinished), `duplicated` jobs or members made more than once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache } from '../../main/cache';
import { startLocalServer } from '../../main/local-server';
import { createSuperviselyApi } from '../../main/supervisely/client';
import { enqueueCreateJobs, enqueueCreateUser, enqueueJobAction } from '../../main/sync/enqueue';
import { pullAll } from '../../main/sync/pull';
import { prng } from '../fixtures/jobRecords';

const CHILD = join(import.meta.dirname, '../fixtures/pushChild.ts');
const TEAM = 8;
const DATASET = 10555;

export interface TrialOptions {
  trials: number;
  failRate: number;
  loseRate: number;
  /** every n-th trial starts two pushers on the folder at once (0: never) */
  twoInstanceEvery: number;
  seed: number;
  /** longest wait before the SIGKILL after the child says it started */
  maxKillMs: number;
  log?: (line: string) => void;
}

export interface TrialReport {
  trials: number;
  lost: number;
  duplicated: number;
  kills: number;
  killedMidSend: number;
  refusedSecond: number;
  problems: string[];
}

type Outcome = 'killed' | 'drained' | 'refused';

function runChild(args: string[], killAfterMs: number | null): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader (the tsx wrapper would survive as a parent and the kill miss the pusher)
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== null && !timer && out.includes('started')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(out.includes('drained') ? 'drained' : 'killed');
      else if (code === 0) resolve('drained');
      else if (code === 3 && err.includes('is in use by process')) resolve('refused');
      else reject(new Error(`push child exited with ${code}: ${err}`));
    });
  });
}

export async function runTrials(o: TrialOptions): Promise<TrialReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-trials-'));
  const server = await startLocalServer({ port: 0, dataFile: join(dir, 'server.sqlite'), seed: 'demo', latencyMs: 40 });
  const admin = createSuperviselyApi({
    serverAddress: server.url,
    apiToken: server.adminToken,
    retryLimit: 6,
    retryBaseMs: 50,
    timeoutMs: 10_000,
  });
  const cacheFile = join(dir, 'cache.sqlite');
  const cache = openCache(cacheFile);
  try {
    const annotators: number[] = [];
    for (const login of ['labeler_1', 'labeler_2']) {
      const user = await admin.users.create({ login, password: 'password123' });
      await admin.users.addToTeam(user.id, TEAM, 3);
      annotators.push(user.id);
    }
    await pullAll(cache, admin, { full: true });
    cache.kv.set('me', { id: 7, login: 'my_username' });

    const rnd = prng(o.seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const expected = new Map<string, { status: string; archived: boolean; removed: boolean }>();
    const idOf = (name: string) => cache.db.prepare('SELECT id FROM jobs WHERE name = ?').pluck().get(name) as number;
    const users: string[] = [];
    const report: TrialReport = { trials: o.trials, lost: 0, duplicated: 0, kills: 0, killedMidSend: 0, refusedSecond: 0, problems: [] };
    const args = [cacheFile, server.url, server.adminToken];

    for (let trial = 0; trial < o.trials; trial++) {
      const now = new Date();
      const names: string[] = [];
      for (let k = 0; k < 3; k++) {
        const name = `t${trial}-c${k}`;
        enqueueCreateJobs(
          cache,
          {
            name,
            datasetId: DATASET,
            userIds: [pick(annotators)],
            classesToLabel: [],
            tagsToLabel: [],
            includeImagesWithTags: [],
            excludeImagesWithTags: [],
          },
          now,
        );
        expected.set(name, { status: 'pending', archived: false, removed: false });
        names.push(name);
      }
      await enqueueJobAction(cache, 'job.stop', [idOf(names[0]!)], now);
      expected.get(names[0]!)!.status = 'stopped';
      const older = [...expected.entries()].filter(([n, e]) => !names.includes(n) && !e.removed && !e.archived).map(([n]) => n);
      if (older.length >= 3) {
        const [toArchive, toRemove, toComplete] = [...older].sort(() => rnd() - 0.5);
        await enqueueJobAction(cache, 'job.archive', [idOf(toArchive!)], now);
        expected.get(toArchive!)!.archived = true;
        await enqueueJobAction(cache, 'job.remove', [idOf(toRemove!)], now);
        expected.get(toRemove!)!.removed = true;
        await enqueueJobAction(cache, 'job.setStatus', [idOf(toComplete!)], now, 'completed');
        expected.get(toComplete!)!.status = 'completed';
      }
      if (trial % 3 === 0) {
        const login = `trial_user_${trial}`;
        const request = { login, password: 'password123', isRestricted: false, name: '', email: '', teamId: TEAM, roleId: 3 };
        enqueueCreateUser(cache, request, now);
        users.push(login);
      }
      server.setFaults({ failRate: o.failRate, loseRate: o.loseRate });
      const two = o.twoInstanceEvery > 0 && trial % o.twoInstanceEvery === o.twoInstanceEvery - 1;
      const outcomes = await Promise.all(
        two
          ? [runChild(args, Math.floor(rnd() * o.maxKillMs)), runChild(args, Math.floor(rnd() * o.maxKillMs))]
          : [runChild(args, Math.floor(rnd() * o.maxKillMs))],
      );
      server.setFaults({ failRate: 0, loseRate: 0 });
      if (outcomes.includes('refused')) report.refusedSecond++;
      if (outcomes.includes('killed')) {
        report.kills++;
        if (cache.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'sending'`).pluck().get()) report.killedMidSend++;
      }
      o.log?.(`trial ${trial}: ${outcomes.join(' + ')}`);
    }
    // the last run finishes the queue (still with faults), then the server is read back without them
    server.setFaults({ failRate: o.failRate, loseRate: o.loseRate });
    for (let attempt = 0; attempt < 3 && (await runChild(args, null)) !== 'drained'; attempt++);
    server.setFaults({ failRate: 0, loseRate: 0 });

    for (const m of cache.outbox.unfinished()) report.problems.push(`${m.summary}: ${m.state} ${m.last_error ?? ''}`);
    const onServer = await admin.jobs.list({ teamId: TEAM, showDisabled: true });
    const byName = new Map<string, (typeof onServer)[number][]>();
    for (const j of onServer) byName.set(j.name, [...(byName.get(j.name) ?? []), j]);
    for (const [name, want] of expected) {
      const jobs = byName.get(name) ?? [];
      if (jobs.length > 1) report.duplicated += jobs.length - 1;
      const job = jobs[0];
      const wrong = want.removed ? jobs.length > 0 : !job || job.status !== want.status || job.disabled !== want.archived;
      if (wrong) {
        report.lost++;
        const has = jobs.map((j) => `${j.status}${j.disabled ? ' archived' : ''}`).join(', ') || 'nothing';
        report.problems.push(`${name}: wanted ${JSON.stringify(want)}, server has ${has}`);
      }
    }
    const members = (await admin.users.getTeamMembers(TEAM)).filter((m) => m.login.startsWith('trial_user_'));
    for (const login of users) {
      const found = members.filter((m) => m.login === login && m.roleId === 3).length;
      if (found === 0) {
        report.lost++;
        report.problems.push(`member ${login} missing`);
      }
    }
    report.lost += cache.outbox.unfinished().length;
    return report;
  } finally {
    cache.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
