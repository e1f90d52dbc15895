// Quirk switches over real HTTP, each on its own server: what a client meets on real Supervisely servers that
// differ from the tidy default (no updatedAt filter, https redirect, rate limit, a forbidden list, a project
// type refused by images.list, slow pages, a clock hours off).
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { addJobs, addTeamUser, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';
import { LOOPBACK_CERT, type Quirks } from '../../../main/local-server/index';

let localServer: TestLocalServer | undefined;
afterEach(async () => {
  await localServer?.stop();
  localServer = undefined;
});
const start = async (quirks: Quirks) => (localServer = await startTestLocalServer({ quirks }));
const updatedSince = [{ field: 'updatedAt', operator: '>=', value: '2100-01-01T00:00:00.000Z' }];

describe('updatedAt filter', () => {
  it('rejected: jobs.list with an updatedAt filter is a 400 naming the field; without it the list answers', async () => {
    const e = await start({ updatedAtFilter: 'rejected' });
    const res = await e.call('jobs.list', { teamId: 8, filter: updatedSince });
    expect(res.status).toBe(400);
    expect(errorMessage(res)).toContain('updatedAt');
    expect((await e.call('jobs.list', { teamId: 8, filter: [] })).status).toBe(200);
  });

  it('ignored: the filter is dropped silently, so the whole list comes back', async () => {
    const e = await start({ updatedAtFilter: 'ignored' });
    await addJobs(e, [await addTeamUser(e, 'labeler_q', 3)]);
    const res = await e.call('jobs.list', { teamId: 8, filter: updatedSince });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
  });
});

describe('https redirect', () => {
  function httpsCall(url: string, body: string, token: string): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        { method: 'POST', ca: LOOPBACK_CERT, headers: { 'content-type': 'application/json', 'x-api-key': token } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('the plain port answers 308 to the same path on the TLS listener, which answers the call itself', async () => {
    const e = await start({ httpsRedirect: true });
    expect(e.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const plain = await e.call('teams.list', { filter: [] });
    expect(plain.status).toBe(308);
    const location = plain.headers.get('location')!;
    expect(location).toBe(`${e.httpsUrl}/public/api/v3/teams.list`);
    const secure = await httpsCall(location, '{"filter":[]}', e.adminToken);
    expect(secure.status).toBe(200);
    expect(secure.json.entities[0].id).toBe(8);
  });
});

describe('rate limit', () => {
  it('over the limit a token gets 429 with Retry-After in seconds; other tokens are not limited; the next window answers', async () => {
    const e = await start({ rateLimit: { requests: 3, windowMs: 1500 } });
    await addTeamUser(e, 'labeler_r', 3);
    const other = e.tokenFor('labeler_r');
    await new Promise((r) => setTimeout(r, 1600)); // a fresh window for the admin
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await e.call('instance.version')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await e.call('instance.version');
    expect(limited.status).toBe(429);
    expect(errorMessage(limited)).toContain('3 calls per 1500 ms');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await e.call('instance.version', {}, other)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await e.call('instance.version')).status).toBe(200);
  });
});

describe('one list forbidden', () => {
  it('the named list answers 403 even for the admin; other lists answer', async () => {
    const e = await start({ forbiddenList: 'members.list' });
    const res = await e.call('members.list', { teamId: 8 });
    expect(res.status).toBe(403);
    expect(errorMessage(res)).toContain('members.list');
    expect((await e.call('jobs.list', { teamId: 8 })).status).toBe(200);
    expect((await e.call('users.list', {})).status).toBe(200);
  });
});

describe('images.list refused for a project type', () => {
  it('answers 400 for datasets and projects of that type; datasets still list with their counts', async () => {
    const e = await start({ imagesListRefusedFor: 'images' });
    for (const body of [{ datasetId: 10555 }, { projectId: 5555 }]) {
      const res = await e.call('images.list', body);
      expect(res.status).toBe(400);
      expect(errorMessage(res)).toContain("'images'");
    }
    expect((await e.call('datasets.list', { projectId: 5555 })).body.entities[0].imagesCount).toBe(6);
  });
});

describe('slow pages', () => {
  it('every page of a list waits; calls that are not lists do not', async () => {
    const e = await start({ pageLatencyMs: 600 });
    const timed = async (method: string, body: unknown) => {
      const t = performance.now();
      expect((await e.call(method, body)).status).toBe(200);
      return performance.now() - t;
    };
    const list = await timed('jobs.list', { teamId: 8 });
    const info = await timed('projects.info', { id: 5555 });
    expect(list).toBeGreaterThanOrEqual(600);
    expect(info).toBeLessThan(list);
  });
});

describe('clock hours off', () => {
  it('the Date header and the timestamps the server writes run on its own clock', async () => {
    const e = await start({ clockOffsetHours: -5 });
    const expected = Date.now() - 5 * 3_600_000;
    const res = await e.call('instance.version');
    expect(Math.abs(Date.parse(res.headers.get('date')!) - expected)).toBeLessThan(60_000);
    const [id] = await addJobs(e, [await addTeamUser(e, 'labeler_c', 3)]);
    const job = (await e.call('jobs.info', { id })).body;
    expect(Math.abs(Date.parse(job.createdAt) - expected)).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(job.updatedAt) - expected)).toBeLessThan(60_000);
  });
});
