// The Electron IPC transport in plain Node: a fake ipcMain records the handlers registerIpc makes,
// and the tests call them as Electron would (event with senderFrame, payload).

import { describe, expect, it, vi } from 'vitest';
import type { WebFrameMain } from 'electron';
import { AppError, channels, events, type EventName } from '#shared/contract';
import type { Core } from '../../../main/core';
import { envelopeOfError } from '../../../main/bridge/dispatch';
import { isAppUrl, registerIpc, trustedSenderCheck, type IpcMainLike } from '../../../main/electron/ipc';

type Listener = (event: { senderFrame: WebFrameMain | null }, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener as Listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function fakeCore(overrides: Record<string, (req: unknown) => Promise<unknown>> = {}) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: Array<[string, unknown]> = [];
  const handlers = new Proxy({} as Record<string, (req: unknown) => Promise<unknown>>, {
    get: (_t, name: string) => async (req: unknown) => {
      calls.push([name, req]);
      const override = overrides[name];
      if (override) return override(req);
      throw new Error(`no fake for ${name}`);
    },
  });
  const core = {
    handlers: handlers as never,
    on: ((event: string, l: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(l);
      listeners.set(event, set);
      return () => void set.delete(l);
    }) as Core['on'],
    emit: (event: EventName, payload: unknown) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
  return { core, calls };
}

const APP_URL = 'app://ljd/index.html';
let nextRoutingId = 1;
const frame = (url: string, ids: { processId?: number; routingId?: number; parent?: unknown } = {}) =>
  ({ url, processId: 7, routingId: nextRoutingId++, parent: null, ...ids }) as unknown as WebFrameMain;
const appInfo = { version: '0.1.0', transport: 'electron', demo: true, serverAddress: 'http://127.0.0.1:1', userLogin: null };

function setup(overrides?: Record<string, (req: unknown) => Promise<unknown>>) {
  const { ipcMain, handlers } = fakeIpcMain();
  const { core, calls } = fakeCore(overrides);
  const main = frame('app://ljd/index.html#/jobs');
  const sent: Array<[string, unknown]> = [];
  const target = { send: (c: string, p: unknown) => void sent.push([c, p]), isDestroyed: () => false };
  const log = vi.fn();
  const dispose = registerIpc({
    core,
    ipcMain,
    isTrustedSender: trustedSenderCheck({ appUrl: APP_URL, mainFrame: () => main }),
    eventTarget: () => target,
    log,
  });
  const invoke = (channel: string, payload: unknown, senderFrame: WebFrameMain | null = main) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame }, payload);
  };
  return { handlers, core, calls, sent, log, dispose, invoke, main };
}

