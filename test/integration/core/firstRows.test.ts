// The grid fills during the first sync: after the first page of jobs is written the core says
// jobs.changed (all) while the sync is still running, and the cache already answers with those rows.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import { tempDir, waitFor } from '../sync/helpers';

describe('first job rows', () => {
  const t = tempDir('ljd-firstrows-');
  let core: Core | null = null;
  let server: RunningLocalServer | null = null;
  afterAll(async () => {
    await core?.close();
    await server?.close();
    t.cleanup();
  });

  it('reach the grid before the first sync ends', async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'team', jobs: 1_500 });
    core = createCore({
      dataDir: t.dir,
      homeDir: t.dir,
      profileOverride: { serverAddress: server.url, apiToken: server.adminToken },
      syncIntervalSec: 3600,
    });
    const h = core.handlers;
    const seen: { syncing: boolean; rows: number }[] = [];
    core.on('jobs.changed', (e) => {
      if (!e.all) return;
      const firstPage = h['jobs.query']({ filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 10 });
      void Promise.all([h['sync.state']({}), firstPage]).then(([state, page]) =>
        seen.push({ syncing: state.syncing, rows: page.rows.length }),
      );
    });
    await core.start();
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt, 30_000);
    expect(seen.find((s) => s.syncing)).toMatchObject({ syncing: true, rows: 10 });
  }, 60_000);
});
