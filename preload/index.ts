// The Electron preload: exposes `window.ljd` (see shared/bridge-types.ts) and nothing else — no raw
// ipcRenderer, no Node. Names are checked against the contract before anything is sent to main.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope } from '#shared/contract';
import { isChannelName, isEventName } from '#shared/contract';
import { IPC_EVENT_PREFIX, IPC_INVOKE_PREFIX, type LjdBridge } from '#shared/bridge-types';

const ljd: LjdBridge = {
  invoke(channel: string, payload: unknown): Promise<Envelope> {
    if (typeof channel !== 'string' || !isChannelName(channel)) {
      return Promise.resolve({ ok: false, error: { kind: 'invalid_request', message: `Unknown channel: ${String(channel)}` } });
    }
    return ipcRenderer.invoke(IPC_INVOKE_PREFIX + channel, payload) as Promise<Envelope>;
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('on(event, listener): listener must be a function');
    const ipcChannel = IPC_EVENT_PREFIX + event;
    // Wrap so the page never sees the IpcRendererEvent (it carries `sender`, an ipcRenderer).
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(ipcChannel, wrapped);
    return () => {
      ipcRenderer.removeListener(ipcChannel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('ljd', ljd);
