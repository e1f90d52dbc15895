// A profile whose server redirects http → https: the client switches once and the core writes the
// https address into the active profile, so the next start goes straight to https.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type SecretStore } from '../../../main/core';
import { LOOPBACK_CERT, startLocalServer } from '../../../main/local-server';
import { tempDir, waitFor } from '../support';

describe('a server that moves the client to https', () => {
  const t = tempDir('ljd-https-');
  const closers: (() => unknown)[] = [];
  const defaultCAs = getCACertificates('default');
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    setDefaultCACertificates(defaultCAs);
    t.cleanup();
  });

  it('persists the https address into the active profile', async () => {
    setDefaultCACertificates([...defaultCAs, LOOPBACK_CERT]); // trust the local server's loopback certificate
    const server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), quirks: { httpsRedirect: true } });
    closers.push(() => server.close());
    const settingsFile = join(t.dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        profiles: [{ id: 'work', name: 'Work', serverAddress: server.url, source: 'user' }],
        activeProfileId: 'work',
      }),
    );
    const tokens = new Map([['work', server.adminToken]]);
    const secrets: SecretStore = {
      protection: 'file',
      get: (id) => tokens.get(id) ?? null,
      set: (id, v) => void tokens.set(id, v),
      delete: (id) => void tokens.delete(id),
    };
    const profileAddress = () =>
      (JSON.parse(readFileSync(settingsFile, 'utf8')) as { profiles: { serverAddress: string }[] }).profiles[0]!.serverAddress;

    const core = createCore({ dataDir: t.dir, homeDir: t.dir, secrets: () => secrets, syncIntervalSec: 3600 });
    await core.start();
    await waitFor('first sync', async () => (await core.handlers['sync.state']({})).lastSyncAt);
    expect(server.httpsUrl).toMatch(/^https:/);
    expect(profileAddress()).toBe(server.httpsUrl);
    expect((await core.handlers['app.info']({})).serverAddress).toBe(server.httpsUrl);
    expect((await core.handlers['catalog.teams']({})).map((x) => x.id)).toEqual([8]);
    await core.close();

    // the next start goes to https from its first request
    const again = createCore({ dataDir: t.dir, homeDir: t.dir, secrets: () => secrets, syncIntervalSec: 3600 });
    closers.push(() => again.close());
    await again.start();
    expect((await again.handlers['app.info']({})).serverAddress).toBe(server.httpsUrl);
    await waitFor('second sync', async () => (await again.handlers['sync.state']({})).lastSyncAt);
    expect((await again.handlers['sync.state']({})).lastError).toBeNull();
  }, 30_000);
});
