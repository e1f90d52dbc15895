// Crash: the push loop runs in a child process that is killed with SIGKILL at random (seeded)
// moments, 30 times, while each trial queues more creates and changes (some on jobs that are still
// local). A last run finishes the queue: no change is lost and no job is created twice.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { enqueueCreateJobs, enqueueCreateUser, enqueueJobAction } from '../../../main/sync/enqueue';
import { pullAll } from '../../../main/sync/pull';
import { prng } from '../../fixtures/jobRecords';
import { addMembers, adminApi, DATASET, startServer, TEAM, tempDir } from './helpers';

const TRIALS = 30;
const CHILD = join(import.meta.dirname, '../../fixtures/pushChild.ts');

function runChild(args: string[], killAfterStartMs: number | null): Promise<'killed' | 'drained'> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader (the tsx wrapper would survive as a parent and the kill miss the pusher)
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterStartMs !== null && out.includes('started')) {
        killAfterStartMs = null;
        setTimeout(() => child.kill('SIGKILL'), Number(killAfterStartMsValue));
      }
    });
    const killAfterStartMsValue = killAfterStartMs;
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out.includes('drained') ? 'drained' : 'killed');
      else if (code === 0) resolve('drained');
      else reject(new Error(`push child exited with ${code}: ${err}`));
    });
  });
}

describe('crash while pushing', () => {
  const t = tempDir('ljd-crash-');
  const closers: (() => unknown)[] = [];
  afterAll(async () => { for (const c of closers.reverse()) await c(); t.cleanup(); });

  it(`survives ${TRIALS} kill -9 at random moments: nothing lost, nothing created twice`, async () => {
    const server = await startServer(t.dir, { latencyMs: 60 });
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1', 'labeler_2']);
    const cacheFile = join(t.dir, 'cache.sqlite');
    const cache = openCache(cacheFile);
    closers.push(() => cache.close());
    await pullAll(cache, admin, { full: true });
    cache.kv.set('me', { id: 7, login: 'my_username' });

    const rnd = prng(20261128);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    // the expected end state, by job name
    const expected = new Map<string, { status: string; archived: boolean; removed: boolean }>();
    const idOf = (name: string) => cache.db.prepare('SELECT id FROM jobs WHERE name = ?').pluck().get(name) as number;
    const users: string[] = [];
    let kills = 0;
    let killedMidSend = 0;

    for (let trial = 0; trial < TRIALS; trial++) {
      const now = new Date();
      const names: string[] = [];
      for (let k = 0; k < 3; k++) {
        const name = `t${trial}-c${k}`;
        enqueueCreateJobs(cache, {
          name, datasetId: DATASET, userIds: [pick([u.labeler_1!, u.labeler_2!])], classesToLabel: [], tagsToLabel: [],
          includeImagesWithTags: [], excludeImagesWithTags: [],
        }, now);
        expected.set(name, { status: 'pending', archived: false, removed: false });
        names.push(name);
      }
      enqueueJobAction(cache, 'job.stop', [idOf(names[0]!)], now);
      expected.get(names[0]!)!.status = 'stopped';
      const older = [...expected.entries()].filter(([n, e]) => !names.includes(n) && !e.removed && !e.archived).map(([n]) => n);
      if (older.length >= 2) {
        const toArchive = pick(older);
        enqueueJobAction(cache, 'job.archive', [idOf(toArchive)], now);
        expected.get(toArchive)!.archived = true;
        const toRemove = pick(older.filter((n) => n !== toArchive));
        enqueueJobAction(cache, 'job.remove', [idOf(toRemove)], now);
        expected.get(toRemove)!.removed = true;
        const toComplete = older.filter((n) => n !== toArchive && n !== toRemove)[0];
        if (toComplete) {
          enqueueJobAction(cache, 'job.setStatus', [idOf(toComplete)], now, 'completed');
          expected.get(toComplete)!.status = 'completed';
        }
      }
      if (trial % 3 === 0) {
        enqueueCreateUser(cache, { login: `crash_user_${trial}`, password: 'password123', isRestricted: false, name: '', email: '', teamId: TEAM, roleId: 3 }, now);
        users.push(`crash_user_${trial}`);
      }
      const outcome = await runChild([cacheFile, server.url, server.adminToken], Math.floor(rnd() * 300));
      if (outcome === 'killed') {
        kills++;
        // a request was on the wire when the process died
        if (cache.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'sending'`).pluck().get()) killedMidSend++;
        if (process.env.CRASH_DEBUG) console.log(trial, JSON.stringify(cache.db.prepare('SELECT state, count(*) n, sum(attempts) a FROM outbox GROUP BY state').all()));
      }
    }
    expect(await runChild([cacheFile, server.url, server.adminToken], null)).toBe('drained');
    console.log(`crash test: ${kills} of ${TRIALS} runs killed, ${killedMidSend} with a request on the wire`);
    expect(kills).toBeGreaterThan(TRIALS / 2);
    expect(killedMidSend).toBeGreaterThan(TRIALS / 3);

    const unfinished = cache.outbox.unfinished();
    expect(unfinished.map((m) => `${m.summary}: ${m.state} ${m.last_error}`)).toEqual([]);

    const onServer = await admin.jobs.list({ teamId: TEAM, showDisabled: true });
    const byName = new Map<string, (typeof onServer)[number][]>();
    for (const j of onServer) byName.set(j.name, [...(byName.get(j.name) ?? []), j]);
    const duplicates = [...byName.entries()].filter(([, js]) => js.length > 1).map(([n]) => n);
    expect(duplicates).toEqual([]);
    const actual = new Map(onServer.map((j) => [j.name, { status: j.status, archived: j.disabled, removed: false }]));
    const wanted = new Map([...expected.entries()].filter(([, e]) => !e.removed));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(wanted));
    const members = (await admin.users.getTeamMembers(TEAM)).filter((m) => m.login.startsWith('crash_user_'));
    expect(members.map((m) => `${m.login}:${m.roleId}`).sort()).toEqual(users.map((l) => `${l}:3`).sort());
    // every local id was remapped
    expect(cache.db.prepare('SELECT count(*) FROM jobs WHERE id < 0').pluck().get()).toBe(0);
  }, 120_000);
});
