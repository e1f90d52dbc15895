// Nested datasets (issue #9): on the team world, where about one dataset in ten lives inside another, a pull
// caches every dataset the server has, each with its parent and its own image count, and a job on a nested
// dataset shows that dataset (the core in its worker, over real HTTP; the truth read from the server's file).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import { startCoreWorker } from '../../../main/worker/host';
import { tempDir, waitFor } from '../support';

interface DatasetFact {
  id: number;
  projectId: number;
  parentId: number | null;
  name: string;
  imagesCount: number;
}

/** what a SQLite file holds, read with its own connection (readonly: the owner keeps writing) */
function readFile<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('nested datasets', () => {
  const t = tempDir('ljd-nested-');
  let server: RunningLocalServer;
  let core: Core;
  let serverDatasets: DatasetFact[];
  const cacheFile = () =>
    join(
      t.dir,
      'data',
      readdirSync(join(t.dir, 'data')).find((f) => /^cache-.*\.sqlite$/.test(f))!,
    );

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'team', jobs: 1_000 });
    serverDatasets = readFile<DatasetFact>(
      server.dataFile,
      `SELECT d.id, d.project_id AS projectId, d.parent_id AS parentId, d.name,
        (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id) + d.synth_count AS imagesCount FROM datasets d ORDER BY d.id`,
    );
    core = startCoreWorker({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: server.url, apiToken: server.adminToken },
    });
    await core.start();
    await waitFor(
      'the first pull',
      async () => {
        const s = await core.handlers['sync.state']({});
        return !s.syncing && s.lastSyncAt ? s : null;
      },
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
    t.cleanup();
  });

  it('the world has nested datasets, some two levels deep', () => {
    const nested = serverDatasets.filter((d) => d.parentId !== null);
    expect(nested.length).toBeGreaterThan(serverDatasets.length * 0.04);
    const byId = new Map(serverDatasets.map((d) => [d.id, d]));
    expect(nested.some((d) => byId.get(d.parentId!)!.parentId !== null)).toBe(true);
  });

  it('caches every dataset the server has, with its parent and its own image count', async () => {
    const cached = readFile<DatasetFact>(
      cacheFile(),
      `SELECT id, project_id AS projectId, json_extract(info, '$.parentId') AS parentId, name, images_count AS imagesCount
        FROM datasets ORDER BY id`,
    );
    expect(cached).toEqual(serverDatasets);
    expect((await core.handlers['sync.state']({})).staleLists).toEqual([]);
    // the catalog a view reads lists a project's nested datasets beside the top-level ones
    const project = serverDatasets.find((d) => d.parentId !== null)!.projectId;
    const listed = await core.handlers['catalog.datasets']({ projectId: project });
    expect(listed.map((d) => d.id).sort((a, b) => a - b)).toEqual(serverDatasets.filter((d) => d.projectId === project).map((d) => d.id));
  });

  it('a job on a nested dataset shows its dataset, and the dataset is known to the catalog', async () => {
    const nested = new Map(serverDatasets.filter((d) => d.parentId !== null).map((d) => [d.id, d]));
    // one the server sends with its dataset (not archived, not a multi-dataset job)
    const [job] = readFile<{ id: number; datasetId: number }>(
      server.dataFile,
      `SELECT id, dataset_id AS datasetId FROM jobs WHERE dataset_id IN (${[...nested.keys()].join(',')})
        AND disabled = 0 AND (wire_overlay IS NULL OR instr(wire_overlay, 'datasetId') = 0) ORDER BY id LIMIT 1`,
    );
    expect(job).toBeDefined();
    const dataset = nested.get(job!.datasetId)!;
    const details = await core.handlers['jobs.get']({ id: job!.id });
    expect(details?.job).toMatchObject({ datasetId: dataset.id, datasetName: dataset.name, projectId: dataset.projectId });
    const inProject = await core.handlers['catalog.datasets']({ projectId: dataset.projectId });
    expect(inProject).toContainEqual(expect.objectContaining({ id: dataset.id, name: dataset.name, imagesCount: dataset.imagesCount }));
  });
});
