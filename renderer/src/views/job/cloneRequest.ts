// A clone is a create with the job's settings: classes, tags, limits, readme, reviewer, image filters;
// on the same dataset also the same images. Only the name, annotator and dataset are chosen anew.
import type { CreateJobsRequest, JobDetails } from '#shared/contract';

/** The SDK sends 0 for "no limit"; a create takes null for that. */
const limitOrNull = (n: number | null): number | null => (n !== null && n > 0 ? n : null);

export function cloneRequest(d: JobDetails, to: { name: string; userId: number; datasetId: number }): CreateJobsRequest {
  const sameDataset = to.datasetId === d.job.datasetId;
  const { start, end } = d.imagesRange;
  return {
    name: to.name,
    datasetId: to.datasetId,
    userIds: [to.userId],
    ...(d.job.reviewerId !== null ? { reviewerId: d.job.reviewerId } : {}),
    readme: d.readme,
    description: d.job.description,
    classesToLabel: d.classesToLabel,
    tagsToLabel: d.tagsToLabel,
    objectsLimitPerImage: limitOrNull(d.objectsLimitPerImage),
    tagsLimitPerImage: limitOrNull(d.tagsLimitPerImage),
    // the same images where they exist; on another dataset the range and tag filters pick them
    ...(sameDataset && d.entities?.length ? { imageIds: d.entities.map((e) => e.id) } : {}),
    ...(!(sameDataset && d.entities?.length) && start !== null && end !== null ? { imagesRange: [start, end] as [number, number] } : {}),
    includeImagesWithTags: d.includeImagesWithTags,
    excludeImagesWithTags: d.excludeImagesWithTags,
  };
}
