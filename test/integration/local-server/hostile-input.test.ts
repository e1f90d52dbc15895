// Hostile but well-formed input over real HTTP (issue 13 item 10): absurd page numbers on every list
// endpoint, lone UTF-16 surrogates in strings, and bodies over the size limit. Each is a 400/413 answer
// the caller can read, and nothing is stored.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_META, addTeamUser, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

let localServer: TestLocalServer;
let jobId: number;
beforeAll(async () => {
  localServer = await startTestLocalServer();
  const labeler = await addTeamUser(localServer, 'labeler_hostile', 3);
  const res = await localServer.call('jobs.add', { name: 'job', datasetId: 10555, userIds: [labeler], meta: DEFAULT_META });
  jobId = res.body[0].id;
});
afterAll(() => localServer.stop());

const LISTS: [string, Record<string, unknown>][] = [
  ['users.list', {}],
  ['members.list', { teamId: 8 }],
  ['roles.list', {}],
  ['teams.list', {}],
  ['teams.activity', { teamId: 8 }],
  ['workspaces.list', { teamId: 8 }],
  ['projects.list', {}],
  ['datasets.list', { projectId: 5555 }],
  ['images.list', { datasetId: 10555 }],
  ['jobs.list', { teamId: 8 }],
];
const ABSURD = ['9223372036854775808', '1e300', String(2 ** 53), '-1', '0', '1.5', '"10"', '2147483648'];

describe('page and per_page', () => {
  it.each(LISTS)('%s answers 400 (never 500) to absurd page and per_page numbers', async (method, body) => {
    for (const key of ['page', 'per_page']) {
      for (const value of ABSURD) {
        const raw = `{${Object.entries(body)
          .map(([k, v]) => `"${k}":${JSON.stringify(v)}`)
          .concat(`"${key}":${value}`)
          .join(',')}}`;
        const res = await localServer.call(method, raw);
        expect(res.status, `${method} ${key}=${value}`).toBe(400);
        expect(errorMessage(res)).toContain(key);
      }
    }
  });

  it('the largest accepted page numbers still answer (empty pages past the end)', async () => {
    const res = await localServer.call('jobs.list', { teamId: 8, page: 2_147_483_647, per_page: 2_147_483_647 });
    expect(res.status).toBe(200);
    expect(res.body.entities).toEqual([]);
    expect(res.body.total).toBe(1);
  });

  it('query-string pages (GET) follow the same rule', async () => {
    const res = await fetch(`${localServer.url}/public/api/v3/jobs.list?teamId=8&per_page=9223372036854775808`, {
      headers: { 'x-api-key': localServer.adminToken },
    });
    expect(res.status).toBe(400);
  });
});

describe('lone surrogates', () => {
  const LONE = '"\\ud800x"';
  const CASES: [string, string][] = [
    ['users.add', `{"login":"lone_user","password":"pw","name":${LONE}}`],
    ['users.add', `{"login":${LONE},"password":"pw"}`],
    ['users.editInfo', `{"id":7,"name":${LONE}}`],
    ['jobs.add', `{"name":${LONE},"datasetId":10555,"userIds":[7],"meta":${JSON.stringify(DEFAULT_META)}}`],
    ['jobs.add', `{"name":"ok","description":"\\udfff","datasetId":10555,"userIds":[7],"meta":${JSON.stringify(DEFAULT_META)}}`],
    ['jobs.editInfo', `{"id":JOB,"customData":{"note":${LONE}}}`],
    ['jobs.editInfo', `{"id":JOB,"customData":{${LONE}:1}}`],
    ['jobs.list', `{"teamId":8,"filter":[{"field":"name","operator":"=","value":${LONE}}]}`],
  ];

  it.each(CASES)('%s with a lone surrogate (%s) is a 400 naming where, and nothing is stored', async (method, raw) => {
    const before = await localServer.call('jobs.list', { teamId: 8, showDisabled: true });
    const users = await localServer.call('users.list', {});
    const res = await localServer.call(method, raw.replace('JOB', String(jobId)));
    expect(res.status).toBe(400);
    expect(errorMessage(res)).toMatch(/surrogate/);
    expect((await localServer.call('jobs.list', { teamId: 8, showDisabled: true })).body).toEqual(before.body);
    expect((await localServer.call('users.list', {})).body).toEqual(users.body);
  });

  it('a well-formed surrogate pair (an emoji) is stored exactly as sent', async () => {
    const res = await localServer.call('users.editInfo', '{"id":7,"name":"Lemon \\ud83c\\udf4b"}');
    expect(res.status).toBe(200);
    expect((await localServer.call('users.info', { id: 7 })).body.name).toBe('Lemon 🍋');
  });
});

describe('bodies over the limit', () => {
  /** Streams `bytes` of JSON in chunks, as a client that does not wait would; resolves with the answer or the error. */
  function oversized(bytes: number, announce: boolean): Promise<{ status: number; text: string; connection?: string } | { error: string }> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'x-api-key': localServer.adminToken };
      if (announce) headers['content-length'] = bytes;
      const req = request(`${localServer.url}/public/api/v3/users.add`, { method: 'POST', agent: false, headers }, (res) => {
        const connection = res.headers.connection;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection }));
        res.on('error', (e) => resolve({ error: e.message }));
      });
      req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  }

  it.each([true, false])(
    'a 12 MB body (content-length announced: %s) gets a 413 answer, not a reset, and the connection closes',
    async (announce) => {
      const answer = await oversized(12 * 1024 * 1024, announce);
      // the server stops reading: it says so instead of draining an endless body on a kept-alive connection
      expect(answer).toMatchObject({ status: 413, connection: 'close' });
      expect(JSON.parse((answer as { text: string }).text).error).toBe('Payload Too Large');
      expect((await localServer.call('instance.version')).status).toBe(200);
    },
  );
});
