// Wire JSON → the clean types, and malformed answers → a malformed_response error naming the field.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/supervisely/errors';
import {
  datasetWire,
  imageNameFromMime,
  imageWire,
  jobWire,
  parseRows,
  parseWire,
  projectMetaWire,
  projectWire,
  userInfoWire,
  userWire,
} from '../../../main/supervisely/schemas';

/** Tutorial job 2 as supervisely-api.md §3.2 shows it. */
const job2 = () =>
  ({
    id: 2,
    name: 'labeler2_kiwi_task_with_complex_settings',
    readme: 'r',
    description: 'd',
    teamId: 8,
    workspaceId: 349,
    workspaceTitle: 'Testing Workspace',
    projectId: 5555,
    projectTitle: 'Lemons (Test)',
    datasetId: 10555,
    datasetTitle: 'ds1',
    createdBy: 7,
    managerLogin: 'my_username',
    userId: 102,
    labelerLogin: 'labeler_2',
    reviewerId: 7,
    reviewerLogin: 'my_username',
    createdAt: '2022-10-05T08:42:30.588Z',
    startedAt: null,
    finishedAt: null,
    status: 'pending',
    disabled: false,
    labelingQueueId: null,
    labelingExamId: null,
    imagesCount: 3,
    finishedImagesCount: 0,
    rejectedImagesCount: 0,
    acceptedImagesCount: 0,
    progressImagesCount: 0,
    priority: 2,
    customData: {},
    meta: {
      classes: [{ id: 9001, name: 'kiwi' }],
      projectTags: [
        { id: 7002, name: 'size' },
        { id: 7001, title: 'origin' },
      ],
      imageTags: [
        { id: 1, name: 'origin', positive: true },
        { id: 2, title: 'size', positive: false },
        { id: 3, name: 'x', positive: null },
      ],
      imageFiguresLimit: 10,
      imageTagsLimit: 20,
      range: { start: null, end: null },
      entityIds: [3882697],
      dynamicClasses: false,
      dynamicTags: false,
    } as Record<string, unknown>,
    entities: [{ id: 3882697, name: 'IMG_4451.jpeg', reviewStatus: 'none' }] as unknown,
  }) as Record<string, unknown>;

function malformed(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('malformed_response');
    return err as ApiError;
  }
  throw new Error('expected a malformed_response error');
}

