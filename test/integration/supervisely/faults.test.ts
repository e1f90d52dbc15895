// The local server with injected faults (failRate 0.3, latency 20 ms): idempotent calls still succeed
// through retries; jobs.create never duplicates — it succeeds or reports outcome_unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import { isApiError } from '../../../main/supervisely/errors';
import type { AttemptEvent } from '../../../main/supervisely/transport';

let server: TestServer;
let clean: SuperviselyApi; // used only while faults are off
const attempts: AttemptEvent[] = [];
let faulty: SuperviselyApi;

beforeAll(async () => {
  server = await startTestLocalServer({ jobs: 300 });
  clean = fastClient(server.localServer.url, server.localServer.adminToken);
  faulty = fastClient(server.localServer.url, server.localServer.adminToken, { onAttempt: (e) => attempts.push(e), perPage: 50 });
});
afterAll(() => server.close());

describe('under failRate 0.3 and 20 ms latency', () => {
  it('idempotent calls all succeed, and faults really happened', async () => {
    const expectedJobs = (await clean.jobs.list({ teamId: 8 })).map((j) => j.id);
    server.localServer.setFaults({ failRate: 0.3, latencyMs: 20 });
    try {
      for (let round = 0; round < 3; round++) {
        const [jobs, meta, images, me, roles] = await Promise.all([
          faulty.jobs.list({ teamId: 8 }),
          faulty.projects.getMeta(5555),
          faulty.images.list(10555),
          faulty.users.getMyInfo(),
          faulty.roles.list(),
        ]);
        expect(jobs.map((j) => j.id)).toEqual(expectedJobs);
        expect(meta.classes.length).toBeGreaterThanOrEqual(2);
        expect(images).toHaveLength(6);
        expect(me.id).toBe(7);
        expect(roles).toHaveLength(6);
        const infos = await faulty.jobs.getInfoByIds(expectedJobs.slice(0, 20));
        expect(infos.map((j) => j.id)).toEqual(expectedJobs.slice(0, 20));
        await faulty.jobs.stop(expectedJobs[round]!);
      }
    } finally {
      server.localServer.setFaults({ failRate: 0, latencyMs: 0 });
    }
    const failures = attempts.filter((a) => a.outcome !== 'ok');
    expect(failures.length).toBeGreaterThan(5);
    expect(new Set(failures.map((f) => f.outcome)).size).toBeGreaterThan(1); // 5xx, 429 and dropped connections
  });

  it('jobs.create either succeeds or throws outcome_unknown, and never creates a job twice', async () => {
    const outcomes: Record<string, 'ok' | 'unknown'> = {};
    server.localServer.setFaults({ failRate: 0.3, latencyMs: 20 });
    try {
      for (let i = 0; i < 40; i++) {
        const name = `fault-create-${i}`;
        try {
          const [job] = await faulty.jobs.create({ name, datasetId: 10555, userIds: [7] });
          expect(job!.name).toBe(name);
          outcomes[name] = 'ok';
        } catch (err) {
          if (!isApiError(err, 'outcome_unknown')) throw err;
          outcomes[name] = 'unknown';
        }
      }
    } finally {
      server.localServer.setFaults({ failRate: 0, latencyMs: 0 });
    }
    const values = Object.values(outcomes);
    expect(values).toContain('ok');
    expect(values).toContain('unknown');
    const created = (await clean.jobs.list({ teamId: 8, datasetId: 10555 })).filter((j) => j.name.startsWith('fault-create-'));
    const perName = new Map<string, number>();
    for (const j of created) perName.set(j.name, (perName.get(j.name) ?? 0) + 1);
    for (const [name, outcome] of Object.entries(outcomes)) {
      const n = perName.get(name) ?? 0;
      expect(n, name).toBeLessThanOrEqual(1);
      if (outcome === 'ok') expect(n, name).toBe(1);
    }
    // jobs.add was sent again only after an answer that says it was not processed (429/408).
    const adds = attempts.filter((a) => a.endpoint === 'jobs.add');
    adds.forEach((a, i) => {
      if (a.attempt > 1) expect(['429', '408']).toContain(adds[i - 1]!.outcome);
    });
  });

  it('a create whose answer is lost (applied, then the connection dropped) is outcome_unknown, never re-sent', async () => {
    const name = 'lost-answer-create';
    server.localServer.setFaults({ loseRate: 1 });
    try {
      const err = await faulty.jobs.create({ name, datasetId: 10555, userIds: [7] }).catch((e: unknown) => e);
      expect(isApiError(err, 'outcome_unknown')).toBe(true);
    } finally {
      server.localServer.setFaults({ loseRate: 0 });
    }
    // The server did make the job, exactly once: the caller must reconcile, not resend.
    const made = (await clean.jobs.list({ teamId: 8, datasetId: 10555 })).filter((j) => j.name === name);
    expect(made).toHaveLength(1);
  });
});
