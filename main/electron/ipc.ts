// The Electron transport of the contract: one ipcMain.handle per channel (derived by a loop), each
// checking the sender frame, validating the payload, calling the core and answering an Envelope;
// core events are forwarded to the window. Takes ipcMain as a parameter (electron types only), so
// the logic runs in plain Node tests with a fake.

import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { Core } from '../core';
import { channels, events, isChannelName, type ChannelName, type Envelope, type EventName } from '#shared/contract';
import { callChannel } from '../bridge/dispatch';
import { IPC_EVENT_PREFIX, IPC_INVOKE_PREFIX } from '#shared/bridge-types';

/** The part of Electron's ipcMain this transport uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of a WebContents events are sent to. */
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface RegisterIpcOptions {
  core: Pick<Core, 'handlers' | 'on'>;
  ipcMain: IpcMainLike;
  /** true only for our own window's main frame showing our own page (see trustedSenderCheck) */
  isTrustedSender(frame: WebFrameMain | null): boolean;
  /** where core events go: the app window's webContents, or null while there is none */
  eventTarget?: () => EventTarget | null;
  log?: (line: string) => void;
}

/** One channel call from sender check to Envelope; exported for tests. */
export async function answerInvoke(
  options: Pick<RegisterIpcOptions, 'core' | 'isTrustedSender' | 'log'>,
  name: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
): Promise<Envelope> {
  const { core, isTrustedSender, log } = options;
  let frame: WebFrameMain | null;
  try {
    frame = event.senderFrame; // a getter; throws if the frame navigated or was destroyed
  } catch {
    frame = null;
  }
  if (!isTrustedSender(frame)) {
    log?.(`ipc: refused ${name} from an untrusted sender (${frame ? safeUrl(frame) : 'no frame'})`);
    return { ok: false, error: { kind: 'forbidden', message: 'This page may not call the app.' } };
  }
  if (!isChannelName(name)) return { ok: false, error: { kind: 'invalid_request', message: `Unknown channel: ${name}` } };
  return (await callChannel(core.handlers, name, payload, { validateResponse: true, log })).envelope;
}

function safeUrl(frame: WebFrameMain): string {
  try {
    return frame.url;
  } catch {
    return 'destroyed frame';
  }
}

/**
 * Registers every channel and forwards every event; returns the function that undoes both.
 * Only contract names get a handler: `ljd:<anything else>` has none, so Electron rejects it.
 */
export function registerIpc(options: RegisterIpcOptions): () => void {
  const { core, ipcMain, eventTarget, log } = options;
  const names = Object.keys(channels) as ChannelName[];
  for (const name of names) {
    ipcMain.handle(IPC_INVOKE_PREFIX + name, (event, payload) => answerInvoke(options, name, event, payload));
  }
  const unsubscribes = (Object.keys(events) as EventName[]).map((name) =>
    core.on(name, (payload) => {
      const target = eventTarget?.();
      if (!target || target.isDestroyed()) return;
      try {
        target.send(IPC_EVENT_PREFIX + name, payload);
      } catch (err) {
        log?.(`ipc: could not forward ${name}: ${String(err)}`);
      }
    }),
  );
  return () => {
    for (const name of names) ipcMain.removeHandler(IPC_INVOKE_PREFIX + name);
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

/** Whether a page URL belongs to the app: same custom scheme and host, or (file://) inside the app's folder. */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  let url: URL;
  let app: URL;
  try {
    url = new URL(candidate);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (url.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') {
    const folder = app.pathname.slice(0, app.pathname.lastIndexOf('/') + 1);
    return url.host === app.host && url.pathname.startsWith(folder) && !url.pathname.includes('/../');
  }
  // Custom schemes have an opaque origin in WHATWG URL ("null"), so compare scheme + host + port.
  return url.host === app.host && url.username === '' && url.password === '';
}

/**
 * The sender check: the frame must be the main frame of our window's webContents and show our page.
 * `mainFrame` is read at call time (the window may be recreated).
 */
export function trustedSenderCheck(options: { appUrl: string; mainFrame: () => WebFrameMain | null }) {
  return (frame: WebFrameMain | null): boolean => {
    if (!frame) return false;
    const main = options.mainFrame();
    if (!main) return false;
    try {
      return isSameFrame(frame, main) && isAppUrl(frame.url, options.appUrl);
    } catch {
      return false; // frame destroyed while we looked
    }
  };
}

/** Identity, or (should Electron ever hand out a second wrapper) the same top-level frame by its ids. */
function isSameFrame(frame: WebFrameMain, main: WebFrameMain): boolean {
  if (frame === main) return true;
  const ids = (f: WebFrameMain) => [f.processId, f.routingId];
  const [p1, r1] = ids(frame);
  const [p2, r2] = ids(main);
  return typeof p1 === 'number' && typeof r1 === 'number' && p1 === p2 && r1 === r2 && frame.parent === null;
}
