// jobs.add and jobs.restart over real HTTP: entity selection (ids, tags, range), meta resolution,
// defaults, validation, permissions, atomicity and concurrent creation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_META, addJobs, addTeamUser, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

let localServer: TestLocalServer;
let a1: number;
let a2: number;
beforeAll(async () => {
  localServer = await startTestLocalServer();
  a1 = await addTeamUser(localServer, 'labeler_1', 3);
  a2 = await addTeamUser(localServer, 'labeler_2', 3);
});
afterAll(() => localServer.stop());

const entityNames = async (id: number) =>
  ((await localServer.call('jobs.info', { id })).body.entities as { name: string }[]).map((e) => e.name);
const jobCount = async () => (await localServer.call('jobs.list', { teamId: 8, showDisabled: true, filter: [] })).body.total as number;

describe('jobs.add', () => {
  it('creates one job per user id, in order, with server ids starting at 1', async () => {
    const res = await localServer.call('jobs.add', { name: 'pair', datasetId: 10555, userIds: [a2, a1], meta: DEFAULT_META });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: 1, userId: a2, type: 'annotation', name: 'pair' },
      { id: 2, userId: a1, type: 'annotation', name: 'pair' },
    ]);
    const info = (await localServer.call('jobs.info', { id: 1 })).body;
    expect(info).toMatchObject({
      teamId: 8,
      workspaceId: 349,
      workspaceTitle: 'Testing Workspace',
      projectId: 5555,
      projectTitle: 'Lemons (Test)',
      datasetId: 10555,
      datasetTitle: 'ds1',
      createdBy: 7,
      managerLogin: 'my_username',
      userId: a2,
      labelerLogin: 'labeler_2',
      reviewerId: 7,
      reviewerLogin: 'my_username',
      status: 'pending',
      startedAt: null,
      finishedAt: null,
      disabled: false,
      imagesCount: 6,
      finishedImagesCount: 0,
      acceptedImagesCount: 0,
      rejectedImagesCount: 0,
      progressImagesCount: 0,
      priority: 2,
      customData: {},
      labelingQueueId: null,
    });
    expect(info.meta).toMatchObject({
      classes: [],
      projectTags: [],
      imageTags: [],
      imageFiguresLimit: null,
      imageTagsLimit: null,
      range: { start: null, end: null },
    });
    expect(typeof info.updatedAt).toBe('string');
    expect(await entityNames(1)).toEqual([
      'IMG_8144.jpeg',
      'IMG_4451.jpeg',
      'IMG_3861.jpeg',
      'IMG_2084.jpeg',
      'IMG_1836.jpeg',
      'IMG_0748.jpeg',
    ]);
  });

  it('resolves classes/tags to {id,name}, keeps limits and uses the given entity ids', async () => {
    const [id] = await addJobs(
      localServer,
      [a2],
      { reviewerId: a1 },
      {
        classes: ['kiwi'],
        projectTags: ['size', 'origin'],
        imageFiguresLimit: 10,
        imageTagsLimit: 20,
        entityIds: [3882697, 3882698, 3882699],
      },
    );
    const info = (await localServer.call('jobs.info', { id })).body;
    expect(info.meta.classes).toEqual([{ id: 8001, name: 'kiwi' }]);
    expect(info.meta.projectTags).toEqual([
      { id: 8101, name: 'size' },
      { id: 8102, name: 'origin' },
    ]);
    expect(info.meta).toMatchObject({ imageFiguresLimit: 10, imageTagsLimit: 20, range: { start: null, end: null } });
    expect(info).toMatchObject({ imagesCount: 3, reviewerId: a1, reviewerLogin: 'labeler_1' });
    expect(info.entities).toEqual([
      { id: 3882697, name: 'IMG_4451.jpeg', reviewStatus: 'none' },
      { id: 3882698, name: 'IMG_3861.jpeg', reviewStatus: 'none' },
      { id: 3882699, name: 'IMG_0748.jpeg', reviewStatus: 'none' },
    ]);
  });

  it('filters entities by include/exclude image tags, then by the 1-based inclusive range', async () => {
    // origin is on 3882697 (IMG_4451) and 3882699 (IMG_0748); size on 3882702 (IMG_8144)
    const [inc] = await addJobs(localServer, [a1], {}, { imageTags: [{ name: 'origin', positive: true }] });
    expect(await entityNames(inc!)).toEqual(['IMG_4451.jpeg', 'IMG_0748.jpeg']);
    const incInfo = (await localServer.call('jobs.info', { id: inc })).body;
    expect(incInfo.meta.imageTags).toEqual([{ id: 8102, name: 'origin', positive: true }]);
    const [exc] = await addJobs(
      localServer,
      [a1],
      {},
      {
        imageTags: [
          { name: 'origin', positive: false },
          { name: 'size', positive: false },
        ],
      },
    );
    expect(await entityNames(exc!)).toEqual(['IMG_3861.jpeg', 'IMG_2084.jpeg', 'IMG_1836.jpeg']);
    const [ranged] = await addJobs(localServer, [a1], {}, { range: { start: 2, end: 4 } });
    expect(await entityNames(ranged!)).toEqual(['IMG_3861.jpeg', 'IMG_2084.jpeg', 'IMG_0748.jpeg']); // ids 3882698..3882700
    expect((await localServer.call('jobs.info', { id: ranged })).body.meta.range).toEqual({ start: 2, end: 4 });
    const [both] = await addJobs(localServer, [a1], {}, { imageTags: [{ name: 'origin', positive: false }], range: { start: 1, end: 2 } });
    expect(await entityNames(both!)).toEqual(['IMG_3861.jpeg', 'IMG_2084.jpeg']);
  });

  it('rejects bad requests with 400 and creates nothing', async () => {
    const before = await jobCount();
    const bad = [
      { name: 'x', datasetId: 10555, userIds: [a1], meta: { ...DEFAULT_META, classes: ['banana'] } },
      { name: 'x', datasetId: 10555, userIds: [a1], meta: { ...DEFAULT_META, projectTags: ['weight'] } },
      { name: 'x', datasetId: 10555, userIds: [a1], meta: { ...DEFAULT_META, entityIds: [3882697, 1] } },
      { name: 'x', datasetId: 10555, userIds: [a1], meta: { ...DEFAULT_META, range: { start: 7, end: 9 } } },
      { name: 'x', datasetId: 10555, userIds: [a1], meta: { ...DEFAULT_META, range: { start: 3, end: 2 } } },
      { name: 'x', datasetId: 10555, userIds: [a1, 9999], meta: DEFAULT_META }, // second user unknown: first must not be created
      { name: 'x', datasetId: 10555, userIds: [a1, a1], meta: DEFAULT_META },
      { name: 'x', datasetId: 10555, userIds: [], meta: DEFAULT_META },
      { name: 'x', datasetId: 10555, userIds: ['101'], meta: DEFAULT_META },
      { name: '', datasetId: 10555, userIds: [a1], meta: DEFAULT_META },
      { name: 'x', datasetId: 10555, userIds: [a1] },
      { name: 'x', datasetId: 10555, userIds: [a1], reviewerId: 9999, meta: DEFAULT_META },
    ];
    for (const body of bad) {
      const res = await localServer.call('jobs.add', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorMessage(res).length).toBeGreaterThan(10);
    }
    const unknownDataset = await localServer.call('jobs.add', { name: 'x', datasetId: 1, userIds: [a1], meta: DEFAULT_META });
    expect(unknownDataset.status).toBe(404);
    expect(errorMessage(unknownDataset)).toBe(
      "Dataset with datasetId 1 is either archived, doesn't exist or you don't have enough permissions to access",
    );
    expect(await jobCount()).toBe(before);
  });

  it('annotators and viewers cannot create jobs; reviewers and managers can (creator = token owner)', async () => {
    await addTeamUser(localServer, 'viewer_1', 4);
    const rev = await addTeamUser(localServer, 'reviewer_1', 6);
    const mgr = await addTeamUser(localServer, 'manager_1', 5);
    const body = { name: 'x', datasetId: 10555, userIds: [a1], meta: DEFAULT_META };
    expect((await localServer.call('jobs.add', body, localServer.tokenFor('labeler_1'))).status).toBe(403);
    expect((await localServer.call('jobs.add', body, localServer.tokenFor('viewer_1'))).status).toBe(403);
    const [byRev] = await addJobs(localServer, [a1], {}, {}, localServer.tokenFor('reviewer_1'));
    expect((await localServer.call('jobs.info', { id: byRev })).body).toMatchObject({
      createdBy: rev,
      reviewerId: rev,
      managerLogin: 'reviewer_1',
    });
    const [byMgr] = await addJobs(localServer, [a1], {}, {}, localServer.tokenFor('manager_1'));
    expect((await localServer.call('jobs.info', { id: byMgr })).body).toMatchObject({ createdBy: mgr });
  });

  it('20 concurrent jobs.add calls create exactly 20 jobs with distinct ids', async () => {
    const before = await jobCount();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        localServer.call('jobs.add', { name: `c${i}`, datasetId: 10555, userIds: [a1], meta: DEFAULT_META }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ids = answers.map((a) => a.body[0].id as number);
    expect(new Set(ids).size).toBe(20);
    expect(await jobCount()).toBe(before + 20);
    const names = await localServer.call('jobs.list', {
      teamId: 8,
      filter: [{ field: 'name', operator: 'like', value: 'c%' }],
      per_page: 100,
    });
    expect(names.body.total).toBe(20);
  });
});

