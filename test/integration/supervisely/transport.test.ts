// Transport behaviour against tiny node:http servers that give the answers the local server never
// does: wrong shapes, redirects, 5xx, 429, hangs, dropped connections, nothing listening.
import { afterEach, describe, expect, it } from 'vitest';
import { endpointOf, fastClient, json, startTinyServer, type TinyServer } from './support';
import { ApiError } from '../../../main/supervisely/errors';
import type { AttemptEvent } from '../../../main/supervisely/transport';
import { traceBody } from '../../unit/supervisely/sdk-trace';
import { createSuperviselyApi } from '../../../main/supervisely/client';

let tiny: TinyServer | undefined;
afterEach(async () => {
  await tiny?.close();
  tiny = undefined;
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const JOB = {
  id: 2,
  name: 'j',
  teamId: 8,
  workspaceId: 349,
  projectId: 5555,
  datasetId: 10555,
  createdBy: 7,
  userId: 102,
  createdAt: '2022-10-05T08:42:30.588Z',
  status: 'pending',
  meta: { classes: [], projectTags: [], imageTags: [], range: { start: null, end: null } },
};

describe('what goes on the wire', () => {
  it('POSTs JSON to /public/api/v3/<method> with x-api-key; addToTeam = users.info then members.add by login', async () => {
    tiny = await startTinyServer((req, res) => {
      if (endpointOf(req) === 'users.info') return json(res, 200, { id: 101, login: 'labeler_1', teams: [] });
      json(res, 200, { userId: 101 });
    });
    const api = fastClient(tiny.url.replace('http://', ''), 'T0KEN');
    await api.users.addToTeam(101, 8, 3);
    expect(tiny.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/public/api/v3/users.info'],
      ['POST', '/public/api/v3/members.add'],
    ]);
    expect(tiny.requests[0]!.body).toEqual(traceBody(22));
    expect(tiny.requests[1]!.body).toEqual(traceBody(23));
    for (const r of tiny.requests) {
      expect(r.headers['x-api-key']).toBe('T0KEN');
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers.authorization).toBeUndefined();
    }
  });
});

describe('malformed answers', () => {
  it('a job without meta.range → malformed_response naming jobs.info and the field', async () => {
    tiny = await startTinyServer((_req, res) => json(res, 200, { ...JOB, meta: { classes: [], projectTags: [], imageTags: [] } }));
    const err = await failure(fastClient(tiny.url, 't').jobs.getInfoById(2));
    expect(err).toMatchObject({ kind: 'malformed_response', endpoint: 'jobs.info', details: { field: 'meta.range' } });
    expect(err.message).toBe('jobs.info answered in an unexpected shape: meta.range is missing');
  });

  it('a list page without perPage → malformed_response naming the envelope field', async () => {
    tiny = await startTinyServer((_req, res) => json(res, 200, { total: 1, pagesCount: 1, entities: [JOB] }));
    const api = fastClient(tiny.url, 't');
    expect(await failure(api.jobs.list({ teamId: 1 }))).toMatchObject({
      kind: 'malformed_response',
      endpoint: 'jobs.list',
      details: { field: 'perPage' },
    });
  });

  it('pages that do not add up to total → malformed_response (field total)', async () => {
    tiny = await startTinyServer((req, res) => {
      const page = (req.body as { page?: number }).page ?? 1;
      json(res, 200, { total: 3, perPage: 2, pagesCount: 2, entities: page === 1 ? [JOB, { ...JOB, id: 3 }] : [] });
    });
    const err = await failure(fastClient(tiny.url, 't').jobs.list({ teamId: 8 }));
    expect(err).toMatchObject({ kind: 'malformed_response', details: { field: 'total' } });
    expect(err.message).toContain('held 2 items but the server said total 3');
  });

  it('a users.add answer without userId, and a success body that is not JSON', async () => {
    tiny = await startTinyServer((req, res) => {
      if (endpointOf(req) === 'users.add') return json(res, 200, { id: 5 });
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>login page</html>');
    });
    const api = fastClient(tiny.url, 't');
    expect(await failure(api.users.create({ login: 'a', password: 'b' }))).toMatchObject({
      kind: 'malformed_response',
      details: { field: 'userId' },
    });
    const err = await failure(api.teams.list());
    expect(err).toMatchObject({ kind: 'malformed_response', endpoint: 'teams.list' });
    expect(err.message).toContain('not JSON');
  });
});

