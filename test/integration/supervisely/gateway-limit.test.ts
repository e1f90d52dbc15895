// A server that takes at most 4 calls at once (a gateway's connection limit) and answers the rest 429 with
// Retry-After: 1, against a bulk stop of 200 jobs at 16 requests at once: the refused calls wait as asked while
// the others go on, so every job is stopped exactly once (a 429 is never applied), with a few dozen refusals.
// (A client-side bound that halves on a 429 was tried against this: 22 refusals instead of 16, the same 2.1 s,
// so it was not kept.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { AttemptEvent } from '../../../main/supervisely/transport';

let server: TestServer;
let ids: number[];

beforeAll(async () => {
  server = await startTestLocalServer({ jobs: 250, latencyMs: 15, quirks: { maxInFlight: 4 } });
  const reader = fastClient(server.localServer.url, server.localServer.adminToken, { maxConcurrent: 1 });
  ids = (await reader.jobs.list({ teamId: 8 }))
    .filter((j) => j.status !== 'stopped')
    .slice(0, 200)
    .map((j) => j.id);
  expect(ids).toHaveLength(200);
});
afterAll(() => server.close());

describe('a server that answers 429 over 4 calls in flight', () => {
  it('stops every job exactly once, its refused calls waiting as asked', async () => {
    const attempts: AttemptEvent[] = [];
    const api = fastClient(server.localServer.url, server.localServer.adminToken, {
      maxConcurrent: 16,
      onAttempt: (e) => attempts.push(e),
    });
    const started = performance.now();
    const results = await api.bulk.stop(ids);
    const ms = performance.now() - started;
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const stops = attempts.filter((a) => a.endpoint === 'jobs.stop');
    const refused = stops.filter((a) => a.outcome === '429').length;
    expect(stops.filter((a) => a.outcome === 'ok')).toHaveLength(200); // each job once: a 429 was never applied
    // the first round refuses 12 of 16; while they wait their second, 4 at a time do the rest
    expect(refused).toBeGreaterThanOrEqual(12);
    expect(refused).toBeLessThan(40);
    expect(ms).toBeLessThan(15_000);
    const after = await api.jobs.list({ teamId: 8, ids });
    expect(after.map((j) => j.status)).toEqual(ids.map(() => 'stopped'));
  });
});
