// The job page has one source of truth per figure: after the server moved a job's images along,
// the images the core returns agree with the job's counts (the cached list is refreshed, not kept).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { startCoreWorker } from '../../../main/worker/host';
import type { RunningEmulator } from '../../../main/emulator';
import { adminApi, DATASET, startServer, tempDir, waitFor } from '../sync/helpers';

describe('jobs.get after the server changed review statuses', () => {
  const t = tempDir('ljd-jobdetails-');
  let core: Core;
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await startServer(t.dir);
    core = startCoreWorker({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: server.url, apiToken: server.adminToken },
    });
    await core.start();
  });
  afterAll(async () => {
    await core.close();
    await server.close();
    t.cleanup();
  });

  it('returns images whose review statuses match the counts', async () => {
    const admin = adminApi(server.url, server.adminToken);
    const [created] = await admin.jobs.create({ name: 'review-me', datasetId: DATASET, userIds: [7] });
    const id = created!.id;
    await core.handlers['sync.now']({});
    const first = await waitFor('job in cache', async () => core.handlers['jobs.get']({ id }));
    expect(first.entities?.every((e) => e.reviewStatus === 'none')).toBe(true);

    for (const entity of first.entities!.slice(0, 2)) {
      const response = await fetch(`${server.url}/public/api/v3/jobs.entities.update-review-status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': server.adminToken },
        body: JSON.stringify({ jobId: id, entityId: entity.id, status: 'accepted' }),
      });
      expect(response.status).toBe(200);
    }
    await core.handlers['sync.now']({});
    await waitFor('counts synced', async () => ((await core.handlers['jobs.get']({ id }))!.job.acceptedImagesCount === 2 ? true : null));

    const after = (await core.handlers['jobs.get']({ id }))!;
    expect(after.entities!.filter((e) => e.reviewStatus === 'accepted')).toHaveLength(after.job.acceptedImagesCount);
  });
});