describe('labeling job mapping (§3.3)', () => {
  it('maps wire keys to the SDK tuple names', () => {
    const job = parseWire(jobWire, job2(), 'jobs.info');
    expect(job).toMatchObject({
      createdById: 7,
      createdByLogin: 'my_username',
      assignedToId: 102,
      assignedToLogin: 'labeler_2',
      workspaceName: 'Testing Workspace',
      projectName: 'Lemons (Test)',
      datasetName: 'ds1',
      classesToLabel: ['kiwi'],
      tagsToLabel: ['size', 'origin'],
      imagesRange: { start: null, end: null },
      objectsLimitPerImage: 10,
      tagsLimitPerImage: 20,
      includeImagesWithTags: ['origin'],
      excludeImagesWithTags: ['size', 'x'],
      filterImagesByTags: [
        { name: 'origin', positive: true },
        { name: 'size', positive: false },
        { name: 'x', positive: false },
      ],
      entities: [{ id: 3882697, name: 'IMG_4451.jpeg', reviewStatus: 'none' }],
      priority: 2,
      guideId: null,
      updatedAt: null,
    });
  });

  it('is lenient where the SDK is: missing optional keys become null / defaults', () => {
    const wire = job2();
    for (const k of [
      'reviewerId',
      'reviewerLogin',
      'startedAt',
      'finishedAt',
      'labelingQueueId',
      'priority',
      'customData',
      'entities',
      'disabled',
      'readme',
    ])
      delete wire[k];
    const meta = wire.meta as Record<string, unknown>;
    delete meta.imageFiguresLimit;
    delete meta.imageTagsLimit;
    const job = parseWire(jobWire, wire, 'jobs.list');
    expect(job).toMatchObject({
      reviewerId: null,
      reviewerLogin: null,
      startedAt: null,
      labelingQueueId: null,
      priority: null,
      entities: null,
      disabled: false,
      readme: '',
      customData: {},
      objectsLimitPerImage: null,
    });
  });

  it('names the endpoint and the field when meta.range is missing', () => {
    const wire = job2();
    delete (wire.meta as Record<string, unknown>).range;
    const err = malformed(() => parseWire(jobWire, wire, 'jobs.info'));
    expect(err.message).toBe('jobs.info answered in an unexpected shape: meta.range is missing');
    expect(err.endpoint).toBe('jobs.info');
    expect(err.details.field).toBe('meta.range');
  });

  it.each([
    ['meta', (w: Record<string, unknown>) => delete w.meta, 'meta is missing'],
    ['range.end', (w: Record<string, unknown>) => ((w.meta as { range: object }).range = { start: 1 }), 'meta.range.end is missing'],
    [
      'classes null',
      (w: Record<string, unknown>) => ((w.meta as { classes: unknown }).classes = null),
      'meta.classes should be array, got null',
    ],
    [
      'class as string',
      (w: Record<string, unknown>) => ((w.meta as { classes: unknown }).classes = ['kiwi']),
      'meta.classes[0] should be object',
    ],
    [
      'tag without name',
      (w: Record<string, unknown>) => ((w.meta as { projectTags: unknown }).projectTags = [{ id: 1 }]),
      'meta.projectTags[0] has neither name nor title',
    ],
    [
      'imageTags without positive',
      (w: Record<string, unknown>) => ((w.meta as { imageTags: unknown }).imageTags = [{ name: 'a' }]),
      'meta.imageTags[0].positive is missing',
    ],
    ['empty status', (w: Record<string, unknown>) => (w.status = ''), 'status'],
    ['id as a word', (w: Record<string, unknown>) => (w.id = 'two'), 'id should be number, got "two"'],
    [
      'createdAt not a date',
      (w: Record<string, unknown>) => (w.createdAt = 'yesterday'),
      'createdAt is not an ISO-8601 timestamp ("yesterday")',
    ],
    [
      'createdAt 30 February',
      (w: Record<string, unknown>) => (w.createdAt = '2024-02-30T10:00:00Z'),
      'createdAt is not an ISO-8601 timestamp',
    ],
  ])('%s → a typed error naming the field', (_name, spoil, message) => {
    const wire = job2();
    spoil(wire);
    expect(malformed(() => parseWire(jobWire, wire, 'jobs.info')).message).toContain(message);
  });

  it('reads as tolerantly as the SDK: unknown statuses kept raw, nulls, ids as strings, any ISO-8601 date, unknown keys', () => {
    const wire = {
      ...job2(),
      id: '2',
      teamId: '8',
      status: 'quality_check',
      datasetId: null,
      name: null,
      someNewKey: { x: 1 },
      createdAt: '2022-10-05 08:42:30.588123',
      startedAt: '2022-10-05T10:42:30+02:00',
      finishedAt: '2022-10-06T08:42:30.5Z',
      entities: [{ id: 1, name: null, reviewStatus: 'quality_check_accepted' }, { id: '2', reviewStatus: null }, { id: 3 }],
    };
    const job = parseWire(jobWire, wire, 'jobs.list');
    expect(job).toMatchObject({
      id: 2,
      teamId: 8,
      status: 'quality_check',
      datasetId: null,
      name: '',
      createdAt: '2022-10-05T08:42:30.588Z',
      startedAt: '2022-10-05T08:42:30.000Z',
      finishedAt: '2022-10-06T08:42:30.500Z',
      entities: [
        { id: 1, name: null, reviewStatus: 'quality_check_accepted' },
        { id: 2, name: null, reviewStatus: null },
        { id: 3, name: null, reviewStatus: null },
      ],
    });
    expect(job).not.toHaveProperty('someNewKey');
  });

  it('one bad row of a page is skipped and named (id and field); the others are kept', () => {
    const bad = { ...job2(), id: 7, createdAt: 'soon' };
    const noId = { ...job2(), id: undefined, meta: undefined };
    const { items, skipped } = parseRows(jobWire, [job2(), bad, { ...job2(), id: 3 }, noId], 'jobs.list');
    expect(items.map((j) => j.id)).toEqual([2, 3]);
    expect(skipped).toEqual([
      { id: 7, field: 'entities[1].createdAt', message: expect.stringContaining('is not an ISO-8601 timestamp ("soon")') },
      { id: null, field: 'entities[3].id', message: 'jobs.list answered in an unexpected shape: entities[3].id is missing' },
    ]);
  });

  it('prefixes list paths with the entity index', () => {
    const bad = job2();
    delete (bad.meta as Record<string, unknown>).range;
    const err = malformed(() => parseWire(jobWire.array(), [job2(), bad], 'jobs.list', 'entities'));
    expect(err.details.field).toBe('entities[1].meta.range');
  });
});

