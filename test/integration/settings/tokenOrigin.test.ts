// A stored token goes only to the origin it was saved for: a listener on another port, which page
// code names as the server, must never receive it — not from a connection test, not after the
// profile's address is changed (the reconnect of the active profile would send it at once).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import type { RunningLocalServer } from '../../../main/local-server';
import { startServer, tempDir, waitFor } from '../support';

describe('stored tokens stay with their origin', () => {
  const t = tempDir('ljd-token-origin-');
  let core: Core;
  let server: RunningLocalServer;
  let listener: Server;
  let listenerUrl = '';
  const heard: (string | undefined)[] = [];

  beforeAll(async () => {
    server = await startServer(t.dir);
    listener = createServer((req, res) => {
      heard.push(String(req.headers['x-api-key'] ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"6.0.0"}');
    });
    await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    core = createCore({ dataDir: join(t.dir, 'data'), homeDir: t.dir, syncIntervalSec: 3600 });
    await core.start();
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await server?.close();
    await new Promise((done) => listener?.close(done));
    t.cleanup();
  });

  const tokensHeard = () => heard.filter((key) => key === server.adminToken);

  it('testConnection of a profile against another address does not send its token', async () => {
    const saved = await core.handlers['settings.saveProfile']({ name: 'Real', serverAddress: server.url, apiToken: server.adminToken });
    const id = saved.profiles[0]!.id;
    const answer = await core.handlers['settings.testConnection']({ profileId: id, serverAddress: listenerUrl });
    expect(answer.ok).toBe(false);
    expect(answer.message).toContain(new URL(listenerUrl).host);
    expect(answer.message).toMatch(/token/i);
    expect(tokensHeard()).toEqual([]);
    // its own origin, written differently, still uses it
    expect((await core.handlers['settings.testConnection']({ profileId: id, serverAddress: `${server.url}/` })).ok).toBe(true);
  });

  it('moving a profile to another origin drops its token, even for the active profile', async () => {
    const id = (await core.handlers['settings.get']({})).profiles[0]!.id;
    await core.handlers['settings.activateProfile']({ id });
    await waitFor('profile sync', async () => (await core.handlers['sync.state']({})).lastSyncAt);
    const moved = await core.handlers['settings.saveProfile']({ id, name: 'Real', serverAddress: listenerUrl });
    expect(moved.profiles.find((p) => p.id === id)).toMatchObject({ serverAddress: listenerUrl, hasToken: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(tokensHeard()).toEqual([]);
    // renaming on the same origin keeps it
    const back = await core.handlers['settings.saveProfile']({ id, name: 'Real', serverAddress: server.url, apiToken: server.adminToken });
    const renamed = await core.handlers['settings.saveProfile']({ id, name: 'Renamed', serverAddress: `${server.url}/` });
    expect(back.profiles.find((p) => p.id === id)?.hasToken).toBe(true);
    expect(renamed.profiles.find((p) => p.id === id)).toMatchObject({ name: 'Renamed', hasToken: true });
  }, 30_000);

  it('importing ~/supervisely.env twice, or for a profile that already exists, adds no duplicate', async () => {
    writeFileSync(join(t.dir, 'supervisely.env'), `SERVER_ADDRESS=${server.url}/\nAPI_TOKEN=${server.adminToken}\n`);
    const before = (await core.handlers['settings.get']({})).profiles.length;
    await core.handlers['settings.importEnv']({});
    const after = await core.handlers['settings.importEnv']({});
    expect(after.profiles).toHaveLength(before);
  });
});
