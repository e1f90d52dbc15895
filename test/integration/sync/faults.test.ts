// Faults: the same queue of changes pushed to a server that fails 30 % of requests (5xx, 429,
// dropped connections) ends in the same state as against a healthy server, with no duplicates.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { Connectivity } from '../../../main/sync/connectivity';
import { enqueueCreateJobs, enqueueCreateUser, enqueueJobAction } from '../../../main/sync/enqueue';
import { pullAll } from '../../../main/sync/pull';
import { PushLoop } from '../../../main/sync/push';
import { addMembers, adminApi, DATASET, startServer, TEAM, tempDir } from '../support';

async function runScenario(
  dir: string,
  faults: { failRate?: number; loseRate?: number },
): Promise<{ endState: string[]; users: string[]; attempts: number; failedCalls: number }> {
  const server = await startServer(dir);
  try {
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1', 'labeler_2']);
    const pre = [];
    for (let i = 0; i < 8; i++)
      pre.push((await admin.jobs.create({ name: `pre-${i}`, datasetId: DATASET, userIds: [i % 2 ? u.labeler_1! : u.labeler_2!] }))[0]!.id);
    const cache = openCache(join(dir, 'cache.sqlite'));
    try {
      await pullAll(cache, admin, { full: true });
      cache.kv.set('me', { id: 7, login: 'my_username' });
      const now = new Date();
      for (let i = 0; i < 6; i++) {
        const { jobIds } = enqueueCreateJobs(
          cache,
          {
            name: `new-${i}`,
            datasetId: DATASET,
            userIds: [u.labeler_1!, u.labeler_2!],
            classesToLabel: ['kiwi'],
            tagsToLabel: [],
            includeImagesWithTags: [],
            excludeImagesWithTags: [],
          },
          now,
        );
        if (i % 3 === 0) await enqueueJobAction(cache, 'job.stop', [jobIds[0]!], now);
        if (i % 3 === 1) await enqueueJobAction(cache, 'job.archive', [jobIds[1]!], now);
      }
      await enqueueJobAction(cache, 'job.stop', pre.slice(0, 2), now);
      await enqueueJobAction(cache, 'job.archive', pre.slice(2, 4), now);
      await enqueueJobAction(cache, 'job.remove', pre.slice(4, 6), now);
      await enqueueJobAction(cache, 'job.setStatus', pre.slice(6, 8), now, 'on_review');
      enqueueCreateUser(
        cache,
        { login: 'faulty_user', password: 'password123', isRestricted: false, name: '', email: '', teamId: TEAM, roleId: 3 },
        now,
      );

      server.setFaults(faults);
      let failedCalls = 0; // every HTTP attempt that did not come back 200, whoever retried it
      const api = createSuperviselyApi({
        serverAddress: server.url,
        apiToken: server.adminToken,
        retryLimit: 2,
        retryBaseMs: 10,
        timeoutMs: 5000,
        onAttempt: (e) => {
          if (e.outcome !== 'ok') failedCalls++;
        },
      });
      const push = new PushLoop({ cache, api, connectivity: new Connectivity(Date.now, 10), retryBaseMs: 10 });
      push.start();
      await push.drain(60_000);
      await push.stop();
      server.setFaults({ failRate: 0, loseRate: 0 });

      const problems = cache.outbox.unfinished().map((m) => `${m.summary}: ${m.state} ${m.last_error}`);
      expect(problems).toEqual([]);
      const attempts = cache.db.prepare('SELECT sum(attempts) FROM outbox').pluck().get() as number;
      const jobs = await admin.jobs.list({ teamId: TEAM, showDisabled: true });
      const users = (await admin.users.getTeamMembers(TEAM)).map((m) => `${m.login}:${m.roleId}`).sort();
      return { endState: jobs.map((j) => `${j.name}|${j.assignedToLogin}|${j.status}|${j.disabled}`).sort(), users, attempts, failedCalls };
    } finally {
      cache.close();
    }
  } finally {
    await server.close();
  }
}

describe('faults', () => {
  const healthy = tempDir('ljd-healthy-');
  const faulty = tempDir('ljd-faulty-');
  const lossy = tempDir('ljd-lossy-');
  afterAll(() => {
    healthy.cleanup();
    faulty.cleanup();
    lossy.cleanup();
  });
  let referenceRun: ReturnType<typeof runScenario> | null = null;
  const healthyRun = () => (referenceRun ??= runScenario(healthy.dir, {}));

  it('with failRate 0.3 the queue converges to the same end state, without duplicates', async () => {
    const reference = await healthyRun();
    const withFaults = await runScenario(faulty.dir, { failRate: 0.3 });
    expect(reference.endState).toHaveLength(6 * 2 + 8 - 2);
    expect(withFaults.endState).toEqual(reference.endState);
    expect(withFaults.users).toEqual(reference.users);
    expect(reference.users).toContain('faulty_user:3');
    // the faults were real: calls failed and had to be repeated, and none did against the healthy server
    expect(reference.failedCalls).toBe(0);
    expect(withFaults.failedCalls).toBeGreaterThan(0);
    expect(withFaults.attempts).toBeGreaterThanOrEqual(reference.attempts);
  }, 120_000);

  it('when answers are lost after the server applied the change (loseRate 0.3), nothing is done twice', async () => {
    const reference = await healthyRun();
    const withLoss = await runScenario(lossy.dir, { loseRate: 0.3, failRate: 0.1 });
    expect(withLoss.endState).toEqual(reference.endState);
    expect(withLoss.users).toEqual(reference.users);
    // answers really were lost (a lost create is then found on the server, not re-sent: attempts may not grow)
    expect(withLoss.failedCalls).toBeGreaterThan(0);
  }, 120_000);
});
