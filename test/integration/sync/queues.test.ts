// Labeling queues through the core: each team's queues pulled into the cache (disabled ones too), the jobs'
// queue ids on the grid rows, the grid's queue filter (0 = from no queue), the queue on the job page, and a
// queue list that fails or arrives in an odd shape failing alone while the jobs still sync.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridRowOf } from '#shared/contract';
import type { Core } from '../../../main/core';
import type { RunningLocalServer } from '../../../main/local-server';
import { startCoreWorker } from '../../../main/worker/host';
import { adminApi, coreOnServer, DATASET, interceptingProxy, startServer, TEAM, tempDir, waitFor } from '../support';

/** Writes straight into the local server's file: the public API has no call that makes a queue. */
function serverDb(server: RunningLocalServer): Database.Database {
  const db = new Database(server.dataFile);
  db.pragma('busy_timeout = 5000');
  return db;
}

function addQueue(server: RunningLocalServer, name: string, jobIds: number[], disabled = false): number {
  const db = serverDb(server);
  try {
    const id = Number(
      db
        .prepare(
          `INSERT INTO labeling_queues (team_id, project_id, dataset_id, name, created_by, created_at, disabled)
           VALUES (?, 5555, ?, ?, 7, ?, ?)`,
        )
        .run(TEAM, DATASET, name, new Date().toISOString(), disabled ? 1 : 0).lastInsertRowid,
    );
    const put = db.prepare('UPDATE jobs SET labeling_queue_id = ?, updated_at = ? WHERE id = ?');
    for (const jobId of jobIds) put.run(id, new Date().toISOString(), jobId);
    return id;
  } finally {
    db.close();
  }
}

/** Starts a sync and waits until one that began after this call has finished. */
async function syncOnce(core: Core): Promise<void> {
  const before = (await core.handlers['sync.state']({})).lastSyncAt;
  await core.handlers['sync.now']({});
  await waitFor('a finished sync', async () => {
    const s = await core.handlers['sync.state']({});
    return !s.syncing && s.lastSyncAt !== null && s.lastSyncAt !== before;
  });
}

const queryIds = async (core: Core, filter: { queueId?: number[] }) =>
  (await core.handlers['jobs.query']({ filter, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 1000 })).rows.map((r) => r.id);

describe('labeling queues on the local server', () => {
  const env = coreOnServer('ljd-queues-');

  it('pulls each queue, shows it on rows and the job page, and filters the grid by it', async () => {
    const admin = adminApi(env.server.url, env.server.adminToken);
    const made = await admin.jobs.create({ name: 'queue-job', datasetId: DATASET, userIds: [7] });
    const [lone] = await admin.jobs.create({ name: 'lone-job', datasetId: DATASET, userIds: [7] });
    const [other] = await admin.jobs.create({ name: 'other-queue-job', datasetId: DATASET, userIds: [7] });
    const fromQueue = made.map((j) => j.id);
    const lemons = addQueue(env.server, 'Lemons queue', fromQueue);
    const oldQueue = addQueue(env.server, 'Old queue', [other!.id], true);
    await syncOnce(env.core);

    const queues = await env.core.handlers['queues.list']({ teamId: TEAM });
    expect(queues.map((q) => [q.name, q.archived])).toEqual([
      ['Lemons queue', false],
      ['Old queue', true],
    ]);
    expect(queues[0]).toMatchObject({ id: lemons, teamId: TEAM, projectId: 5555, datasetId: DATASET });
    expect(await env.core.handlers['queues.list']({ teamId: TEAM + 1000 })).toEqual([]);

    const rows = (await env.core.handlers['jobs.query']({ filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 1000 }))
      .rows;
    expect(rows.find((r) => r.id === fromQueue[0])?.labelingQueueId).toBe(lemons);
    expect(rows.find((r) => r.id === lone!.id)?.labelingQueueId).toBeNull();

    expect(await queryIds(env.core, { queueId: [lemons] })).toEqual(fromQueue);
    expect(await queryIds(env.core, { queueId: [lemons, oldQueue] })).toEqual([...fromQueue, other!.id].sort((a, b) => a - b));
    const notFromQueue = await queryIds(env.core, { queueId: [0] });
    expect(notFromQueue).toContain(lone!.id);
    expect(notFromQueue).not.toContain(fromQueue[0]);
    expect(notFromQueue).not.toContain(other!.id);
    expect(await queryIds(env.core, { queueId: [] })).toEqual([]);

    const details = await env.core.handlers['jobs.get']({ id: fromQueue[0]! });
    expect(details?.queue).toMatchObject({ id: lemons, name: 'Lemons queue' });
    expect((await env.core.handlers['jobs.get']({ id: lone!.id }))?.queue).toBeNull();

    // the server renames one queue and drops the other: the cache follows
    const db = serverDb(env.server);
    db.prepare('UPDATE labeling_queues SET name = ? WHERE id = ?').run('Lemons, round 2', lemons);
    db.prepare('DELETE FROM labeling_queues WHERE id = ?').run(oldQueue);
    db.close();
    await syncOnce(env.core);
    expect((await env.core.handlers['queues.list']({})).map((q) => q.name)).toEqual(['Lemons, round 2']);
    // a job pointing at a queue the cache does not know still shows its id, with no name
    const orphan = await env.core.handlers['jobs.get']({ id: other!.id });
    expect(orphan?.job.labelingQueueId).toBe(oldQueue);
    expect(orphan?.queue).toBeNull();
  });

  it('sorts the grid by queue name, and again after the server renames a queue', async () => {
    const admin = adminApi(env.server.url, env.server.adminToken);
    const [a] = await admin.jobs.create({ name: 'sortq-apple', datasetId: DATASET, userIds: [7] });
    const [b] = await admin.jobs.create({ name: 'sortq-banana', datasetId: DATASET, userIds: [7] });
    await admin.jobs.create({ name: 'sortq-none', datasetId: DATASET, userIds: [7] });
    const apples = addQueue(env.server, 'Apples queue', [a!.id]);
    const bananas = addQueue(env.server, 'Bananas queue', [b!.id]);
    await syncOnce(env.core);
    const byQueue = async (direction: 'asc' | 'desc') =>
      (
        await env.core.handlers['jobs.window']({
          filter: { text: 'sortq' },
          sort: { column: 'labelingQueueName', direction },
          offset: 0,
          limit: 100,
        })
      ).rows.map((row) => gridRowOf(row).name);
    // jobs from no queue first, then by the queues' names
    expect(await byQueue('asc')).toEqual(['sortq-none', 'sortq-apple', 'sortq-banana']);
    expect(await byQueue('desc')).toEqual(['sortq-banana', 'sortq-apple', 'sortq-none']);

    const db = serverDb(env.server);
    db.prepare('UPDATE labeling_queues SET name = ? WHERE id = ?').run('Cherries queue', apples);
    db.close();
    await syncOnce(env.core);
    expect(await byQueue('asc')).toEqual(['sortq-none', 'sortq-banana', 'sortq-apple']);
    // a queue the cache no longer knows sorts by the label the grid shows for it, 'Queue #id'
    const db2 = serverDb(env.server);
    db2.prepare('DELETE FROM labeling_queues WHERE id = ?').run(bananas);
    db2.close();
    await syncOnce(env.core);
    expect(await byQueue('asc')).toEqual(['sortq-none', 'sortq-apple', 'sortq-banana']);
  });
});

