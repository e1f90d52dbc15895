// Changing jobs over real HTTP: stop, set-status (timestamps), archive, bulk remove (permissions,
// idempotence, ≤ 50 ids), editInfo, reject, entity review status, stats, and the activity feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs, addTeamUser, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

let server: TestLocalServer;
let a1: number;
let a2: number;
let rev: number;
beforeAll(async () => {
  server = await startTestLocalServer();
  a1 = await addTeamUser(server, 'labeler_1', 3);
  a2 = await addTeamUser(server, 'labeler_2', 3);
  rev = await addTeamUser(server, 'rev', 6);
  await addTeamUser(server, 'mgr', 5);
  await addTeamUser(server, 'dev', 2);
});
afterAll(() => server.stop());

const info = async (id: number) => (await server.call('jobs.info', { id })).body;

describe('status changes', () => {
  it('jobs.stop → stopped; set-status accepts all six values and rejects others', async () => {
    const [id] = await addJobs(server, [a1]);
    expect((await server.call('jobs.stop', { id })).status).toBe(200);
    expect((await info(id!)).status).toBe('stopped');
    for (const status of ['pending', 'in_progress', 'on_review', 'review_completed', 'completed', 'stopped']) {
      expect((await server.call('jobs.set-status', { id, status })).status).toBe(200);
      expect((await info(id!)).status).toBe(status);
    }
    const bad = await server.call('jobs.set-status', { id, status: 'done' });
    expect(bad.status).toBe(400);
    expect(errorMessage(bad)).toContain('status');
    expect((await server.call('jobs.set-status', { id: 9999, status: 'completed' })).status).toBe(404);
    expect((await server.call('jobs.stop', { id: 9999 })).status).toBe(404);
  });

  it('startedAt is set on the first entry into in_progress, finishedAt on completed; updatedAt moves', async () => {
    const [id] = await addJobs(server, [a1]);
    const created = await info(id!);
    await new Promise((r) => setTimeout(r, 5));
    await server.call('jobs.set-status', { id, status: 'in_progress' });
    const started = await info(id!);
    expect(started.startedAt).toEqual(expect.any(String));
    expect(started.finishedAt).toBeNull();
    expect(started.updatedAt > created.updatedAt).toBe(true);
    await server.call('jobs.set-status', { id, status: 'on_review' });
    await server.call('jobs.set-status', { id, status: 'in_progress' });
    expect((await info(id!)).startedAt).toBe(started.startedAt);
    await server.call('jobs.set-status', { id, status: 'completed' });
    const done = await info(id!);
    expect(done.finishedAt).toEqual(expect.any(String));
    await server.call('jobs.set-status', { id, status: 'in_progress' });
    expect((await info(id!)).finishedAt).toBeNull();
  });

  it('annotators cannot change job status (403 on own job)', async () => {
    const [id] = await addJobs(server, [a1]);
    const res = await server.call('jobs.set-status', { id, status: 'completed' }, server.tokenFor('labeler_1'));
    expect(res.status).toBe(403);
    expect((await info(id!)).status).toBe('pending');
  });
});

