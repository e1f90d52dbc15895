// job.archive: archives one job (jobs.archive, the server's "disabled"); hidden from the default list at once.
import { z } from 'zod';
import { jobName, jobSubjects, refreshJob, remapJobId } from './jobTarget';
import { defineMutation } from './spec';

export const jobArchive = defineMutation({
  schema: z.object({ jobId: z.number().int() }),
  creates: false,
  subjects: jobSubjects,
  remap: remapJobId,
  summary: (cache, p) => `Archive "${jobName(cache, p.jobId)}"`,
  queued: (job) => ({ status: job.status, note: 'archive queued' }),
  optimistic: (cache, p) => cache.jobs.patch(p.jobId, { disabled: 1 }),
  send: ({ api }, p) => api.jobs.archive(p.jobId),
  apply: (cache, p) => refreshJob(cache, p.jobId),
});