describe('jobs.restart', () => {
  it('answers 400 "No images found" without rejected images, otherwise creates jobs from the rejected ones', async () => {
    const [id] = await addJobs(localServer, [a1], { name: 'to_restart' });
    const none = await localServer.call('jobs.restart', { id, completeExisting: true, userIds: [a1], reviewerId: 7 });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain('No images found');
    await localServer.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882700, status: 'rejected' });
    await localServer.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882701, status: 'rejected' });
    await localServer.call('jobs.entities.update-review-status', { jobId: id, entityId: 3882702, status: 'accepted' });
    const res = await localServer.call('jobs.restart', { id, completeExisting: true, userIds: [a2], reviewerId: null, name: 'again' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ id: expect.any(Number), userId: a2, type: 'annotation', name: 'again' }]);
    const fresh = (await localServer.call('jobs.info', { id: res.body[0].id })).body;
    expect(fresh.entities).toEqual([
      { id: 3882700, name: 'IMG_2084.jpeg', reviewStatus: 'none' },
      { id: 3882701, name: 'IMG_1836.jpeg', reviewStatus: 'none' },
    ]);
    expect(fresh).toMatchObject({ status: 'pending', imagesCount: 2, userId: a2 });
    expect((await localServer.call('jobs.info', { id })).body.status).toBe('completed');
  });
});
