// The preload in plain Node with a mocked 'electron': what it exposes, that only contract names
// reach ipcRenderer, and that unsubscribe removes exactly its own listener.

import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LjdBridge } from '#shared/bridge-types';

const h = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 'from main' })),
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => h.exposed.set(key, api) },
  ipcRenderer: {
    invoke: h.invoke,
    on: (channel: string, l: (...args: unknown[]) => void) => {
      const set = h.listeners.get(channel) ?? new Set();
      set.add(l);
      h.listeners.set(channel, set);
    },
    removeListener: (channel: string, l: (...args: unknown[]) => void) => void h.listeners.get(channel)?.delete(l),
  },
}));

let ljd: LjdBridge;
beforeAll(async () => {
  await import('../../../preload/index');
  ljd = h.exposed.get('ljd') as LjdBridge;
});
beforeEach(() => h.invoke.mockClear());

const fire = (channel: string, payload: unknown) => {
  for (const l of h.listeners.get(channel) ?? []) l({ sender: 'the ipcRenderer event' }, payload);
};

describe('preload window.ljd', () => {
  it('exposes one object, ljd, with exactly invoke and on', () => {
    expect([...h.exposed.keys()]).toEqual(['ljd']);
    expect(Object.keys(ljd).sort()).toEqual(['invoke', 'on']);
  });

  it("invokes a contract channel as ljd:<name> and returns main's Envelope", async () => {
    await expect(ljd.invoke('jobs.get', { id: 3 })).resolves.toEqual({ ok: true, value: 'from main' });
    expect(h.invoke).toHaveBeenCalledWith('ljd:jobs.get', { id: 3 });
  });

  it('answers an unknown channel with an invalid_request Envelope without calling main', async () => {
    for (const name of ['fs.read', '__proto__', 'toString', '', 42 as unknown as string]) {
      await expect(ljd.invoke(name, {})).resolves.toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    }
    expect(h.invoke).not.toHaveBeenCalled();
  });

  it('subscribes to ljd:event:<name>, hands the listener only the payload, and unsubscribes exactly that listener', () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = ljd.on('jobs.changed', a);
    ljd.on('jobs.changed', b);
    fire('ljd:event:jobs.changed', { ids: [1], all: false });
    expect(a).toHaveBeenCalledWith({ ids: [1], all: false });
    expect(a.mock.calls[0]).toHaveLength(1); // no IpcRendererEvent (it carries `sender`)
    offA();
    fire('ljd:event:jobs.changed', { ids: [2], all: false });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
  });

  it('refuses an unknown event name', () => {
    expect(() => ljd.on('ipc-message', () => {})).toThrow(/Unknown event/);
    expect(h.listeners.has('ljd:event:ipc-message')).toBe(false);
  });
});
