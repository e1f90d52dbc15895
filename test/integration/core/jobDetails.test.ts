// The job page has one source of truth per figure: after the server moved a job's images along,
// the images the core returns agree with the job's counts (the cached list is refreshed, not kept).
import { describe, expect, it } from 'vitest';
import { adminApi, DATASET, coreOnServer, waitFor } from '../support';

describe('jobs.get after the server changed review statuses', () => {
  const env = coreOnServer('ljd-jobdetails-');

  it('returns images whose review statuses match the counts', async () => {
    const admin = adminApi(env.server.url, env.server.adminToken);
    const [created] = await admin.jobs.create({ name: 'review-me', datasetId: DATASET, userIds: [7] });
    const id = created!.id;
    await env.core.handlers['sync.now']({});
    const first = await waitFor('job in cache', async () => env.core.handlers['jobs.get']({ id }));
    expect(first.entities?.every((e) => e.reviewStatus === 'none')).toBe(true);

    for (const entity of first.entities!.slice(0, 2)) {
      const response = await fetch(`${env.server.url}/public/api/v3/jobs.entities.update-review-status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': env.server.adminToken },
        body: JSON.stringify({ jobId: id, entityId: entity.id, status: 'accepted' }),
      });
      expect(response.status).toBe(200);
    }
    await env.core.handlers['sync.now']({});
    await waitFor('counts synced', async () =>
      (await env.core.handlers['jobs.get']({ id }))!.job.acceptedImagesCount === 2 ? true : null,
    );

    const after = (await env.core.handlers['jobs.get']({ id }))!;
    expect(after.entities!.filter((e) => e.reviewStatus === 'accepted')).toHaveLength(after.job.acceptedImagesCount);
  });
});
