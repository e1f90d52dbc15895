// The loopback web bridge against the real core (demo mode: the local server in-process): every
// channel round-trips, bad payloads never reach the core, foreign callers are refused, events stream,
// and the built UI is served with its CSP and nothing outside its folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, EnvelopeSchema, type ChannelName, type RequestOf } from '../../../preload/contract';
import { createCore, type Core } from '../../../main/core';
import { SECRET_HEADER, startWebBridge, type WebBridge } from '../../../main/bridge/web';

/** One valid request per channel; typed as a full record so a new channel cannot be forgotten. */
const samples: { [C in ChannelName]: RequestOf<C> } = {
  'app.info': {},
  'jobs.create': { name: 'bridge job', datasetId: 10555, userIds: [7], classesToLabel: ['lemon'] },
  'jobs.query': { filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 50 },
  'jobs.ids': { filter: { showArchived: true } },
  'jobs.get': { id: 1 },
  'jobs.stats': { id: 1 },
  'jobs.charts': { filter: {} },
  'jobs.stop': { ids: [1] },
  'jobs.archive': { ids: [1] },
  'jobs.remove': { ids: [1] },
  'jobs.setStatus': { ids: [1], status: 'completed' },
  'jobs.watch': { jobId: 1, status: 'completed' },
  'jobs.unwatch': { jobId: 1 },
  'jobs.watches': {},
  'catalog.teams': {},
  'catalog.workspaces': { teamId: 8 },
  'catalog.projects': { workspaceId: 349 },
  'catalog.datasets': { projectId: 5555 },
  'catalog.images': { datasetId: 10555 },
  'catalog.projectMeta': { projectId: 5555 },
  'catalog.thumbnail': { imageId: 3882697 },
  'users.members': { teamId: 8 },
  'users.roles': {},
  'users.create': { login: 'bridge_user', password: 'password123' },
  'users.addToTeam': { userId: 7, teamId: 8, roleId: 1 },
  'users.changeRole': { userId: 7, teamId: 8, roleId: 1 },
  'sync.now': {},
  'sync.state': {},
  'outbox.list': {},
  'outbox.retry': { ids: [1] },
  'outbox.discard': { ids: [1] },
  'settings.get': {},
  'settings.update': { theme: 'dark' },
  'settings.saveProfile': { name: 'Elsewhere', serverAddress: 'http://127.0.0.1:9', apiToken: 'secret-token-never-returned' },
  'settings.deleteProfile': { id: 'no-such-profile' },
  'settings.activateProfile': { id: null },
  'settings.testConnection': { serverAddress: 'http://127.0.0.1:9', apiToken: 'x' },
  'settings.importEnv': {},
  'presets.list': {},
  'presets.save': { name: 'mine', filter: { statuses: ['pending'] } },
  'presets.delete': { name: 'mine' },
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP call, so tests can set any Host/Origin header (fetch forbids changing Host). */
function call(bridge: WebBridge, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: bridge.port, path, method: init.method ?? 'GET', headers: { host: `127.0.0.1:${bridge.port}`, ...init.headers } },
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
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: bridge.secret, ...headers },
  });

describe('web bridge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-bridge-'));
  const staticDir = join(dir, 'ui');
  let core: Core;
  let bridge: WebBridge;
  const coreCalls: string[] = [];

  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ui</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'outside.txt'), 'private');
    core = createCore({ dataDir: join(dir, 'data'), homeDir: dir, syncIntervalSec: 3600 });
    await core.start();
    // Count what reaches the core, to prove refused requests never do.
    const counted = Object.fromEntries(
      Object.entries(core.handlers).map(([name, fn]) => [name, (r: never) => (coreCalls.push(name), (fn as (r: never) => Promise<unknown>)(r))]),
    ) as unknown as Core['handlers'];
    bridge = await startWebBridge({ core: { handlers: counted, on: core.on }, staticDir, validateResponses: true });
  });
  afterAll(async () => {
    await bridge.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every channel of the contract to the core and back', async () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(channels).sort());
    for (const name of Object.keys(samples) as ChannelName[]) {
      const answer = await api(bridge, name, samples[name]);
      const envelope = EnvelopeSchema.parse(JSON.parse(answer.body));
      if (envelope.ok) {
        expect(answer.status, name).toBe(200);
        expect(channels[name].response.safeParse(envelope.value).success, name).toBe(true);
      } else {
        // a domain refusal the core itself made (e.g. an unknown profile), carried back intact
        expect(answer.status, `${name}: ${envelope.error.message}`).toBe(200);
        expect(envelope.error.kind, name).not.toBe('invalid_request');
        expect(envelope.error.message.length, name).toBeGreaterThan(10);
      }
    }
    expect(new Set(coreCalls)).toEqual(new Set(Object.keys(channels)));
    const settings = await api(bridge, 'settings.get', {});
    expect(settings.body).not.toContain('secret-token-never-returned');
  });

  it('rejects invalid payloads with invalid_request and HTTP 400, before the core', async () => {
    const before = coreCalls.length;
    for (const [channel, payload] of [
      ['jobs.stop', { ids: 'all' }],
      ['jobs.stop', { ids: [] }],
      ['jobs.query', { filter: { unknownKey: 1 }, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 10 }],
      ['jobs.create', { name: '', datasetId: 10555, userIds: [7] }],
      ['jobs.setStatus', { ids: [1], status: 'finished' }],
    ] as const) {
      const answer = await api(bridge, channel, payload);
      expect(answer.status, channel).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    }
    const notJson = await call(bridge, '/api/jobs.stop', { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json', [SECRET_HEADER]: bridge.secret } });
    expect(notJson.status).toBe(400);
    expect((await api(bridge, 'jobs.dropTables', {})).status).toBe(404);
    expect(coreCalls.length).toBe(before);
  });

  it('refuses callers without the secret, with a foreign Host or Origin, or posting forms', async () => {
    const before = coreCalls.length;
    expect((await api(bridge, 'app.info', {}, { [SECRET_HEADER]: '' })).status).toBe(401);
    expect((await api(bridge, 'app.info', {}, { [SECRET_HEADER]: `${bridge.secret.slice(0, -1)}x` })).status).toBe(401);
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
        { host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: { host: `127.0.0.1:${bridge.port}`, [SECRET_HEADER]: bridge.secret } },
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