describe('HTTP errors and retries', () => {
  it('401 → unauthorized, one attempt, with a message pointing to Settings', async () => {
    tiny = await startTinyServer((_req, res) => json(res, 401, { error: 'Unauthorized', details: { message: 'Unknown API token' } }));
    const err = await failure(fastClient(tiny.url, 'wrong').teams.list());
    expect(err).toMatchObject({ kind: 'unauthorized', details: { status: 401, serverMessage: 'Unknown API token' } });
    expect(err.message).toMatch(/Check the API token in Settings/);
    expect(tiny.requests).toHaveLength(1);
  });

  it('403, 404 and 400 are not retried; details[0].message and plain-text bodies are read', async () => {
    tiny = await startTinyServer((req, res) => {
      const e = endpointOf(req);
      if (e === 'jobs.stop') return json(res, 403, { error: 'Forbidden', details: [{ message: 'managers only' }] });
      if (e === 'jobs.archive') return json(res, 404, { error: 'Not Found', details: { message: 'no job 5' } });
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('No images found');
    });
    const api = fastClient(tiny.url, 't');
    expect(await failure(api.jobs.stop(5))).toMatchObject({ kind: 'forbidden', details: { serverMessage: 'managers only' } });
    expect(await failure(api.jobs.archive(5))).toMatchObject({ kind: 'not_found', details: { serverMessage: 'no job 5' } });
    const v = await failure(api.jobs.setStatus(5, 'completed'));
    expect(v).toMatchObject({ kind: 'validation', details: { status: 400, serverMessage: 'No images found' } });
    expect(tiny.requests).toHaveLength(3);
  });

  it('a 3xx is an error and is not followed', async () => {
    tiny = await startTinyServer((req, res) => {
      res.writeHead(301, { Location: `https://example.invalid${req.path}` });
      res.end();
    });
    const err = await failure(fastClient(tiny.url, 't').jobs.getInfoById(1));
    expect(err.kind).toBe('malformed_response');
    expect(err.message).toContain('redirect (301 to https://example.invalid/public/api/v3/jobs.info)');
    expect(tiny.requests).toHaveLength(1);
  });

  it('retried statuses are retried up to the attempt limit, then a server error', async () => {
    tiny = await startTinyServer((_req, res) => json(res, 503, { error: 'Service Unavailable', details: { message: 'maintenance' } }));
    const err = await failure(fastClient(tiny.url, 't', { retryLimit: 4 }).teams.list());
    expect(err).toMatchObject({ kind: 'server', details: { status: 503 } });
    expect(err.message).toContain('after 4 attempts');
    expect(tiny.requests).toHaveLength(4);
  });

  it('backs off exponentially (the top of the jitter range here) and honours Retry-After in seconds', async () => {
    const times: number[] = [];
    tiny = await startTinyServer((_req, res) => {
      times.push(Date.now());
      if (times.length <= 2) return json(res, 500, {});
      if (times.length === 3) return json(res, 429, {}, { 'Retry-After': '1' });
      json(res, 200, { version: '6.17.8' });
    });
    const api = fastClient(tiny.url, 't', { retryBaseMs: 40, retryMaxDelayMs: 2000, random: () => 0.999 });
    expect(await api.instanceVersion()).toBe('6.17.8');
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(35); // ~40 ms × 2^0
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(75); // ~40 ms × 2^1
    expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(990); // Retry-After 1 s (backoff alone: 160 ms)
  });

  it("Retry-After as an HTTP-date counts from the server's own Date header, on a 503 too", async () => {
    const times: number[] = [];
    tiny = await startTinyServer((_req, res) => {
      times.push(Date.now());
      // The server's clock is an hour ahead of ours: only its own Date header makes the wait right.
      const serverNow = Date.now() + 3_600_000;
      if (times.length === 1) {
        return json(res, 503, {}, { Date: new Date(serverNow).toUTCString(), 'Retry-After': new Date(serverNow + 2000).toUTCString() });
      }
      json(res, 200, { version: '6.17.8' });
    });
    const api = fastClient(tiny.url, 't', { retryBaseMs: 1, retryMaxDelayMs: 5000 });
    expect(await api.instanceVersion()).toBe('6.17.8');
    // HTTP-dates have whole seconds: 1–2 s, never the hour a local-clock reading would give
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(times[1]! - times[0]!).toBeLessThan(3000);
  });

  it('a Retry-After longer than the client may sleep ends the call at once, saying how long the server asked', async () => {
    tiny = await startTinyServer((_req, res) => json(res, 429, {}, { 'Retry-After': '120' }));
    const started = Date.now();
    const err = await failure(fastClient(tiny.url, 't', { retryAfterLimitMs: 60_000 }).teams.list());
    expect(err).toMatchObject({ kind: 'server', details: { status: 429 } });
    expect(err.message).toBe('The server asked to wait 120 s before teams.list again (429). It will be tried again later.');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(tiny.requests).toHaveLength(1);
  });

  it('full jitter: sleeps vary between 0 and the exponential bound', async () => {
    const times: number[] = [];
    tiny = await startTinyServer((_req, res) => {
      times.push(Date.now());
      json(res, 503, {});
    });
    await failure(fastClient(tiny.url, 't', { retryBaseMs: 30, retryMaxDelayMs: 60, retryLimit: 12 }).teams.list());
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toHaveLength(11);
    for (const gap of gaps) expect(gap).toBeLessThan(60 + 300); // the cap, plus slack for a loaded machine
    expect(new Set(gaps.map((g) => Math.round(g / 5))).size).toBeGreaterThan(2); // not one fixed delay
  });

  it('at most maxConcurrent requests are in flight through one client, whatever the callers do', async () => {
    let inFlight = 0;
    let most = 0;
    tiny = await startTinyServer((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, { id: 8, name: 't' });
      }, 30);
    });
    const api = fastClient(tiny.url, 't', { maxConcurrent: 3 });
    await Promise.all(Array.from({ length: 20 }, () => api.teams.getInfoById(8)));
    expect(most).toBe(3);
    expect(tiny.requests).toHaveLength(20);
  });

  it('jobs.add after a 5xx → outcome_unknown at once; after a 429 it is safely re-sent', async () => {
    let n = 0;
    tiny = await startTinyServer((req, res) => {
      n++;
      if (endpointOf(req) === 'jobs.add' && (req.body as { name: string }).name === 'five') return json(res, 502, {});
      if (endpointOf(req) === 'jobs.add' && n === 2) return json(res, 429, {});
      if (endpointOf(req) === 'jobs.add') return json(res, 200, [{ id: 2 }]);
      json(res, 200, JOB);
    });
    const api = fastClient(tiny.url, 't');
    const err = await failure(api.jobs.create({ name: 'five', datasetId: 1, userIds: [2] }));
    expect(err).toMatchObject({ kind: 'outcome_unknown', endpoint: 'jobs.add' });
    expect(tiny.requests).toHaveLength(1);
    const jobs = await api.jobs.create({ name: 'ok', datasetId: 1, userIds: [2] });
    expect(jobs.map((j) => j.id)).toEqual([2]);
    expect(tiny.requests.map(endpointOf)).toEqual(['jobs.add', 'jobs.add', 'jobs.add', 'jobs.info']);
  });

  it('a created job that cannot be read back is outcome_unknown, not a failure to create', async () => {
    tiny = await startTinyServer((req, res) => (endpointOf(req) === 'jobs.add' ? json(res, 200, [{ id: 9 }]) : json(res, 404, {})));
    const err = await failure(fastClient(tiny.url, 't').jobs.create({ name: 'x', datasetId: 1, userIds: [2] }));
    expect(err.kind).toBe('outcome_unknown');
    expect(err.message).toContain('id 9');
  });

  it('the updatedAt filter refused by a server → a validation error that says to list all jobs', async () => {
    tiny = await startTinyServer((_req, res) =>
      json(res, 400, { error: 'Invalid filter', details: { message: "unknown filter field 'updatedAt'" } }),
    );
    const err = await failure(fastClient(tiny.url, 't').jobs.list({ teamId: 8, updatedSince: '2026-01-01T00:00:00.000Z' }));
    expect(err).toMatchObject({ kind: 'validation', details: { field: 'filter.updatedAt', status: 400 } });
    expect(err.message).toContain('list all jobs instead');
  });
});

