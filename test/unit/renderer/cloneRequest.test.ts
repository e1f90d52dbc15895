// A clone carries the job's settings into a create; only name, annotator and dataset are new.
import { describe, expect, it } from 'vitest';
import { CreateJobsRequestSchema, type JobDetails } from '#shared/contract';
import { cloneRequest } from '../../../renderer/src/views/job/cloneRequest';

const details = {
  job: { id: 5, datasetId: 10555, reviewerId: 9, description: 'desc' },
  readme: '# Do it',
  classesToLabel: ['kiwi'],
  tagsToLabel: ['size'],
  objectsLimitPerImage: 0,
  tagsLimitPerImage: 3,
  imagesRange: { start: 2, end: 4 },
  includeImagesWithTags: ['origin'],
  excludeImagesWithTags: [],
  entities: [
    { id: 11, name: 'a.jpg', reviewStatus: 'rejected' },
    { id: 12, name: 'b.jpg', reviewStatus: 'none' },
  ],
} as unknown as JobDetails;

describe('cloneRequest', () => {
  it('on the same dataset: the same images, settings and reviewer, for the new annotator', () => {
    const req = cloneRequest(details, { name: 'copy', userId: 101, datasetId: 10555 });
    expect(req).toEqual({
      name: 'copy',
      datasetId: 10555,
      userIds: [101],
      reviewerId: 9,
      readme: '# Do it',
      description: 'desc',
      classesToLabel: ['kiwi'],
      tagsToLabel: ['size'],
      objectsLimitPerImage: null,
      tagsLimitPerImage: 3,
      imageIds: [11, 12],
      includeImagesWithTags: ['origin'],
      excludeImagesWithTags: [],
    });
    expect(CreateJobsRequestSchema.safeParse(req).success).toBe(true);
  });
  it('on another dataset: no image ids (they belong to the first one), the range instead', () => {
    const req = cloneRequest(details, { name: 'copy', userId: 101, datasetId: 777 });
    expect(req.imageIds).toBeUndefined();
    expect(req.imagesRange).toEqual([2, 4]);
    expect(CreateJobsRequestSchema.safeParse(req).success).toBe(true);
  });
});