describe('archive and remove', () => {
  it('archive hides the job from listings and jobs.info (404), shows it with showDisabled; archiving twice is fine', async () => {
    const [id] = await addJobs(server, [a1]);
    expect((await server.call('jobs.archive', { id })).status).toBe(200);
    expect((await server.call('jobs.info', { id })).status).toBe(404);
    const hidden = await server.call('jobs.list', { teamId: 8, showDisabled: false, filter: [{ field: 'id', operator: '=', value: id }] });
    expect(hidden.body.total).toBe(0);
    const shown = await server.call('jobs.list', { teamId: 8, showDisabled: true, filter: [{ field: 'id', operator: '=', value: id }] });
    expect(shown.body.entities[0]).toMatchObject({ id, disabled: true });
    expect((await server.call('jobs.archive', { id })).status).toBe(200);
    expect((await server.call('jobs.stop', { id })).status).toBe(404);
  });

  it('bulk.remove removes (also archived jobs); unknown and already removed ids count as done', async () => {
    const [x, y] = await addJobs(server, [a1, a2]);
    await server.call('jobs.archive', { id: y });
    expect((await server.call('jobs.bulk.remove', { ids: [x, y, 278] })).status).toBe(200);
    expect((await server.call('jobs.info', { id: x })).status).toBe(404);
    const listed = await server.call('jobs.list', {
      teamId: 8,
      showDisabled: true,
      filter: [{ field: 'id', operator: 'in', value: [x, y] }],
    });
    expect(listed.body.total).toBe(0);
    expect((await server.call('jobs.bulk.remove', { ids: [x] })).status).toBe(200);
    const [z] = await addJobs(server, [a1]);
    expect(z).toBeGreaterThan(y!); // ids are never reused
  });

  it('bulk.remove: more than 50 ids or none → 400; managers and annotators → 403; developers only their own jobs', async () => {
    const [id] = await addJobs(server, [a1]);
    expect((await server.call('jobs.bulk.remove', { ids: Array.from({ length: 51 }, (_, i) => i + 1000) })).status).toBe(400);
    expect((await server.call('jobs.bulk.remove', { ids: [] })).status).toBe(400);
    const byManager = await server.call('jobs.bulk.remove', { ids: [id] }, server.tokenFor('mgr'));
    expect(byManager.status).toBe(403);
    expect(errorMessage(byManager)).toMatch(/manager.*cannot remove labeling jobs.*admin, developer/);
    expect((await server.call('jobs.bulk.remove', { ids: [id] }, server.tokenFor('labeler_1'))).status).toBe(403);
    expect((await server.call('jobs.bulk.remove', { ids: [id] }, server.tokenFor('dev'))).status).toBe(403);
    expect((await server.call('jobs.info', { id })).status).toBe(200);
    const [own] = await addJobs(server, [a1], {}, {}, server.tokenFor('dev'));
    expect((await server.call('jobs.bulk.remove', { ids: [own] }, server.tokenFor('dev'))).status).toBe(200);
    expect((await server.call('jobs.info', { id: own })).status).toBe(404);
  });

  it('a denied bulk.remove removes nothing, even the ids the caller could remove', async () => {
    const [mine] = await addJobs(server, [a1], {}, {}, server.tokenFor('dev'));
    const [adminJob] = await addJobs(server, [a1]);
    expect((await server.call('jobs.bulk.remove', { ids: [mine, adminJob] }, server.tokenFor('dev'))).status).toBe(403);
    expect((await server.call('jobs.info', { id: mine })).status).toBe(200);
  });
});

describe('editInfo, review and stats', () => {
  it('editInfo changes assignee/reviewer and replaces customData', async () => {
    const [id] = await addJobs(server, [a1]);
    await server.call('jobs.editInfo', { id, customData: { a: 1, b: 2 } });
    expect((await info(id!)).customData).toEqual({ a: 1, b: 2 });
    await server.call('jobs.editInfo', { id, customData: { c: 3 } });
    expect((await info(id!)).customData).toEqual({ c: 3 });
    await server.call('jobs.editInfo', { id, userId: a2, reviewerId: rev });
    expect(await info(id!)).toMatchObject({ userId: a2, labelerLogin: 'labeler_2', reviewerId: rev, reviewerLogin: 'rev' });
    expect((await server.call('jobs.editInfo', { id, userId: 9999 })).status).toBe(400);
    expect((await server.call('jobs.editInfo', { id, customData: [1] })).status).toBe(400);
  });

  it('review statuses update counters; assignee may only mark done; reject marks the rest', async () => {
    const [id] = await addJobs(server, [a1], { reviewerId: rev });
    const labeler = server.tokenFor('labeler_1');
    expect(
      (await server.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882697, status: 'done' }, labeler)).status,
    ).toBe(200);
    expect(
      (await server.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882697, status: 'accepted' }, labeler)).status,
    ).toBe(403);
    expect(
      (
        await server.call(
          'jobs.entities.update-review-status',
          { jobId: id, entityId: 3882698, status: 'accepted' },
          server.tokenFor('rev'),
        )
      ).status,
    ).toBe(200);
    expect((await server.call('jobs.entities.update-review-status', { jobId: id, entityId: 1, status: 'done' })).status).toBe(404);
    expect((await server.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882699, status: 'ok' })).status).toBe(400);
    let job = await info(id!);
    expect(job).toMatchObject({ finishedImagesCount: 2, acceptedImagesCount: 1, rejectedImagesCount: 0, progressImagesCount: 1 });
    await server.call('jobs.reject', { id, mode: 'unmarked' });
    job = await info(id!);
    expect(job).toMatchObject({ acceptedImagesCount: 1, rejectedImagesCount: 5, finishedImagesCount: 6 });
    await server.call('jobs.reject', { id, mode: 'all' });
    expect((await info(id!)).rejectedImagesCount).toBe(6);
    expect((await server.call('jobs.reject', { id, mode: 'some' })).status).toBe(400);
  });

  it('jobs.stats has the documented shape computed from the job', async () => {
    const [id] = await addJobs(server, [a1], {}, { classes: ['kiwi'], projectTags: ['size'], entityIds: [3882697, 3882698] });
    await server.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882697, status: 'accepted' });
    const stats = (await server.call('jobs.stats', { id })).body;
    expect(stats.job).toMatchObject({ id, imagesCount: 2, finishedImagesCount: 1, annotationDuration: 0, editingDuration: 0 });
    expect(stats.job.tagsStats).toEqual([
      { id: 8101, name: 'size', color: '#BD10E0', images: 0, figures: 0 },
      { parentId: 8101, name: 'size (small)', color: '#BD10E0', images: 0, figures: 0 },
      { parentId: 8101, name: 'size (medium)', color: '#BD10E0', images: 0, figures: 0 },
      { parentId: 8101, name: 'size (large)', color: '#BD10E0', images: 0, figures: 0 },
    ]);
    expect(stats.classes).toEqual([
      { id: 8001, name: 'kiwi', color: '#D0021B', shape: 'bitmap', imagesCount: 0, labelsCount: 0, totalDuration: 0, avgDuration: null },
    ]);
    expect(stats.images.total).toBe(2);
    expect(stats.images.images[0]).toMatchObject({ id: 3882697, name: 'IMG_4451.jpeg', reviewStatus: 'accepted' });
    expect((await server.call('jobs.stats', { id: 9999 })).status).toBe(404);
  });
});

