// Jobs over several datasets (issue 9), pulled from the local server's team world over real HTTP into a
// real cache file: the wire's null datasetId is stored as null (no bogus dataset 0), reaches the grid row
// as null, stays out of every dataset filter, and a repeat pull finds these rows unchanged.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../main/cache';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import type { JobWire } from '../../../main/supervisely/types';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { enqueueRestart } from '../../../main/sync/enqueue';
import { pullAll } from '../../../main/sync/pull';
import { tempDir } from '../support';

const TEAMS = [8, 9, 10, 11, 12];

describe('multi-dataset jobs from the team world', () => {
  const t = tempDir('ljd-multids-');
  let server: RunningLocalServer;
  let cache: Cache;
  let serverJobs: JobWire[];

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataFile: join(t.dir, 'server.sqlite'), world: 'team', jobs: 1_500 });
    const api = createSuperviselyApi({ serverAddress: server.url, apiToken: server.adminToken });
    serverJobs = [];
    for (const teamId of TEAMS) serverJobs.push(...(await api.jobs.list({ teamId, showDisabled: true })));
    cache = openCache(join(t.dir, 'cache.sqlite'));
    await pullAll(cache, api, { full: true });
  }, 120_000);
  afterAll(async () => {
    cache?.close();
    await server?.close();
    t.cleanup();
  });

  it('stores the null dataset as null and shows it as such in the grid row', () => {
    const multi = serverJobs.filter((j) => j.datasetId === null);
    expect(multi.length).toBeGreaterThan(5); // the world makes ~3% of its jobs over two datasets
    for (const j of multi) {
      expect(cache.jobs.get(j.id)).toMatchObject({ dataset_id: null, project_id: j.projectId });
      expect(cache.jobs.row(j.id)).toMatchObject({ datasetId: null, datasetName: '' });
    }
    const single = serverJobs.find((j) => j.datasetId !== null)!;
    expect(cache.jobs.row(single.id)).toMatchObject({ datasetId: single.datasetId, datasetName: single.datasetName });
    expect(cache.db.prepare('SELECT count(*) FROM jobs WHERE dataset_id = 0').pluck().get()).toBe(0);
  });

  it('keeps them out of dataset filters but in their project', () => {
    const job = serverJobs.find((j) => j.datasetId === null)!;
    const datasetsOfProject = [
      ...new Set(serverJobs.filter((j) => j.projectId === job.projectId && j.datasetId !== null).map((j) => j.datasetId!)),
    ];
    expect(Array.from(cache.jobs.sortedIds({ datasetId: [0, ...datasetsOfProject], showArchived: true }))).not.toContain(job.id);
    expect(Array.from(cache.jobs.sortedIds({ projectId: [job.projectId], showArchived: true }))).toContain(job.id);
  });

  it('a restart of one is refused with its reason, and nothing is queued', () => {
    const job = serverJobs.find((j) => j.datasetId === null)!;
    const req = { jobId: job.id, userId: job.assignedToId, reviewerId: job.reviewerId, name: `${job.name} again` };
    expect(() => enqueueRestart(cache, req, new Date())).toThrow(/several datasets; a restart needs one/);
    expect(cache.outbox.unfinished()).toEqual([]);
  });

  it('a repeat pull writes none of them again', async () => {
    const api = createSuperviselyApi({ serverAddress: server.url, apiToken: server.adminToken });
    const again = await pullAll(cache, api, { full: true });
    expect(again.jobsWritten).toBe(0);
  });
});