describe('a queue list that fails or comes in an odd shape', () => {
  const t = tempDir('ljd-queues-proxy-');
  let server: RunningLocalServer;
  let core: Core;
  let answer: 'real' | 'refuse' | 'odd' = 'real';
  let proxy: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await startServer(t.dir);
    proxy = await interceptingProxy(server.url, (method) => {
      if (method !== 'labeling-queues.list' || answer === 'real') return null;
      // a role that may not list queues (a 5xx would be the same, after the client's retries)
      if (answer === 'refuse') return { status: 403, json: { error: 'Only managers may list labeling queues' } };
      const entities = [
        // ids as strings, bare ids in the lists, most fields missing: read as the SDK reads them
        { id: '41', name: 'Sparse queue', labelers: [7, { id: 8 }], jobs: [{ id: null }] },
        // no id at all: skipped, the rest of the page survives
        { name: 'No id' },
        // a timestamp that is not one: that row is skipped too
        { id: 42, name: null, teamId: TEAM, projectId: '5555', datasetId: null, status: 'some_new_status', createdAt: 'not a date' },
        { id: 43, name: 'Collection queue', teamId: TEAM, projectId: 5555, datasetId: null, status: 'in_progress', disabled: false },
      ];
      return { status: 200, json: { total: entities.length, perPage: 500, pagesCount: 1, entities } };
    });
    core = startCoreWorker({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: proxy.url, apiToken: server.adminToken },
    });
    await core.start();
  });
  afterAll(async () => {
    await core?.close();
    await proxy?.close();
    await server?.close();
    t.cleanup();
  });

  it('keeps the cached queues and marks only that list stale when the server refuses it', async () => {
    const id = addQueue(server, 'Kept queue', []);
    await syncOnce(core);
    expect((await core.handlers['queues.list']({})).map((q) => q.id)).toEqual([id]);

    answer = 'refuse';
    const [fresh] = await adminApi(server.url, server.adminToken).jobs.create({
      name: 'made-while-queues-fail',
      datasetId: DATASET,
      userIds: [7],
    });
    await syncOnce(core);
    const state = await core.handlers['sync.state']({});
    expect(state.lastError).toBeNull();
    expect(state.staleLists.map((l) => [l.list, l.kind, l.teamId])).toEqual([[`queues:${TEAM}`, 'queues', TEAM]]);
    expect(state.staleLists[0]!.reason).toContain('Only managers may list labeling queues');
    expect((await core.handlers['queues.list']({})).map((q) => q.name)).toEqual(['Kept queue']);
    expect(await core.handlers['jobs.get']({ id: fresh!.id })).not.toBeNull();
  });

  it('reads odd rows leniently and skips only the row it cannot read', async () => {
    answer = 'odd';
    await syncOnce(core);
    const queues = await core.handlers['queues.list']({ teamId: TEAM });
    expect(queues.map((q) => q.id).sort()).toEqual([41, 43]);
    expect(queues.find((q) => q.id === 41)).toMatchObject({
      teamId: TEAM,
      name: 'Sparse queue',
      projectId: null,
      datasetId: null,
      status: null,
    });
    expect(queues.find((q) => q.id === 43)).toMatchObject({ name: 'Collection queue', datasetId: null, archived: false });
    expect((await core.handlers['sync.state']({})).staleLists).toEqual([]);
  });
});