describe('connections: dropped, hanging, refused, cancelled', () => {
  it('a dropped connection is retried for reads but is outcome_unknown for jobs.add', async () => {
    let n = 0;
    tiny = await startTinyServer((req, res) => {
      n++;
      if (endpointOf(req) === 'jobs.add' || n === 1) return void res.socket?.destroy();
      json(res, 200, { version: 'v' });
    });
    const events: AttemptEvent[] = [];
    const api = fastClient(tiny.url, 't', { onAttempt: (e) => events.push(e) });
    expect(await api.instanceVersion()).toBe('v');
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);
    const err = await failure(api.jobs.create({ name: 'x', datasetId: 1, userIds: [2] }));
    expect(err).toMatchObject({ kind: 'outcome_unknown', endpoint: 'jobs.add' });
    expect(tiny.requests.filter((r) => endpointOf(r) === 'jobs.add')).toHaveLength(1);
  });

  it('no answer within the per-attempt timeout → timeout for reads (after the retries), outcome_unknown for users.add', async () => {
    tiny = await startTinyServer(() => undefined); // never answers
    const api = fastClient(tiny.url, 't', { timeoutMs: 150, retryLimit: 2 });
    const started = Date.now();
    const err = await failure(api.teams.list());
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(tiny.requests).toHaveLength(2);
    expect(await failure(api.users.create({ login: 'a', password: 'b' }))).toMatchObject({
      kind: 'outcome_unknown',
      endpoint: 'users.add',
    });
    expect(tiny.requests).toHaveLength(3);
  });

  it('nothing listening → offline quickly, for reads and for jobs.add (nothing was sent)', async () => {
    const gone = await startTinyServer(() => undefined);
    const url = gone.url;
    await gone.close();
    const events: AttemptEvent[] = [];
    const api = fastClient(url, 't', { retryBaseMs: 50, offlineBudgetMs: 1000, onAttempt: (e) => events.push(e) });
    const started = Date.now();
    const err = await failure(api.jobs.list({ teamId: 8 }));
    expect(err.kind).toBe('offline');
    expect(err.message).toContain('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(events.length).toBeGreaterThan(1); // it did retry, within the budget
    expect(await failure(api.jobs.create({ name: 'x', datasetId: 1, userIds: [2] }))).toMatchObject({
      kind: 'offline',
      endpoint: 'jobs.add',
    });
  });

  it('with the default policy a refused connection still gives up within the default budget', async () => {
    const gone = await startTinyServer(() => undefined);
    await gone.close();
    const events: AttemptEvent[] = [];
    // Defaults: base 1 s, 10 attempts, 5 s budget for refused connections; the top of the jitter range → 0, 1 and 3 s.
    const api = createSuperviselyApi({ serverAddress: gone.url, apiToken: 't', onAttempt: (e) => events.push(e), random: () => 0.999 });
    const started = Date.now();
    expect((await failure(api.roles.list())).kind).toBe('offline');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(events).toHaveLength(3);
  }, 10_000);

  it('a cancelled call rejects with aborted, also during a backoff sleep', async () => {
    tiny = await startTinyServer((_req, res) => json(res, 503, {}));
    const api = fastClient(tiny.url, 't', { retryBaseMs: 10_000, retryMaxDelayMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await failure(api.teams.list({ signal: controller.signal }))).toMatchObject({ kind: 'aborted' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('pagination concurrency', () => {
  it('fetches pages 2…N in parallel, at most 4 at a time, and keeps their order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    tiny = await startTinyServer((req, res) => {
      const page = (req.body as { page?: number; per_page?: number }).page ?? 1;
      if (page > 1) expect((req.body as { per_page?: number }).per_page).toBe(1);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // later pages answer faster, so a naive collector would get them out of order
      setTimeout(
        () => {
          inFlight--;
          json(res, 200, { total: 12, perPage: 1, pagesCount: 12, entities: [{ ...JOB, id: page }] });
        },
        80 - page * 5,
      );
    });
    const jobs = await fastClient(tiny.url, 't').jobs.list({ teamId: 8 });
    expect(jobs.map((j) => j.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(maxInFlight).toBe(4);
    expect((tiny.requests[0]!.body as Record<string, unknown>).page).toBeUndefined();
  });
});
