// job.review: one image's review status in one job (jobs.entities.update-review-status): accept, reject
// or clear. Shown at once (the job's counts follow its images); setting the same status twice is harmless.
import { z } from 'zod';
import { ReviewStatusSchema } from '#shared/contract';
import { jobName, refreshJob, remapJobId } from './jobTarget';
import { defineMutation, type Subject } from './spec';

export const jobReview = defineMutation({
  schema: z.object({ jobId: z.number().int(), imageId: z.number().int(), imageName: z.string(), status: ReviewStatusSchema }),
  creates: false,
  subjects: (p) => ({ writes: [`job:${p.jobId}` as Subject], reads: [] }),
  remap: remapJobId,
  summary: (cache, p) => `Mark "${p.imageName}" ${p.status} in "${jobName(cache, p.jobId)}"`,
  optimistic: (cache, p) => cache.jobs.setReviewStatus(p.jobId, p.imageId, p.status),
  send: ({ api }, p) => api.jobs.setEntityReviewStatus(p.jobId, p.imageId, p.status),
  apply: (cache, p) => refreshJob(cache, p.jobId),
});
