// The request bodies this client builds, compared with what the Python SDK sent (the trace).
import { describe, expect, it } from 'vitest';
import { jobListConditions, jobsAddBody, jobsListBody } from '../../../main/supervisely/jobs';
import { usersAddBody } from '../../../main/supervisely/users';
import { imagesListBody } from '../../../main/supervisely/images';
import { datasetsListBody } from '../../../main/supervisely/datasets';
import { projectMetaJson, projectsListBody } from '../../../main/supervisely/projects';
import { firstPageBody } from '../../../main/supervisely/pagination';
import { eq } from '../../../main/supervisely/context';
import { activityFilter } from '../../../main/supervisely/teams';
import { parseWire, projectMetaWire } from '../../../main/supervisely/schemas';
import { traceBody } from './sdk-trace';

/** Same keys, same values, same key order (order carries no meaning on the wire, but we match the SDK). */
const sameAsTrace = (body: unknown, seq: number) => expect(JSON.stringify(body)).toBe(JSON.stringify(traceBody(seq)));

const README = 'annotation manual for fruits in markdown format here (optional)';
const DESCRIPTION = 'short description is here (optional)';

describe('jobs.add body', () => {
  it('tutorial job 1: only classes given → limits 0, every meta key present, no range', () => {
    sameAsTrace(
      jobsAddBody({
        name: 'labeler1_lemons_task',
        datasetId: 10555,
        userIds: [101],
        readme: README,
        description: DESCRIPTION,
        classesToLabel: ['lemon'],
      }),
      33,
    );
  });

  it('tutorial job 2: limits, tags and image ids', () => {
    sameAsTrace(
      jobsAddBody({
        name: 'labeler2_kiwi_task_with_complex_settings',
        datasetId: 10555,
        userIds: [102],
        readme: README,
        description: DESCRIPTION,
        classesToLabel: ['kiwi'],
        objectsLimitPerImage: 10,
        tagsToLabel: ['size', 'origin'],
        tagsLimitPerImage: 20,
        imageIds: [3882697, 3882698, 3882699],
      }),
      40,
    );
  });

  it('two annotators, no readme/description: those keys are absent', () => {
    sameAsTrace(jobsAddBody({ name: 'harness_scratch', datasetId: 10555, userIds: [101, 102], classesToLabel: ['lemon', 'kiwi'] }), 57);
  });

  it('include tags first, then exclude tags; range and reviewer only when given; null limits → 0', () => {
    const body = jobsAddBody({
      name: 'n',
      datasetId: 1,
      userIds: [2],
      includeImagesWithTags: ['a'],
      excludeImagesWithTags: ['b', 'c'],
      imagesRange: [2, 5],
      reviewerId: 9,
      objectsLimitPerImage: null,
      tagsLimitPerImage: null,
    });
    const meta = body.meta as Record<string, unknown>;
    expect(meta.imageTags).toEqual([
      { name: 'a', positive: true },
      { name: 'b', positive: false },
      { name: 'c', positive: false },
    ]);
    expect(meta.range).toEqual({ start: 2, end: 5 });
    expect(meta.imageFiguresLimit).toBe(0);
    expect(meta.imageTagsLimit).toBe(0);
    expect(body.reviewerId).toBe(9);
    expect('range' in (jobsAddBody({ name: 'n', datasetId: 1, userIds: [2] }).meta as object)).toBe(false);
  });

  it("the SDK's optional options use its meta keys, only when given", () => {
    const meta = jobsAddBody({
      name: 'n',
      datasetId: 1,
      userIds: [2],
      dynamicClasses: true,
      dynamicTags: true,
      readOnlyTags: ['size'],
      guideId: 12,
      toolboxSettings: { playbackRate: 2 },
      disableConfirm: true,
      disableSubmit: false,
      enableQualityCheck: true,
    }).meta as Record<string, unknown>;
    expect(meta).toMatchObject({
      dynamicClasses: true,
      dynamicTags: true,
      readOnlyTags: ['size'],
      guide: 12,
      toolboxSettings: { playbackRate: 2 },
      disableConfirm: true,
      disableSubmit: false,
      enableIntermediateReview: true,
    });
    const plain = jobsAddBody({ name: 'n', datasetId: 1, userIds: [2] }).meta as object;
    for (const key of ['readOnlyTags', 'guide', 'toolboxSettings', 'disableConfirm', 'disableSubmit', 'enableIntermediateReview']) {
      expect(key in plain).toBe(false);
    }
  });
});

