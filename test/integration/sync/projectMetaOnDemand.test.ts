// A project's meta read on demand (the user opens the project) is stored with the project's version, as sync
// stores it, so the next sync does not read it again; when the project changes on the server, it does.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../main/cache';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { pullAll } from '../../../main/sync/pull';
import { ensureProjectMeta } from '../../../main/sync/pull/onDemand';
import { tempDir } from '../support';

describe('project meta read on demand', () => {
  const t = tempDir('ljd-meta-on-demand-');
  let server: RunningLocalServer;
  let cache: Cache;
  let api: SuperviselyApi;
  const calls: string[] = [];
  const metaCalls = () => calls.filter((c) => c === 'projects.meta').length;

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'demo' });
    api = createSuperviselyApi({ serverAddress: server.url, apiToken: server.adminToken, onAttempt: (e) => calls.push(e.endpoint) });
    await api.users.getMyInfo();
    cache = openCache(join(t.dir, 'cache.sqlite'));
  });
  afterAll(async () => {
    cache.close();
    await server.close();
    t.cleanup();
  });

  it('is not read again by the next sync, and is read once the project changed', async () => {
    await pullAll(cache, api, { full: true });
    const projects = cache.db.prepare('SELECT id FROM projects ORDER BY id').pluck().all() as number[];
    const opened = projects.find((id) => cache.catalog.projectMeta(id) === null);
    expect(opened, 'a project whose meta sync did not read').toBeDefined();

    calls.length = 0;
    await ensureProjectMeta(cache, api, opened!, { online: true });
    expect(metaCalls()).toBe(1);
    expect(cache.catalog.projectMeta(opened!)).not.toBeNull();

    // the next syncs, incremental and full, ask for no meta: the version read on demand is current
    calls.length = 0;
    await pullAll(cache, api);
    await pullAll(cache, api, { full: true });
    expect(metaCalls()).toBe(0);

    // the project's classes change on the server (its updatedAt moves): the next sync reads its meta once
    const meta = await api.projects.getMeta(opened!);
    const added = { id: null, title: 'added_later', shape: 'rectangle', color: '#00FF00', description: '', hotkey: '', geometryConfig: {} };
    await api.projects.updateMeta(opened!, { ...meta, classes: [...meta.classes, added] });
    calls.length = 0;
    await pullAll(cache, api);
    expect(metaCalls()).toBe(1);
    expect(cache.catalog.projectMeta(opened!)?.classes.map((c) => c.title)).toContain('added_later');
  });
});
