// Creating work for a team through the core, against the real local server: a split create gives each
// annotator its own images, offline too and exactly once; the SDK's options reach jobs.add; each
// annotator's load and the saved templates come from the cache file.
import { describe, expect, it } from 'vitest';
import { addMembers, adminApi, coreOnServer, DATASET, TEAM, waitFor } from '../support';

const IMAGES = [3882697, 3882698, 3882699, 3882700, 3882701, 3882702];
const base = { datasetId: DATASET, classesToLabel: ['lemon'], tagsToLabel: [], includeImagesWithTags: [], excludeImagesWithTags: [] };

interface RawJob {
  meta: Record<string, unknown>;
  entities: { id: number }[];
  reviewerId: number;
}
async function serverJob(url: string, token: string, id: number): Promise<RawJob> {
  const res = await fetch(`${url}/public/api/v3/jobs.info`, {
    method: 'POST',
    headers: { 'x-api-key': token, 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  return (await res.json()) as never;
}

describe('creating work for a team', () => {
  // started by the test once the team has its members
  const env = coreOnServer('ljd-creatework-', { start: false, runIn: 'thread' });

  it('split creates online and offline, options on the wire, load and templates from the cache', async () => {
    const { url, adminToken } = env.server;
    const admin = adminApi(url, adminToken);
    const u = await addMembers(admin, ['split_a', 'split_b']);
    await env.core.start();
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);

    // online: 4 images to split_a, 2 to split_b, with options
    const online = await h['jobs.create']({
      ...base,
      name: 'split online',
      userIds: [u.split_a!, u.split_b!],
      assignments: [
        { userId: u.split_a!, imageIds: IMAGES.slice(0, 4) },
        { userId: u.split_b!, imageIds: IMAGES.slice(4) },
      ],
      dynamicClasses: true,
      disableSubmit: true,
      enableQualityCheck: true,
      readOnlyTags: ['size'],
      guideId: 5,
      toolboxSettings: { playbackRate: 2 },
    });
    await waitFor('online split sent', async () => (await h['sync.state']({})).outboxPending === 0);
    const made = (await admin.jobs.list({ teamId: TEAM })).filter((j) => j.name === 'split online');
    expect(made.map((j) => j.assignedToId).sort()).toEqual([u.split_a!, u.split_b!].sort());
    for (const job of made) {
      const raw = await serverJob(url, adminToken, job.id);
      expect(raw.entities.map((e) => e.id).sort()).toEqual(job.assignedToId === u.split_a ? IMAGES.slice(0, 4) : IMAGES.slice(4));
      expect(raw.meta).toMatchObject({
        dynamicClasses: true,
        disableSubmit: true,
        enableIntermediateReview: true,
        readOnlyTags: ['size'],
        guide: 5,
      });
      // an image project: toolbox settings are not sent, as the SDK does
      expect('toolboxSettings' in raw.meta).toBe(false);
      expect('disableConfirm' in raw.meta).toBe(false);
    }
    expect(online.jobIds).toHaveLength(2);

    // each annotator's load: open jobs and images still to do
    const load = await h['users.load']({ teamId: TEAM });
    expect(load.find((l) => l.userId === u.split_a)).toEqual({ userId: u.split_a, openJobs: 1, imagesToDo: 4 });
    expect(load.find((l) => l.userId === u.split_b)).toEqual({ userId: u.split_b, openJobs: 1, imagesToDo: 2 });

    // offline: queued with local rows that already show each share; sent exactly once when back
    await env.server.close();
    const offline = await h['jobs.create']({
      ...base,
      name: 'split offline',
      userIds: [u.split_a!, u.split_b!],
      assignments: [
        { userId: u.split_a!, imageIds: [IMAGES[0]!] },
        { userId: u.split_b!, imageIds: IMAGES.slice(1) },
      ],
    });
    const rows = await Promise.all(offline.jobIds.map(async (id) => (await h['jobs.get']({ id }))!.job));
    expect(rows.map((r) => [r.assignedToId, r.imagesCount])).toEqual([
      [u.split_a, 1],
      [u.split_b, 5],
    ]);
    // no reviewer chosen: the queued rows already show what the server will do (the creator reviews)
    expect(rows.map((r) => r.reviewerLogin)).toEqual(['my_username', 'my_username']);
    const loadOfB = (await h['users.load']({ teamId: TEAM })).find((l) => l.userId === u.split_b);
    expect(loadOfB).toEqual({ userId: u.split_b, openJobs: 2, imagesToDo: 7 });

    await env.restartServer();
    await h['sync.now']({});
    await waitFor('offline split sent', async () => (await h['sync.state']({})).outboxPending === 0, 60_000);
    const sent = (await admin.jobs.list({ teamId: TEAM })).filter((j) => j.name === 'split offline');
    expect(sent).toHaveLength(2);
    for (const job of sent) {
      const raw = await serverJob(url, adminToken, job.id);
      expect(raw.entities.map((e) => e.id).sort()).toEqual(job.assignedToId === u.split_a ? [IMAGES[0]] : IMAGES.slice(1));
    }

    // templates: kept in the cache file, replaced by name, survive a restart of the core
    const template = {
      name: 'lemons',
      classesToLabel: ['lemon'],
      tagsToLabel: ['size'],
      objectsLimitPerImage: 3,
      tagsLimitPerImage: null,
      readme: '# Lemons',
      description: 'ripe ones',
      reviewerId: u.split_b!,
      options: { disableConfirm: true },
    };
    expect(await h['templates.save'](template)).toEqual([template]);
    expect(await h['templates.save']({ ...template, objectsLimitPerImage: 4 })).toEqual([{ ...template, objectsLimitPerImage: 4 }]);
    const core = await env.restartCore();
    expect(await core.handlers['templates.list']({})).toEqual([{ ...template, objectsLimitPerImage: 4 }]);
    expect(await core.handlers['templates.delete']({ name: 'lemons' })).toEqual([]);
  });
});