describe('jobs.list body', () => {
  it('no filter, then createdBy, then createdBy + userId, then showDisabled (trace 42, 44, 45, 56)', () => {
    sameAsTrace(firstPageBody(jobsListBody({ teamId: 8 })), 42);
    sameAsTrace(firstPageBody(jobsListBody({ teamId: 8, createdById: 7 })), 44);
    sameAsTrace(firstPageBody(jobsListBody({ teamId: 8, createdById: 7, assignedToId: 102 })), 45);
    sameAsTrace(firstPageBody(jobsListBody({ teamId: 8, showDisabled: true })), 56);
  });

  it('appends every filter in the SDK order, then id in and updatedAt >=', () => {
    const conditions = jobListConditions({
      teamId: 8,
      updatedSince: '2026-01-01T00:00:00.000Z',
      ids: [1, 2],
      excludeStatuses: ['stopped'],
      queueIds: [4],
      datasetId: 5,
      projectId: 6,
      reviewerId: 7,
      assignedToId: 8,
      createdById: 9,
    });
    expect(conditions).toEqual([
      { field: 'createdBy', operator: '=', value: 9 },
      { field: 'userId', operator: '=', value: 8 },
      { field: 'reviewerId', operator: '=', value: 7 },
      { field: 'projectId', operator: '=', value: 6 },
      { field: 'datasetId', operator: '=', value: 5 },
      { field: 'labelingQueueId', operator: 'in', value: [4] },
      { field: 'status', operator: '!in', value: ['stopped'] },
      { field: 'id', operator: 'in', value: [1, 2] },
      { field: 'updatedAt', operator: '>=', value: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(jobListConditions({ teamId: 8, isPartOfQueue: false, excludeStatuses: [] })).toEqual([
      { field: 'labelingQueueId', operator: '=', value: null },
    ]);
  });

  it('refuses "not in a queue" together with queue ids, as the SDK does (client-side)', () => {
    expect(() => jobListConditions({ teamId: 8, isPartOfQueue: false, queueIds: [1] })).toThrow(/queue/);
  });
});

describe('other bodies', () => {
  it('users.add sends all five keys (trace 13)', () => {
    sameAsTrace(usersAddBody({ login: 'labeler_1', password: '11111abc', isRestricted: true }), 13);
  });

  it('users.list by login (trace 12), roles/teams (29, 2), workspaces (4)', () => {
    sameAsTrace(firstPageBody({ filter: [eq('login', 'labeler_1')] }), 12);
    sameAsTrace(firstPageBody({ filter: [] }), 29);
    sameAsTrace(firstPageBody({ filter: [] }), 2);
    sameAsTrace(firstPageBody({ teamId: 8, filter: [] }), 4);
  });

  it('images.list keeps projectId null, forceMetadataForLinks and recursive false (trace 37, 38)', () => {
    sameAsTrace(firstPageBody(imagesListBody(10555)), 37);
    sameAsTrace({ ...firstPageBody(imagesListBody(10555)), page: 2, per_page: 2 }, 38);
  });

  it('datasets.list top level (trace 32)', () => {
    sameAsTrace(firstPageBody(datasetsListBody(5555)), 32);
  });

  it('a page size asked for by the caller is sent from the first request on', () => {
    expect(firstPageBody({ filter: [] }, { perPage: 100 })).toEqual({ filter: [], sort: 'id', sort_order: 'asc', per_page: 100 });
    expect(firstPageBody({ teamId: 1, filter: [] }, { addSort: false })).toEqual({ teamId: 1, filter: [] });
  });

  it('projects.list sends fields [] and workspaceId or groupId', () => {
    expect(projectsListBody({ workspaceId: 349 })).toEqual({ filter: [], fields: [], workspaceId: 349 });
    expect(projectsListBody({ teamId: 8 })).toEqual({ filter: [], fields: [], groupId: 8 });
  });

  it('projects.meta.update: the meta serialises back exactly as the SDK sent it (trace 9)', () => {
    const sent = traceBody(9).meta;
    const meta = parseWire(projectMetaWire, sent, 'projects.meta');
    expect(JSON.stringify(projectMetaJson(meta))).toBe(JSON.stringify(sent));
  });

  it('teams.activity filters', () => {
    expect(activityFilter({ jobId: 3, userId: 7, actions: ['job_created'], since: 'a1', until: 'b2' })).toEqual([
      { field: 'userId', operator: '=', value: 7 },
      { field: 'jobId', operator: '=', value: 3 },
      { field: 'type', operator: 'in', value: ['job_created'] },
      { field: 'date', operator: '>=', value: 'a1' },
      { field: 'date', operator: '<=', value: 'b2' },
    ]);
  });
});
