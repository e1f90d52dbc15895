// jobs.wait against the local server: reaching a status the simulated annotators set, timing out,
// and being cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import { ApiError } from '../../../main/supervisely/errors';

let server: TestServer;
let api: SuperviselyApi;

beforeAll(async () => {
  server = await startTestLocalServer({ simulate: { intervalMs: 100 } });
  api = fastClient(server.localServer.url, server.localServer.adminToken);
});
afterAll(() => server.close());

describe('jobs.wait', () => {
  it('returns once the simulation has moved a new job to completed', async () => {
    const [job] = await api.jobs.create({ name: 'simulated', datasetId: 10555, userIds: [7] });
    const started = Date.now();
    await api.jobs.wait(job!.id, 'completed', { intervalMs: 20, attempts: 500 });
    expect(await api.jobs.getStatus(job!.id)).toBe('completed');
    expect(Date.now() - started).toBeLessThan(10_000);
    // The server's own history shows the simulation (not this test) moved it step by step.
    const changes = (await api.jobs.getActivity(8, job!.id)).filter((a) => a.action === 'job_status_changed');
    expect(changes.map((a) => a.meta.status)).toEqual(['in_progress', 'on_review', 'completed']);
  });

  it('times out with the number of checks when the status is never reached', async () => {
    const [job] = await api.jobs.create({ name: 'stopped', datasetId: 10555, userIds: [7] });
    await api.jobs.stop(job!.id); // the simulation never moves stopped jobs
    const err = await api.jobs.wait(job!.id, 'on_review', { intervalMs: 10, attempts: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'timeout', message: `job ${job!.id} did not reach on_review after 5 checks (last status: stopped)` });
  });

  it('can be cancelled while it sleeps', async () => {
    const [job] = await api.jobs.create({ name: 'cancelled', datasetId: 10555, userIds: [7] });
    await api.jobs.stop(job!.id);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(api.jobs.wait(job!.id, 'completed', { intervalMs: 1000, attempts: 100, signal: controller.signal })).rejects.toMatchObject(
      { kind: 'aborted' },
    );
    expect(Date.now() - started).toBeLessThan(900);
  });
});