describe('users', () => {
  it('users.info requires complete teams; users.list does not carry them', () => {
    const base = { id: 101, login: 'labeler_1', createdAt: '2022-10-05T08:42:30.588Z' };
    expect(parseWire(userWire, base, 'users.list')).toMatchObject({
      role: null,
      roleId: null,
      name: null,
      disabled: false,
      lastLogin: null,
    });
    expect(parseWire(userInfoWire, { ...base, teams: [{ id: 8, name: 't', roleId: 3, role: 'annotator' }] }, 'users.info').teams).toEqual([
      { id: 8, name: 't', roleId: 3, role: 'annotator' },
    ]);
    expect(malformed(() => parseWire(userInfoWire, base, 'users.info')).details.field).toBe('teams');
    expect(
      malformed(() => parseWire(userInfoWire, { ...base, teams: [{ id: 8, name: 't', roleId: 3 }] }, 'users.info')).details.field,
    ).toBe('teams[0].role');
  });
});

describe('projects, datasets, images', () => {
  it('keeps sizes as strings (numbers are turned into strings) and falls back itemsCount → imagesCount', () => {
    const p = parseWire(
      projectWire,
      { id: 5555, name: 'Lemons (Test)', size: 861069, workspaceId: 349, type: 'images', imagesCount: 6, createdBy: 7 },
      'projects.info',
    );
    expect(p).toMatchObject({ size: '861069', itemsCount: 6, createdById: 7, customData: {}, teamId: null });
    const d = parseWire(datasetWire, { id: 10555, name: 'ds1', size: '1277440', projectId: 5555, imagesCount: 6 }, 'datasets.info');
    expect(d).toMatchObject({ size: '1277440', itemsCount: 6, parentId: null });
  });

  it.each([
    ['IMG_0748.jpeg', 'image/jpeg', 'IMG_0748.jpeg'],
    ['IMG_0748.JPG', 'image/jpeg', 'IMG_0748.JPG'],
    ['scan.mpo', 'image/jpeg', 'scan.mpo'],
    ['photo', 'image/png', 'photo.png'],
    ['photo.png', 'image/jpeg', 'photo.png.jpeg'],
    ['photo.PNG', 'image/png', 'photo.PNG'],
    ['photo.png', null, 'photo.png'],
  ])('image name %s with mime %s → %s (§5.6)', (name, mime, expected) => {
    expect(imageNameFromMime(name, mime)).toBe(expected);
  });

  it('maps an image with ext derived from mime', () => {
    const img = parseWire(
      imageWire,
      { id: 1, name: 'a', datasetId: 2, mime: 'image/png', tags: [{ id: 5, tagId: 8101, value: 'large' }] },
      'images.info',
    );
    expect(img).toMatchObject({ name: 'a.png', ext: 'png', tags: [{ id: 5, tagId: 8101, name: null, value: 'large' }], width: null });
  });
});

describe('project meta (§5.4)', () => {
  const meta = {
    classes: [{ id: 1, title: 'kiwi', shape: 'bitmap', color: '#D0021B' }],
    tags: ['plain', { name: 'size', value_type: 'oneof_string', values: ['s'], color: '#BD10E0', applicable_type: 'objectsOnly' }],
  };
  it('accepts bare string tags and fills defaults', () => {
    const m = parseWire(projectMetaWire, meta, 'projects.meta');
    expect(m.tags[0]).toMatchObject({ name: 'plain', valueType: 'none', values: null, applicableType: 'all' });
    expect(m.tags[1]).toMatchObject({
      name: 'size',
      valueType: 'oneof_string',
      values: ['s'],
      applicableType: 'objectsOnly',
      targetType: 'all',
    });
    expect(m.classes[0]).toMatchObject({ description: '', hotkey: '', geometryConfig: {} });
    expect(m.projectType).toBeNull();
  });
  it('is strict where the SDK crashes: missing classes, class colour, oneof values, values on other tags', () => {
    expect(malformed(() => parseWire(projectMetaWire, { tags: [] }, 'projects.meta')).details.field).toBe('classes');
    expect(malformed(() => parseWire(projectMetaWire, { classes: [{ title: 'a', shape: 'bitmap' }] }, 'projects.meta')).details.field).toBe(
      'classes[0].color',
    );
    expect(
      malformed(() => parseWire(projectMetaWire, { classes: [], tags: [{ name: 't', value_type: 'oneof_string' }] }, 'projects.meta'))
        .details.field,
    ).toBe('tags[0].values');
    expect(
      malformed(() =>
        parseWire(projectMetaWire, { classes: [], tags: [{ name: 't', value_type: 'none', values: ['a'] }] }, 'projects.meta'),
      ).details.field,
    ).toBe('tags[0].values');
  });
});
