// The renderer's client (renderer/src/lib/transport.ts) as a page would use it: over the real web
// bridge (the session is the browser's cookie: the page keeps no secret; channel calls; AppErrors;
// events over the stream), and over a preload-style `window.ljd`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError, channels, type EventName, type Handlers, type Envelope } from '#shared/contract';
import type { LjdBridge } from '#shared/bridge-types';
import { startWebBridge, type WebBridge } from '../../../main/bridge/web';
import { sessionCookieOf } from './session';

type TransportModule = typeof import('../../../renderer/src/lib/transport');
const g = globalThis as Record<string, unknown>;
const nodeFetch = globalThis.fetch;

/** Installs just the browser globals transport.ts reads, then imports a fresh copy of it. */
async function loadTransport(page: { search: string; hash?: string; fetchBase?: string; cookie?: string; ljd?: LjdBridge }) {
  const storage = new Map<string, string>();
  const replaced: string[] = [];
  vi.resetModules();
  g.location = { search: page.search, pathname: '/', hash: page.hash ?? '' };
  g.history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) };
  g.sessionStorage = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) };
  // a browser adds its cookie for the page's origin; Node's fetch has no cookie jar
  const withCookie = (init?: RequestInit) => ({
    ...init,
    headers: { ...(init?.headers as object), ...(page.cookie ? { cookie: page.cookie } : {}) },
  });
  if (page.fetchBase) {
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => nodeFetch(new URL(url, page.fetchBase), withCookie(init)));
  }
  if (page.ljd) g.ljd = page.ljd;
  else delete g.ljd;
  const module = (await import('../../../renderer/src/lib/transport')) as TransportModule;
  return { module, storage, replaced };
}

describe('renderer transport over the web bridge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-client-'));
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  const handlers: Partial<Handlers> = {
    'app.info': async () => ({ version: '9', transport: 'web', demo: true, serverAddress: 'local', userLogin: null }),
    'jobs.get': async ({ id }) => {
      throw new AppError('not_found', `No job ${id}.`);
    },
  };
  let bridge: WebBridge;
  let transport: Awaited<ReturnType<typeof loadTransport>>;

  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const core = {
      handlers: handlers as Handlers,
      on: (event: string, listener: (p: never) => void) => {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener as (p: unknown) => void);
        return () => set.delete(listener as (p: unknown) => void);
      },
    };
    bridge = await startWebBridge({ core: core as never, staticDir: dir });
    const cookie = await sessionCookieOf(bridge.loginUrl());
    transport = await loadTransport({ search: '?view=1', hash: '#/jobs', fetchBase: `${bridge.origin}/`, cookie });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says web and keeps no secret of its own', () => {
    expect(transport.module.connectionOf()).toBe('web');
    expect(transport.storage.size).toBe(0);
    expect(transport.replaced).toEqual([]);
  });

  it('has one function per channel, answering values and throwing AppErrors', async () => {
    expect(Object.keys(transport.module.api).sort()).toEqual(Object.keys(channels).sort());
    await expect(transport.module.api['app.info']({})).resolves.toMatchObject({ version: '9', transport: 'web' });
    const failure = await transport.module.api['jobs.get']({ id: 42 }).catch((e: unknown) => e);
    expect((failure as Error).name).toBe('AppError'); // (a fresh module copy, so not the same class object)
    expect(failure).toMatchObject({ kind: 'not_found', message: 'No job 42.' });
    const invalid = await transport.module.api['jobs.get']({ id: 'x' as never }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ kind: 'invalid_request' });
  });

  it('delivers core events to subscribers, and stops after unsubscribe', async () => {
    const seen: unknown[] = [];
    const off = transport.module.subscribe('jobs.changed', (p) => seen.push(p));
    // wait until the event stream is connected (the bridge has registered it)
    const fromCore = () => seen.filter((p) => (p as { all: boolean }).all === false);
    for (let i = 0; i < 100 && fromCore().length === 0; i++) {
      emit('jobs.changed', { ids: [i], all: false });
      await new Promise((r) => setTimeout(r, 20));
    }
    // on connecting, the page is first told to re-read everything (it may have missed changes)
    expect(seen[0]).toEqual({ ids: [], all: true });
    expect(fromCore().length).toBeGreaterThan(0);
    off();
    const count = seen.length;
    emit('jobs.changed', { ids: [999], all: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(count);
  });

  it('a page opened without the session gets a forbidden AppError that says what to do', async () => {
    const bare = await loadTransport({ search: '', fetchBase: `${bridge.origin}/` });
    const failure = await bare.module.api['app.info']({}).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'forbidden' });
    expect((failure as Error).message).toMatch(/link the app printed/);
  });
});

describe('renderer transport over the Electron preload', () => {
  it('uses window.ljd for calls and events, and says electron', async () => {
    const invoked: Array<[string, unknown]> = [];
    const subscribed: string[] = [];
    const ljd: LjdBridge = {
      invoke: async (channel, payload): Promise<Envelope> => {
        invoked.push([channel, payload]);
        if (channel === 'jobs.idSet') throw new Error("Error invoking remote method 'ljd:jobs.idSet': No handler registered");
        return channel === 'sync.now'
          ? { ok: false, error: { kind: 'offline', message: 'The server is not reachable.' } }
          : { ok: true, value: { ok: true } };
      },
      on: (event, listener) => {
        subscribed.push(event);
        listener({ ids: [], all: true });
        return () => {};
      },
    };
    const { module, storage } = await loadTransport({ search: '?k=ignored', ljd });
    expect(module.connectionOf()).toBe('electron');
    expect(storage.size).toBe(0);
    await expect(module.api['jobs.watch']({ jobId: 1, status: 'completed' })).resolves.toEqual({ ok: true });
    await expect(module.api['sync.now']({})).rejects.toMatchObject({ kind: 'offline', message: 'The server is not reachable.' });
    const lost = await module.api['jobs.idSet']({ filter: {} }).catch((e: unknown) => e);
    expect(lost).toMatchObject({ name: 'AppError', kind: 'internal', message: expect.stringMatching(/main process did not answer/) });
    expect(invoked).toEqual([
      ['jobs.watch', { jobId: 1, status: 'completed' }],
      ['sync.now', {}],
      ['jobs.idSet', { filter: {} }],
    ]);
    const got: unknown[] = [];
    module.subscribe('jobs.changed', (p) => got.push(p));
    expect(subscribed).toEqual(['jobs.changed']);
    expect(got).toEqual([{ ids: [], all: true }]);
  });
});
