// The Electron IPC transport (registerIpc) over the real core, whose profile points at a real local
// server: every channel answers through the handler Electron would call, with the sender check on;
// a foreign frame and bad payloads never reach the core; core events are forwarded to the window.
// ipcMain and the frames are stand-ins (no Electron binary here); the core, cache and server are real.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebFrameMain } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, EnvelopeSchema, type ChannelName, type Envelope } from '#shared/contract';
import { coreOnServer } from '../support';
import { registerIpc, trustedSenderCheck, type IpcMainLike } from '../../../main/electron/ipc';
import { IPC_EVENT_PREFIX, IPC_INVOKE_PREFIX } from '#shared/bridge-types';
import { countedHandlers, discoverWorld, EXPECTED_REFUSALS, samplesFor } from './samples';

type Handler = (event: { senderFrame: WebFrameMain | null }, payload: unknown) => Promise<Envelope>;

describe('IPC transport on the real core', () => {
  const env = coreOnServer('ljd-ipc-', { jobs: 6, transport: 'electron' });
  const handlers = new Map<string, Handler>();
  const sent: Array<[string, unknown]> = [];
  const coreCalls: string[] = [];
  const appFrame = { url: 'app://ljd/index.html#/jobs', processId: 3, routingId: 1, parent: null } as unknown as WebFrameMain;
  let unregister: () => void;

  const invoke = (channel: string, payload: unknown, senderFrame: WebFrameMain | null = appFrame) => {
    const handler = handlers.get(IPC_INVOKE_PREFIX + channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame }, payload);
  };
  const value = async <T>(channel: ChannelName, payload: unknown): Promise<T> => {
    const envelope = await invoke(channel, payload);
    if (!envelope.ok) throw new Error(`${channel}: ${JSON.stringify(envelope.error)}`);
    return envelope.value as T;
  };

  beforeAll(async () => {
    const { core, server } = env;
    writeFileSync(join(env.dir, 'supervisely.env'), `SERVER_ADDRESS=${server.url}\nAPI_TOKEN=${server.adminToken}\n`);
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => void handlers.set(channel, listener as unknown as Handler),
      removeHandler: (channel) => void handlers.delete(channel),
    };
    unregister = registerIpc({
      core: { handlers: countedHandlers(core, coreCalls), on: core.on },
      ipcMain,
      isTrustedSender: trustedSenderCheck({ appUrl: 'app://ljd/index.html', mainFrame: () => appFrame }),
      eventTarget: () => ({ send: (channel, payload) => void sent.push([channel, payload]), isDestroyed: () => false }),
    });
  });
  // runs before the fixture's afterAll (hooks unwind in reverse), so the handlers go before the core
  afterAll(() => unregister());

  it('registers exactly one handler per contract channel', () => {
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(channels)
        .map((c) => IPC_INVOKE_PREFIX + c)
        .sort(),
    );
  });

  it('round-trips every channel of the contract to the core and back', async () => {
    const world = await discoverWorld(value);
    const samples = samplesFor(world);
    expect(Object.keys(samples).sort()).toEqual(Object.keys(channels).sort());
    coreCalls.length = 0;
    for (const name of Object.keys(samples) as ChannelName[]) {
      const envelope = EnvelopeSchema.parse(await invoke(name, samples[name]));
      if (envelope.ok) {
        expect(EXPECTED_REFUSALS[name], `${name} answered ok where a refusal was expected`).toBeUndefined();
        expect(channels[name].response.safeParse(envelope.value).success, name).toBe(true);
      } else {
        expect({ name, kind: envelope.error.kind }, envelope.error.message).toEqual({ name, kind: EXPECTED_REFUSALS[name] });
      }
    }
    expect(new Set(coreCalls)).toEqual(new Set(Object.keys(channels)));
    expect(await value('app.info', {})).toMatchObject({ transport: 'electron', demo: false, serverAddress: env.server.url });
  });

  it('refuses a subframe, another page and a missing frame, and bad payloads, before the core', async () => {
    const before = coreCalls.length;
    const subframe = { url: 'app://ljd/index.html', processId: 3, routingId: 7, parent: appFrame } as unknown as WebFrameMain;
    const foreignPage = { url: 'https://evil.example/', processId: 3, routingId: 1, parent: null } as unknown as WebFrameMain;
    for (const frame of [subframe, foreignPage, null]) {
      expect(await invoke('jobs.remove', { ids: [1] }, frame)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(await invoke('jobs.remove', { ids: 'all' })).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    expect(await invoke('jobs.create', { name: 'x', datasetId: -1, userIds: [] })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_request' },
    });
    expect(coreCalls.length).toBe(before);
  });

  it("forwards the core's events to the window", async () => {
    sent.length = 0;
    await value('sync.now', {});
    for (let i = 0; i < 100 && !sent.some(([c]) => c === `${IPC_EVENT_PREFIX}sync.state`); i++) await new Promise((r) => setTimeout(r, 20));
    const states = sent.filter(([c]) => c === `${IPC_EVENT_PREFIX}sync.state`);
    expect(states.length).toBeGreaterThan(0);
    expect(channels['sync.state'].response.safeParse(states.at(-1)![1]).success).toBe(true);
  });
});
