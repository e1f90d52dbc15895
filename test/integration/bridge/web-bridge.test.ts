// The loopback web bridge against the real core, whose profile points at a real local Supervisely
// server (the local server, demo seed + a few jobs): every channel round-trips, bad payloads never reach
// the core, foreign callers are refused, events stream, and the built UI is served with its CSP and
// nothing outside its folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, EnvelopeSchema, type ChannelName } from '#shared/contract';
import { coreOnServer } from '../support';
import { countedHandlers, discoverWorld, EXPECTED_REFUSALS, samplesFor } from './samples';
import { startWebBridge, type WebBridge } from '../../../main/bridge/web';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP call, so tests can set any Host/Origin header (fetch forbids changing Host). */
function call(
  bridge: WebBridge,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path,
        method: init.method ?? 'GET',
        headers: { host: `127.0.0.1:${bridge.port}`, ...init.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const api = (bridge: WebBridge, channel: string, payload: unknown, headers: Record<string, string> = {}) =>
  call(bridge, `/api/${channel}`, {
    method: 'POST',
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', cookie: bridge.sessionCookie, ...headers },
  });

describe('web bridge', () => {
  const env = coreOnServer('ljd-bridge-', { jobs: 6, transport: 'web' });
  const dir = env.dir;
  const staticDir = join(dir, 'ui');
  let bridge: WebBridge;
  const coreCalls: string[] = [];

  /** A channel call that must succeed; answers its value. */
  const value = async <T>(channel: ChannelName, payload: unknown): Promise<T> => {
    const envelope = JSON.parse((await api(bridge, channel, payload)).body) as { ok: boolean; value?: T; error?: unknown };
    if (!envelope.ok) throw new Error(`${channel}: ${JSON.stringify(envelope.error)}`);
    return envelope.value as T;
  };

  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ui</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'outside.txt'), 'private');
    const { core, server } = env;
    writeFileSync(join(dir, 'supervisely.env'), `SERVER_ADDRESS=${server.url}\nAPI_TOKEN=${server.adminToken}\n`);
    // Count what reaches the core, to prove refused requests never do.
    bridge = await startWebBridge({
      core: { handlers: countedHandlers(core, coreCalls), on: core.on },
      staticDir,
      validateResponses: true,
    });
  });
  // runs before the fixture's afterAll (hooks unwind in reverse), so the bridge closes before the core
  afterAll(() => bridge.close());

  it('round-trips every channel of the contract to the core and back', async () => {
    // the first pull fills the cache; then every sample names things that exist on the server
    const world = await discoverWorld(value);
    const samples = samplesFor(world);
    expect(Object.keys(samples).sort()).toEqual(Object.keys(channels).sort());

    coreCalls.length = 0;
    const answers = new Map<ChannelName, unknown>();
    for (const name of Object.keys(samples) as ChannelName[]) {
      const answer = await api(bridge, name, samples[name]);
      const envelope = EnvelopeSchema.parse(JSON.parse(answer.body));
      expect(answer.status, name).toBe(200);
      if (envelope.ok) {
        expect(EXPECTED_REFUSALS[name], `${name} answered ok where a refusal was expected`).toBeUndefined();
        expect(channels[name].response.safeParse(envelope.value).success, name).toBe(true);
        answers.set(name, envelope.value);
      } else {
        expect({ name, kind: envelope.error.kind }, envelope.error.message).toEqual({ name, kind: EXPECTED_REFUSALS[name] });
        expect(envelope.error.message.length, name).toBeGreaterThan(10);
      }
    }
    expect(new Set(coreCalls)).toEqual(new Set(Object.keys(channels)));
    // the answers are the server's data, carried intact
    expect(answers.get('app.info')).toMatchObject({ transport: 'web', demo: false, serverAddress: env.server.url });
    expect(answers.get('jobs.get')).toMatchObject({ job: { id: world.jobIds[0] } });
    expect((answers.get('jobs.create') as { jobIds: number[] }).jobIds).toHaveLength(1);
    expect(answers.get('catalog.projectMeta')).toMatchObject({
      classes: expect.arrayContaining([expect.objectContaining({ title: 'kiwi' })]),
    });
    expect(answers.get('settings.importEnv')).toMatchObject({
      profiles: expect.arrayContaining([
        expect.objectContaining({ source: 'supervisely.env', serverAddress: env.server.url, hasToken: true }),
      ]),
    });
    const settings = await api(bridge, 'settings.get', {});
    expect(settings.body).not.toContain('secret-token-never-returned');
    expect(settings.body).not.toContain(env.server.adminToken);
  });

  it('rejects invalid payloads with invalid_request and HTTP 400, before the core', async () => {
    const before = coreCalls.length;
    for (const [channel, payload] of [
      ['jobs.stop', { ids: 'all' }],
      ['jobs.stop', { ids: [] }],
      ['jobs.query', { filter: { unknownKey: 1 }, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 10 }],
      ['jobs.create', { name: '', datasetId: 10555, userIds: [7] }],
      ['jobs.get', { id: 1.5 }],
      ['jobs.query', null],
      ['users.create', { login: 'x', password: 'short' }],
      ['jobs.setStatus', { ids: [1], status: 'finished' }],
    ] as const) {
      const answer = await api(bridge, channel, payload);
      expect(answer.status, channel).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    }
    const notJson = await call(bridge, '/api/jobs.stop', {
      method: 'POST',
      body: '{oops',
      headers: { 'content-type': 'application/json', cookie: bridge.sessionCookie },
    });
    expect(notJson.status).toBe(400);
    expect((await api(bridge, 'jobs.dropTables', {})).status).toBe(404);
    expect(coreCalls.length).toBe(before);
  });

  it('refuses callers without the session cookie, with a foreign Host or Origin, or posting forms', async () => {
    const before = coreCalls.length;
    expect((await api(bridge, 'app.info', {}, { cookie: '' })).status).toBe(401);
    expect((await api(bridge, 'app.info', {}, { cookie: `${bridge.sessionCookie.slice(0, -1)}x` })).status).toBe(401);
    expect((await api(bridge, 'app.info', {}, { host: `evil.example:${bridge.port}` })).status).toBe(403);
    expect((await api(bridge, 'app.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api(bridge, 'app.info', {}, { origin: `http://127.0.0.1:${bridge.port + 1}` })).status).toBe(403);
    expect((await api(bridge, 'app.info', {}, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await call(bridge, '/api/events', { headers: {} })).status).toBe(401);
    expect((await call(bridge, '/', { headers: { host: 'rebound.example' } })).status).toBe(403);
    expect(coreCalls.length).toBe(before);
    expect((await api(bridge, 'app.info', {}, { origin: bridge.origin })).status).toBe(200);
  });

  it('streams core events to an authorised event stream', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: bridge.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${bridge.port}`, cookie: bridge.sessionCookie },
        },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('event: outbox.changed')) {
              req.destroy();
              resolve(text);
            }
          });
          // something that emits: a queued change
          void api(bridge, 'jobs.create', { name: 'event job', datasetId: 10555, userIds: [7] });
        },
      );
      req.on('error', (err) => (String(err).includes('socket hang up') ? undefined : reject(err)));
      req.end();
    });
    const frame = /event: outbox\.changed\ndata: (.*)\n/.exec(received);
    expect(JSON.parse(frame![1]!)).toMatchObject({ ids: expect.any(Array) });
  });

  it('serves the built UI with its CSP, and nothing outside its folder', async () => {
    const page = await call(bridge, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await call(bridge, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    for (const path of ['/../outside.txt', '/assets/../../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e%2f%2e%2e%2foutside.txt']) {
      const answer = await call(bridge, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('private');
    }
  });
});