describe('activity feed', () => {
  it('records the job lifecycle so a status timeline can be rebuilt, with the documented filters', async () => {
    const [id] = await addJobs(server, [a2]);
    await server.call('jobs.set-status', { id, status: 'in_progress' });
    await server.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882700, status: 'done' });
    await server.call('jobs.set-status', { id, status: 'on_review' });
    await server.call('jobs.stop', { id });
    await server.call('jobs.archive', { id });
    await server.call('jobs.bulk.remove', { ids: [id] });
    const feed = await server.call('teams.activity', { teamId: 8, filter: [{ field: 'jobId', operator: '=', value: id }] });
    expect(feed.status).toBe(200);
    const rows = feed.body.entities as {
      action: string;
      meta: Record<string, unknown>;
      jobId: number;
      userId: number;
      date: string;
      imageId: number | null;
    }[];
    expect(rows.map((r) => r.action)).toEqual([
      'job_created',
      'job_status_changed',
      'image_review_status_updated',
      'job_status_changed',
      'job_status_changed',
      'job_archived',
      'job_removed',
    ]);
    const timeline = rows.filter((r) => r.action === 'job_created' || r.action === 'job_status_changed').map((r) => r.meta.status);
    expect(timeline).toEqual(['pending', 'in_progress', 'on_review', 'stopped']);
    expect(rows[2]).toMatchObject({ imageId: 3882700, meta: { reviewStatus: 'done' } });
    const typed = await server.call('teams.activity', {
      teamId: 8,
      filter: [
        { field: 'jobId', operator: '=', value: id },
        { field: 'type', operator: 'in', value: ['job_archived', 'job_removed'] },
      ],
    });
    expect(typed.body.entities.map((r: { action: string }) => r.action)).toEqual(['job_archived', 'job_removed']);
    const byLabeler = await server.call('teams.activity', {
      teamId: 8,
      filter: [
        { field: 'labelerId', operator: '=', value: a2 },
        { field: 'reviewStatus', operator: '=', value: 'done' },
      ],
    });
    expect(byLabeler.body.entities.some((r: { jobId: number }) => r.jobId === id)).toBe(true);
    const future = await server.call('teams.activity', {
      teamId: 8,
      filter: [{ field: 'date', operator: '>=', value: '2999-01-01T00:00:00Z' }],
    });
    expect(future.body.total).toBe(0);
    const members = await server.call('teams.activity', { teamId: 8, filter: [{ field: 'type', operator: 'in', value: ['add_member'] }] });
    expect(members.body.total).toBe(5); // labeler_1, labeler_2, rev, mgr, dev
  });
});
