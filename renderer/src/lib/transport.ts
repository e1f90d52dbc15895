// The renderer's only way to the app: one async function per contract channel and an event
// subscription, carried by the Electron preload (`window.ljd`) when present, else by the loopback
// web bridge. Browser mode's session is an HttpOnly cookie the bridge set when the printed one-time
// link was opened: this page never sees a secret (the bridge also checks Host and Origin). Events come
// as Server-Sent Events read through fetch.

import {
  AppError,
  channels,
  type AppApi,
  type AppErrorKind,
  type ChannelName,
  type Envelope,
  type EventName,
  type EventOf,
} from '#shared/contract';
import type { LjdBridge } from '#shared/bridge-types';

const electronBridge = (globalThis as { ljd?: LjdBridge }).ljd;

export function connectionOf(): 'electron' | 'web' {
  return electronBridge ? 'electron' : 'web';
}

function unwrap(envelope: Envelope): unknown {
  if (envelope.ok) return envelope.value;
  throw new AppError(envelope.error.kind as AppErrorKind, envelope.error.message);
}

async function invokeWeb(channel: string, payload: unknown): Promise<Envelope> {
  let response: Response;
  try {
    response = await fetch(`./api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload ?? {}),
    });
  } catch {
    throw new AppError('internal', 'The app’s local service is not answering. Is the app still running? Restart it and reload this page.');
  }
  if (response.status === 401) {
    const message = 'This page has no valid session. Open the link the app printed when it started (each link works once).';
    throw new AppError('forbidden', message);
  }
  try {
    return (await response.json()) as Envelope;
  } catch {
    throw new AppError('internal', `The app’s local service answered ${response.status} without a readable body.`);
  }
}

async function invokeElectron(bridge: LjdBridge, channel: string, payload: unknown): Promise<Envelope> {
  try {
    return await bridge.invoke(channel, payload);
  } catch {
    // main answers Envelopes only; a rejection means it had no handler or went away
    throw new AppError('internal', 'The app’s main process did not answer. Try again; if it keeps happening, restart the app.');
  }
}

export const api = Object.fromEntries(
  (Object.keys(channels) as ChannelName[]).map((name) => [
    name,
    async (request: unknown) => unwrap(await (electronBridge ? invokeElectron(electronBridge, name, request) : invokeWeb(name, request))),
  ]),
) as unknown as AppApi;

// ── Events ──────────────────────────────────────────────────────────────────────────────────────

const listeners = new Map<string, Set<(payload: unknown) => void>>();

function dispatch(event: string, payload: unknown): void {
  for (const listener of listeners.get(event) ?? []) listener(payload);
}

let webStreamStarted = false;

/** Reads the bridge's event stream for the life of the page, reconnecting with backoff. */
async function runWebEventStream(): Promise<void> {
  let delayMs = 500;
  for (;;) {
    try {
      const response = await fetch('./api/events', { headers: { accept: 'text/event-stream' } });
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      delayMs = 500;
      // Whatever changed before this stream was listening (the first pull racing the page's first
      // query, or an outage of the stream) was not heard: have every view read again.
      dispatch('jobs.changed', { ids: [], all: true });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) dispatch(event, JSON.parse(data));
        }
      }
    } catch {
      // the stream broke (app restarting, laptop asleep): try again below
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 10_000);
  }
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  const untyped = listener as (payload: unknown) => void;
  if (electronBridge) return electronBridge.on(event, untyped);
  if (!webStreamStarted) {
    webStreamStarted = true;
    void runWebEventStream();
  }
  const set = listeners.get(event) ?? new Set();
  listeners.set(event, set);
  set.add(untyped);
  return () => set.delete(untyped);
}
