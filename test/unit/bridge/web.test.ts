// The web bridge's own rules, with a hand-written core: how core failures reach the page (an
// AppError's words; anything else a generic 'internal' with the detail only in the log), answers
// outside the contract, the body limit, methods, and names that are not channels.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type Handlers } from '#shared/contract';
import { startWebBridge, type WebBridge } from '../../../main/bridge/web';

const dir = mkdtempSync(join(tmpdir(), 'ljd-web-unit-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');

const calls: string[] = [];
const logs: string[] = [];
let bridge: WebBridge | null = null;

async function start(handlers: Partial<Handlers>, validateResponses = true, codeTtlMs?: number): Promise<WebBridge> {
  const core = { handlers: handlers as Handlers, on: () => () => {} };
  bridge = await startWebBridge({ core, staticDir: dir, validateResponses, log: (line) => logs.push(line), codeTtlMs });
  return bridge;
}
afterEach(async () => {
  await bridge?.close();
  bridge = null;
  calls.length = 0;
  logs.length = 0;
});

function call(b: WebBridge, path: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: b.port,
        path,
        method: init.method ?? 'POST',
        headers: { host: `127.0.0.1:${b.port}`, 'content-type': 'application/json', cookie: b.sessionCookie, ...init.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body ?? (init.method === 'GET' ? undefined : '{}'));
  });
}

describe('web bridge error mapping', () => {
  it("passes an AppError's kind and message through", async () => {
    const b = await start({
      'jobs.get': async () => {
        calls.push('jobs.get');
        throw new AppError('not_found', 'There is no job 5 in the cache.');
      },
    });
    const answer = await call(b, '/api/jobs.get', { body: '{"id":5}' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { kind: 'not_found', message: 'There is no job 5 in the cache.' } });
  });

  it('turns any other failure into a generic internal error, logging the detail but never sending it', async () => {
    const b = await start({
      'jobs.get': async () => {
        throw new TypeError('cannot read x of undefined at secretFunction (/home/me/core.ts:12)');
      },
    });
    const answer = await call(b, '/api/jobs.get', { body: '{"id":5}' });
    const envelope = JSON.parse(answer.body);
    expect(envelope).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(answer.body).not.toMatch(/secretFunction|core\.ts|TypeError/);
    expect(logs.join('\n')).toContain('secretFunction');
  });

  it('refuses an answer outside the contract as internal (500) when validating, and passes it when not', async () => {
    const wrong = async () => ({ version: 1 }) as never;
    const strict = await start({ 'app.info': wrong });
    const refused = await call(strict, '/api/app.info');
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(logs.join('\n')).toContain('app.info answered outside the contract');
    await strict.close();
    const lax = await start({ 'app.info': wrong }, false);
    expect(JSON.parse((await call(lax, '/api/app.info')).body)).toEqual({ ok: true, value: { version: 1 } });
  });
});

describe('web bridge request rules', () => {
  const counted: Partial<Handlers> = {
    'app.info': async () => {
      calls.push('app.info');
      return { version: '1', transport: 'web', demo: true, serverAddress: 'x', userLogin: null };
    },
  };

  it('limits the body size (413) without calling the core', async () => {
    const b = await start(counted);
    const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
    // announced by Content-Length, and streamed without one (chunked)
    for (const headers of [{}, { 'transfer-encoding': 'chunked' }] as Array<Record<string, string>>) {
      const answer = await call(b, '/api/app.info', { body: big, headers });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    }
    expect(calls).toEqual([]);
    // the bridge still answers afterwards
    expect((await call(b, '/api/app.info')).status).toBe(200);
  });

  it('answers channels only to POST and events only to GET', async () => {
    const b = await start(counted);
    expect((await call(b, '/api/app.info', { method: 'GET', body: '' })).status).toBe(405);
    expect((await call(b, '/api/events', { method: 'POST' })).status).toBe(405);
    expect((await call(b, '/', { method: 'POST' })).status).toBe(405);
    expect(calls).toEqual([]);
  });

  it('treats inherited object keys as unknown channels', async () => {
    const b = await start(counted);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((await call(b, `/api/${name}`)).status, name).toBe(404);
    }
  });

  it('accepts localhost:<port> as Host and its origin, refuses Origin null and https', async () => {
    const b = await start(counted);
    expect(
      (await call(b, '/api/app.info', { headers: { host: `localhost:${b.port}`, origin: `http://localhost:${b.port}` } })).status,
    ).toBe(200);
    expect((await call(b, '/api/app.info', { headers: { origin: 'null' } })).status).toBe(403);
    expect((await call(b, '/api/app.info', { headers: { origin: `https://127.0.0.1:${b.port}` } })).status).toBe(403);
    expect((await call(b, '/api/app.info', { headers: { host: `127.0.0.1:${b.port + 1}` } })).status).toBe(403);
    expect((await call(b, '/api/app.info', { headers: { host: '127.0.0.1' } })).status).toBe(403);
  });

  it('hands out one-time codes, never the session secret, and listens on 127.0.0.1 only', async () => {
    const b = await start(counted);
    const first = new URL(b.loginUrl());
    const second = new URL(b.loginUrl());
    expect(first.hostname).toBe('127.0.0.1');
    expect(first.searchParams.get('code')!.length).toBeGreaterThanOrEqual(32);
    expect(first.searchParams.get('code')).not.toBe(second.searchParams.get('code'));
    const secret = b.sessionCookie.split('=')[1]!;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(first.href + second.href).not.toContain(secret);
  });

  it('spends a code once for an HttpOnly, SameSite=Strict session cookie and a clean URL', async () => {
    const b = await start(counted);
    const { pathname, search } = new URL(b.loginUrl());
    const path = pathname + search;
    expect((await call(b, '/api/app.info', { headers: { cookie: '' } })).status).toBe(401);
    const login = await call(b, path, { method: 'GET' });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Max-Age|Expires/i); // gone with the browser session
    expect(cookie.split(';')[0]).toBe(b.sessionCookie);
    expect((await call(b, '/api/app.info', { headers: { cookie: b.sessionCookie } })).status).toBe(200);
    // dead after first use: a second browser (no cookie) is refused; the one that has it is let through
    expect((await call(b, path, { method: 'GET', headers: { cookie: '' } })).status).toBe(401);
    expect((await call(b, path, { method: 'GET', headers: { cookie: b.sessionCookie } })).status).toBe(303);
    expect((await call(b, '/?code=made-up', { method: 'GET', headers: { cookie: '' } })).status).toBe(401);
  });

  it('refuses a code that was not used in time, and says so', async () => {
    const b = await start(counted, true, 300);
    const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
    const late = pathOf(b.loginUrl());
    await new Promise((r) => setTimeout(r, 400));
    const fresh = pathOf(b.loginUrl());
    const refused = await call(b, late, { method: 'GET', headers: { cookie: '' } });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatch(/expired/);
    expect((await call(b, fresh, { method: 'GET', headers: { cookie: '' } })).status).toBe(303);
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