describe('registerIpc', () => {
  it('registers exactly one "ljd:" handler per contract channel, and nothing else', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(channels)
        .map((n) => `ljd:${n}`)
        .sort(),
    );
  });

  it('answers a valid call from our window with the core value in an ok Envelope', async () => {
    const { invoke, calls } = setup({ 'app.info': async () => appInfo });
    await expect(invoke('ljd:app.info', {})).resolves.toEqual({ ok: true, value: appInfo });
    expect(calls).toEqual([['app.info', {}]]);
  });

  it('passes the parsed request (defaults applied) to the core', async () => {
    const { invoke, calls } = setup({ 'outbox.list': async () => [] });
    await invoke('ljd:outbox.list', { states: ['failed'] });
    expect(calls).toEqual([['outbox.list', { states: ['failed'], limit: 500 }]]);
  });

  it('refuses an invalid payload with invalid_request; the core never sees it', async () => {
    const { invoke, calls } = setup({ 'jobs.get': async () => null });
    const answer = await invoke('ljd:jobs.get', { id: 'seven' });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    expect((answer as { error: { message: string } }).error.message).toContain('jobs.get');
    await expect(invoke('ljd:app.info', { extra: 1 })).resolves.toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    expect(calls).toEqual([]);
  });

  it('refuses a sender that is not our main frame (a subframe, or another window) with forbidden', async () => {
    const { invoke, calls, log } = setup({ 'app.info': async () => appInfo });
    const sameUrlOtherFrame = frame('app://ljd/index.html');
    await expect(invoke('ljd:app.info', {}, sameUrlOtherFrame)).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    await expect(invoke('ljd:app.info', {}, null)).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('untrusted sender'));
  });

  it('accepts another wrapper of our main frame (same process and routing id), not a child frame with those ids', async () => {
    const { invoke, main, calls } = setup({ 'app.info': async () => appInfo });
    const ids = { processId: main.processId, routingId: main.routingId };
    await expect(invoke('ljd:app.info', {}, frame('app://ljd/index.html', ids))).resolves.toMatchObject({ ok: true });
    await expect(invoke('ljd:app.info', {}, frame('app://ljd/index.html', { ...ids, parent: main }))).resolves.toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    await expect(
      invoke('ljd:app.info', {}, frame('app://ljd/index.html', { processId: 8, routingId: main.routingId })),
    ).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toHaveLength(1);
  });

  it('refuses our main frame once it shows a foreign page', async () => {
    const { invoke, main, calls } = setup({ 'app.info': async () => appInfo });
    (main as unknown as { url: string }).url = 'https://evil.example/index.html';
    await expect(invoke('ljd:app.info', {})).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('treats a frame whose url getter throws (destroyed) as untrusted', async () => {
    const { handlers, calls } = setup({ 'app.info': async () => appInfo });
    const event = {
      get senderFrame(): WebFrameMain {
        throw new Error('Render frame was disposed');
      },
    };
    await expect(handlers.get('ljd:app.info')!(event, {})).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('has no handler for an unknown channel', () => {
    const { handlers } = setup();
    expect(handlers.has('ljd:fs.readFile')).toBe(false);
    expect(handlers.has('ljd:__proto__')).toBe(false);
  });

  it('maps an AppError to its kind and message', async () => {
    const { invoke } = setup({
      'jobs.stop': async () => {
        throw new AppError('conflict', 'Job 4 is already completed.');
      },
    });
    await expect(invoke('ljd:jobs.stop', { ids: [4] })).resolves.toEqual({
      ok: false,
      error: { kind: 'conflict', message: 'Job 4 is already completed.' },
    });
  });

  it('maps any other error to internal with a generic message, and logs the detail', async () => {
    const { invoke, log } = setup({
      'jobs.stop': async () => {
        throw new Error('SQLITE_BUSY: secret detail /home/me/cache.db');
      },
    });
    const answer = await invoke('ljd:jobs.stop', { ids: [4] });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(answer)).not.toContain('SQLITE_BUSY');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('SQLITE_BUSY'));
  });

  it('refuses a core answer outside the response schema, and strips unknown keys from a valid one', async () => {
    const bad = setup({ 'app.info': async () => ({ version: 1 }) });
    await expect(bad.invoke('ljd:app.info', {})).resolves.toMatchObject({ ok: false, error: { kind: 'internal' } });
    const extra = setup({ 'app.info': async () => ({ ...appInfo, apiToken: 'sekret' }) });
    const answer = await extra.invoke('ljd:app.info', {});
    expect(answer).toEqual({ ok: true, value: appInfo });
  });

  it('forwards every core event to the window as ljd:event:<name>', () => {
    const { core, sent } = setup();
    for (const name of Object.keys(events) as EventName[]) core.emit(name, { name });
    expect(sent).toEqual(Object.keys(events).map((n) => [`ljd:event:${n}`, { name: n }]));
  });

  it('drops events while there is no live window', () => {
    const { ipcMain } = fakeIpcMain();
    const { core } = fakeCore();
    const target = { send: vi.fn(), isDestroyed: () => true };
    registerIpc({ core, ipcMain, isTrustedSender: () => true, eventTarget: () => target });
    core.emit('notify', { title: 't', body: 'b', jobId: null });
    expect(target.send).not.toHaveBeenCalled();
  });

  it('disposes: removes every handler and every event subscription', () => {
    const { handlers, dispose, core } = setup();
    expect(core.listenerCount()).toBe(Object.keys(events).length);
    dispose();
    expect(handlers.size).toBe(0);
    expect(core.listenerCount()).toBe(0);
  });
});

describe('isAppUrl', () => {
  it('accepts our app:// pages and rejects other hosts and schemes', () => {
    expect(isAppUrl('app://ljd/index.html#/job/3', APP_URL)).toBe(true);
    expect(isAppUrl('app://ljd/assets/x.js', APP_URL)).toBe(true);
    expect(isAppUrl('app://other/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('https://ljd/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('file:///index.html', APP_URL)).toBe(false);
    expect(isAppUrl('about:blank', APP_URL)).toBe(false);
    expect(isAppUrl('not a url', APP_URL)).toBe(false);
  });

  it('for file://, accepts only pages inside the renderer folder', () => {
    const app = 'file:///opt/ljd/dist/renderer/index.html';
    expect(isAppUrl('file:///opt/ljd/dist/renderer/index.html#/jobs', app)).toBe(true);
    expect(isAppUrl('file:///opt/ljd/dist/other.html', app)).toBe(false);
    expect(isAppUrl('file:///tmp/evil.html', app)).toBe(false);
    expect(isAppUrl('file://host/opt/ljd/dist/renderer/index.html', app)).toBe(false);
  });
});

describe('envelopeOfError', () => {
  it('never puts a non-AppError message on the wire', () => {
    expect(envelopeOfError('boom')).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(envelopeOfError(new AppError('offline', 'No connection.'))).toEqual({
      ok: false,
      error: { kind: 'offline', message: 'No connection.' },
    });
  });
});
