// Transport and error behaviour over real HTTP: auth (401), unknown methods (404), malformed bodies
// (400 with the error body), method rules, a TLS ClientHello on the plain port, many short
// connections, injected faults (--fail-rate) and latency.
import { request } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_META, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

let server: TestLocalServer;
beforeAll(async () => {
  server = await startTestLocalServer();
});
afterAll(() => server.stop());

/** One request on its own connection (like the SDK: no pooling). */
function shortRequest(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('authentication', () => {
  it('missing or unknown token → 401 with the error body; nothing else leaks', async () => {
    const none = await server.call('teams.list', { filter: [] }, null);
    expect(none.status).toBe(401);
    expect(errorMessage(none)).toContain('x-api-key');
    const wrong = await server.call('instance.version', {}, 'x'.repeat(128));
    expect(wrong.status).toBe(401);
    expect(none.body.error).toBe('Unauthorized');
  });
});

describe('bad requests', () => {
  it('unknown method → 404; wrong HTTP method → 405; never a redirect', async () => {
    const res = await server.call('jobs.fly', {});
    expect(res.status).toBe(404);
    expect(errorMessage(res)).toContain('jobs.fly');
    const put = await fetch(`${server.url}/public/api/v3/jobs.info`, {
      method: 'PUT',
      headers: { 'x-api-key': server.adminToken },
      redirect: 'manual',
    });
    expect(put.status).toBe(405);
    const odd = await fetch(`${server.url}/public/api/v3`, { method: 'POST', redirect: 'manual' });
    expect(odd.status).toBe(404);
    const slash = await fetch(`${server.url}/public/api/v3/`, {
      method: 'POST',
      headers: { 'x-api-key': server.adminToken },
      redirect: 'manual',
    });
    expect(slash.status).toBe(404);
  });

  it('malformed JSON, non-object bodies, wrong types and missing fields → 400 with a message naming the problem', async () => {
    const malformed = await server.call('jobs.info', '{"id": 1');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('Malformed JSON');
    expect((await server.call('jobs.info', '[1,2]')).status).toBe(400);
    const wrongType = await server.call('jobs.info', { id: 'one' });
    expect(wrongType.status).toBe(400);
    expect(errorMessage(wrongType)).toMatch(/^Invalid request for jobs.info: id: /);
    const missing = await server.call('jobs.list', { filter: [] });
    expect(missing.status).toBe(400);
    expect(errorMessage(missing)).toContain('teamId');
    const negative = await server.call('users.info', { id: -3 });
    expect(negative.status).toBe(400);
  });

  it('GET with query parameters works like POST', async () => {
    const res = await fetch(`${server.url}/public/api/v3/teams.info?id=8`, { headers: { 'x-api-key': server.adminToken } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: number }).id).toBe(8);
  });
});

describe('robustness', () => {
  it('survives a TLS ClientHello (the SDK https probe) and keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false, servername: 'localhost' });
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.setTimeout(3000, () => {
        socket.destroy();
        resolve();
      });
    });
    expect((await server.call('instance.version', {})).status).toBe(200);
  });

  it('answers 300 requests each on its own short connection', async () => {
    for (let batch = 0; batch < 30; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          shortRequest('/public/api/v3/teams.info', '{"id":8}', { 'content-type': 'application/json', 'x-api-key': server.adminToken }),
        ),
      );
      expect(answers.every((a) => a.status === 200 && a.text.includes('my_team'))).toBe(true);
    }
  });
});

describe('faults and latency', () => {
  it('--fail-rate answers about that fraction with 5xx/429 or a dropped connection, and a failed call changes nothing', async () => {
    server.setFaults({ failRate: 0.4 });
    let failed = 0;
    const kinds = new Set<string>();
    const total = 300;
    for (let i = 0; i < total; i += 10) {
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => server.call('teams.info', { id: 8 })));
      for (const o of outcomes) {
        if (o.status === 'rejected') {
          failed++;
          kinds.add('drop');
        } else if (o.value.status !== 200) {
          failed++;
          kinds.add(String(o.value.status));
          expect([429, 500, 502, 503, 504]).toContain(o.value.status);
          errorMessage(o.value);
          if (o.value.status === 429) expect(o.value.headers.get('retry-after')).toBe('1');
        }
      }
    }
    server.setFaults({ failRate: 0 });
    expect(failed / total).toBeGreaterThan(0.28);
    expect(failed / total).toBeLessThan(0.52);
    expect(kinds.size).toBeGreaterThan(2);

    const count = async () => (await server.call('jobs.list', { teamId: 8, showDisabled: true, filter: [] })).body.total as number;
    const before = await count();
    await server.call('users.add', { login: 'lab', password: 'x', isRestricted: false, name: '', email: '' });
    await server.call('members.add', { login: 'lab', teamId: 8, roleId: 3 });
    const lab = (await server.call('users.list', { filter: [{ field: 'login', operator: '=', value: 'lab' }] })).body.entities[0].id;
    server.setFaults({ failRate: 1 });
    for (let i = 0; i < 5; i++) {
      const r = await server.call('jobs.add', { name: 'never', datasetId: 10555, userIds: [lab], meta: DEFAULT_META }).catch(() => null);
      expect(r?.status ?? 0).not.toBe(200);
    }
    server.setFaults({ failRate: 0 });
    expect(await count()).toBe(before);
  });

  it('--lose-rate applies the call, then drops the connection instead of answering', async () => {
    const count = async () => (await server.call('jobs.list', { teamId: 8, showDisabled: true, filter: [] })).body.total as number;
    const before = await count();
    server.setFaults({ loseRate: 1 });
    const lost = await server.call('jobs.add', { name: 'lost', datasetId: 10555, userIds: [7], meta: DEFAULT_META }).then(
      () => 'answered',
      () => 'dropped',
    );
    server.setFaults({ loseRate: 0 });
    expect(lost).toBe('dropped');
    expect(await count()).toBe(before + 1);
    expect(() => server.setFaults({ loseRate: -0.1 })).toThrow();
  });

  it('--latency delays every answer', async () => {
    server.setFaults({ latencyMs: 150 });
    const t = performance.now();
    expect((await server.call('instance.version', {})).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    server.setFaults({ latencyMs: 0 });
    const t2 = performance.now();
    await server.call('instance.version', {});
    expect(performance.now() - t2).toBeLessThan(140);
    expect(() => server.setFaults({ failRate: 2 })).toThrow();
  });
});
