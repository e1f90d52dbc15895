// A job created offline on an image range or a subset shows, until the server answers, the number of images it
// will have (not the whole dataset's), and the server's answer agrees.
import { describe, expect, it } from 'vitest';
import { addMembers, adminApi, coreOnServer, DATASET, TEAM, waitFor } from '../support';

describe('a job created offline on part of a dataset', () => {
  const env = coreOnServer('ljd-offline-count-', { runIn: 'thread' });

  it('shows the count of the images it will have, before and after the server answers', async () => {
    const h = env.core.handlers;
    const admin = adminApi(env.server.url, env.server.adminToken);
    const u = await addMembers(admin, ['count_labeler']);
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
    await h['sync.now']({}); // the new member is known to the cache
    await waitFor('member synced', async () => ((await h['sync.state']({})).syncing ? null : true));
    const images = (await admin.images.list(DATASET)).map((i) => i.id).sort((a, b) => a - b);
    expect(images.length).toBe(6);

    await env.server.close();
    const create = async (name: string, part: { imageIds?: number[]; imagesRange?: [number, number] }) =>
      (
        await h['jobs.create']({
          name,
          datasetId: DATASET,
          userIds: [u.count_labeler!],
          classesToLabel: ['lemon'],
          tagsToLabel: [],
          includeImagesWithTags: [],
          excludeImagesWithTags: [],
          ...part,
        })
      ).jobIds[0]!;
    const expected: Record<string, number> = {
      whole: 6,
      range: 3, // images 2 … 4
      'range past the end': 2, // images 5 … 6 of 6
      subset: 2,
      'range of a subset': 2, // images 2 … 3 of the subset's 4
    };
    await create('whole', {});
    await create('range', { imagesRange: [2, 4] });
    await create('range past the end', { imagesRange: [5, 100] });
    await create('subset', { imageIds: [images[0]!, images[5]!] });
    await create('range of a subset', { imageIds: images.slice(0, 4), imagesRange: [2, 3] });

    const counts = async () =>
      Object.fromEntries(
        (await h['jobs.query']({ filter: { teamId: TEAM }, sort: { column: 'name', direction: 'asc' }, offset: 0, limit: 100 })).rows.map(
          (r) => [r.name, { count: r.imagesCount, local: r.local }],
        ),
      );
    const queued = await counts();
    for (const [name, n] of Object.entries(expected)) expect(queued[name], name).toEqual({ count: n, local: true });

    await env.restartServer();
    await h['sync.now']({});
    await waitFor('queue drained', async () => {
      const s = await h['sync.state']({});
      return s.online && s.outboxPending === 0;
    });
    const answered = await counts();
    for (const [name, n] of Object.entries(expected)) expect(answered[name], name).toEqual({ count: n, local: false });
  }, 60_000);
});
