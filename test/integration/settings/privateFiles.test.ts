// The data folder is the user's alone: 0700 (a looser folder found on start is tightened), and every
// file the app writes in it 0600 — settings, secrets, the cache and its WAL/SHM, the local server's
// file (it holds its admin token) — also files an older version left readable by others.
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { tempDir, waitFor } from '../support';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('private data folder', () => {
  const t = tempDir('ljd-private-');
  let core: Core | null = null;
  afterAll(async () => {
    await core?.close();
    t.cleanup();
  });

  it('tightens the folder and keeps every file 0600', async () => {
    const data = join(t.dir, 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    for (const name of ['cache-demo.sqlite', 'demo-server.sqlite']) writeFileSync(join(data, name), '', { mode: 0o644 });
    writeFileSync(join(data, 'settings.json'), '{"profiles":[]}', { mode: 0o644 });
    chmodSync(join(data, 'settings.json'), 0o644);

    core = createCore({ dataDir: data, homeDir: t.dir, syncIntervalSec: 3600 });
    await core.start();
    await waitFor('demo sync', async () => (await core!.handlers['sync.state']({})).lastSyncAt);
    await core.handlers['settings.saveProfile']({ name: 'Elsewhere', serverAddress: 'http://127.0.0.1:9', apiToken: 'x'.repeat(128) });
    await core.handlers['settings.update']({ theme: 'dark' });

    expect(modeOf(data)).toBe(0o700);
    const files = readdirSync(data);
    for (const name of [
      'settings.json',
      'secrets.json',
      'cache-demo.sqlite',
      'cache-demo.sqlite-wal',
      'cache-demo.sqlite-shm',
      'demo-server.sqlite',
      'demo-server.sqlite-wal',
      'demo-server.sqlite-shm',
    ]) {
      expect(files, name).toContain(name);
    }
    for (const name of files) expect(modeOf(join(data, name)).toString(8), name).toBe('600');
  }, 60_000);
});
