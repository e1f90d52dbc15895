// Through the core on a profile override: a watched job that a pull finds in the watched status
// raises one notify event; job details fetch the job's images once when online and come from the
// cache (with history) when the server is gone; a dataset's images are read when first asked for and
// answer from the cache offline; thumbnails not cached yet are null offline.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '#shared/contract';
import { addMembers, adminApi, coreOnServer, DATASET, waitFor } from '../support';

describe('watches and job details', () => {
  const env = coreOnServer('ljd-watch-', { start: false });

  it('notifies once when a pulled job reaches the watched status; details work offline', async () => {
    const { core, server } = env;
    const admin = adminApi(server.url, server.adminToken);
    const u = await addMembers(admin, ['labeler_1']);
    const [job] = await admin.jobs.create({ name: 'watched', datasetId: DATASET, userIds: [u.labeler_1!] });
    const notes: EventOf<'notify'>[] = [];
    core.on('notify', (n) => notes.push(n));
    await core.start();
    const h = core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);

    expect(await h['catalog.images']({ datasetId: DATASET })).toHaveLength(6);
    const details = await h['jobs.get']({ id: job!.id });
    expect(details!.entities).toHaveLength(6);
    expect(details!.entities!.every((e) => e.reviewStatus === 'none')).toBe(true);

    await h['jobs.watch']({ jobId: job!.id, status: 'completed' });
    await admin.jobs.setStatus(job!.id, 'in_progress');
    const syncOnce = async () => {
      const before = (await h['sync.state']({})).lastSyncAt;
      await new Promise((r) => setTimeout(r, 5));
      await h['sync.now']({});
      await waitFor('sync', async () => {
        const s = await h['sync.state']({});
        return !s.syncing && s.lastSyncAt !== before;
      });
    };
    await syncOnce();
    expect(notes).toEqual([]);
    await admin.jobs.setStatus(job!.id, 'completed');
    await syncOnce();
    expect(notes).toEqual([{ title: 'Job reached completed', body: '"watched" is now completed.', jobId: job!.id }]);
    expect(await h['jobs.watches']({})).toEqual([]);
    await syncOnce();
    expect(notes).toHaveLength(1);

    await server.close();
    await h['sync.now']({});
    await waitFor('offline', async () => !(await h['sync.state']({})).online);
    const offline = await h['jobs.get']({ id: job!.id });
    expect(offline!.entities).toHaveLength(6);
    expect(offline!.history.map((p) => `${p.status}/${p.source}`)).toEqual(
      expect.arrayContaining([
        'pending/server_timestamp',
        'in_progress/sync_observed',
        'completed/sync_observed',
        'completed/server_timestamp',
      ]),
    );
    expect(await h['jobs.stats']({ id: job!.id })).toBeNull();
    const images = await h['catalog.images']({ datasetId: DATASET });
    expect(images).toHaveLength(6);
    expect(await h['catalog.thumbnail']({ imageId: images[0]!.id })).toEqual({ dataUrl: null });
  }, 30_000);
});
