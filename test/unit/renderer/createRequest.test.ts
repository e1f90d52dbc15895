// The create form → jobs.create request: what is sent for each choice, and the messages a bad form gets.
import { describe, expect, it } from 'vitest';
import {
  buildCreateRequest,
  emptyForm,
  splitPreview,
  validateCreateForm,
  type CreateForm,
} from '../../../renderer/src/views/create/createRequest';
import { applyTemplate, templateFromForm } from '../../../renderer/src/views/create/jobTemplates';

const images = [
  { id: 11, tags: ['origin'] },
  { id: 12, tags: [] },
  { id: 13, tags: ['origin'] },
  { id: 14, tags: [] },
  { id: 15, tags: ['size'] },
  { id: 16, tags: [] },
];
const form = (over: Partial<CreateForm> = {}): CreateForm => ({
  ...emptyForm(),
  name: 'lemons',
  datasetId: 10555,
  annotators: [7],
  ...over,
});

describe('buildCreateRequest', () => {
  it('the plain form: no reviewer, readme, description, subset or options keys', () => {
    expect(buildCreateRequest(form(), images)).toEqual({
      name: 'lemons',
      datasetId: 10555,
      userIds: [7],
      classesToLabel: [],
      tagsToLabel: [],
      objectsLimitPerImage: null,
      tagsLimitPerImage: null,
      includeImagesWithTags: [],
      excludeImagesWithTags: [],
    });
  });

  it('picked images, a range, a reviewer and the SDK options that are set (unticked ones are not sent)', () => {
    const picked = buildCreateRequest(form({ subsetMode: 'pick', picked: [12, 14], reviewerId: 9 }), images);
    expect(picked).toMatchObject({ imageIds: [12, 14], reviewerId: 9 });
    expect(buildCreateRequest(form({ subsetMode: 'range', rangeStart: 2, rangeEnd: 4 }), images).imagesRange).toEqual([2, 4]);
    const options = buildCreateRequest(
      form({
        options: { dynamicClasses: true, dynamicTags: false, disableSubmit: true, enableQualityCheck: true, guideId: 3, readOnlyTags: [] },
      }),
      images,
    );
    expect(options).toMatchObject({ dynamicClasses: true, disableSubmit: true, enableQualityCheck: true, guideId: 3 });
    for (const key of ['dynamicTags', 'disableConfirm', 'readOnlyTags', 'toolboxSettings']) expect(key in options).toBe(false);
  });

  it('split: each annotator gets its own share of the covered images that pass the tag filters', () => {
    const split = form({ annotators: [7, 8], split: true, excludeTags: ['size'] });
    expect(buildCreateRequest(split, images).assignments).toEqual([
      { userId: 7, imageIds: [11, 12, 13] },
      { userId: 8, imageIds: [14, 16] },
    ]);
    const weighted = form({ annotators: [7, 8], split: true, subsetMode: 'range', rangeStart: 1, rangeEnd: 4, weights: { 8: 3 } });
    expect(splitPreview(weighted, images)).toEqual([
      { userId: 7, imageIds: [11] },
      { userId: 8, imageIds: [12, 13, 14] },
    ]);
    expect('imagesRange' in buildCreateRequest(weighted, images)).toBe(false);
  });
});

describe('validateCreateForm', () => {
  it('a good form has no messages', () => {
    expect(validateCreateForm(form(), images)).toEqual({});
  });

  it('each bad field gets its sentence', () => {
    expect(validateCreateForm(form({ name: ' ', datasetId: null, annotators: [] }), images)).toMatchObject({
      name: 'Give the job a name',
      datasetId: 'Choose a dataset',
      userIds: 'Choose at least one annotator',
    });
    expect(validateCreateForm(form({ subsetMode: 'pick' }), images).imageIds).toMatch(/Pick at least one image/);
    expect(validateCreateForm(form({ subsetMode: 'range', rangeEnd: 9 }), images).imagesRange).toBe('The dataset has 6 images');
    expect(validateCreateForm(form({ includeTags: ['a'], excludeTags: ['a'] }), images).excludeImagesWithTags).toMatch(/both/);
    expect(validateCreateForm(form({ options: { guideId: -1 } }), images).guideId).toBe('A guide id is a positive number');
    expect(validateCreateForm(form({ options: { toolboxSettings: { playbackRate: 3 } } }), images).toolboxSettings).toBe(
      'Not a playback rate the server knows',
    );
  });

  it('a split that cannot be made says why, on the split', () => {
    const tooMany = form({ annotators: [1, 2, 3], split: true, subsetMode: 'pick', picked: [11, 12] });
    expect(validateCreateForm(tooMany, images).assignments).toBe('2 images cannot be split among 3 annotators: each needs at least one');
  });
});

describe('job templates', () => {
  it('round trip: a saved form lays its settings back, keeping where and who', () => {
    const source = form({
      classes: ['kiwi'],
      tags: ['size'],
      objectsLimit: 4,
      tagsLimit: null,
      readme: '# Kiwis',
      description: 'd',
      reviewerId: 9,
      options: { disableConfirm: true, readOnlyTags: ['size'] },
    });
    const template = templateFromForm(' kiwi job ', source);
    expect(template.name).toBe('kiwi job');
    const target = form({ name: 'other', annotators: [8], datasetId: 2 });
    const { form: applied, dropped } = applyTemplate(target, template, { classes: ['kiwi', 'lemon'], tags: ['size'], memberIds: [8, 9] });
    expect(dropped).toEqual([]);
    expect(applied).toMatchObject({
      name: 'other',
      annotators: [8],
      datasetId: 2,
      classes: ['kiwi'],
      tags: ['size'],
      objectsLimit: 4,
      readme: '# Kiwis',
      reviewerId: 9,
      options: { disableConfirm: true, readOnlyTags: ['size'] },
    });
  });

  it('classes, tags and a reviewer the target does not have are dropped and named', () => {
    const source = form({ classes: ['kiwi', 'apple'], tags: ['size'], reviewerId: 99, options: { readOnlyTags: ['size'] } });
    const template = templateFromForm('t', source);
    const { form: applied, dropped } = applyTemplate(form(), template, { classes: ['kiwi'], tags: [], memberIds: [7] });
    expect(applied.classes).toEqual(['kiwi']);
    expect(applied.tags).toEqual([]);
    expect(applied.reviewerId).toBeNull();
    expect(applied.options.readOnlyTags).toEqual([]);
    expect(dropped).toEqual(['class apple', 'tag size', 'read-only tag size', 'reviewer 99 (not in this team)']);
  });
});
