// job.setStatus: moves one job to a status (jobs.set-status); shown in that status at once.
import { z } from 'zod';
import { JobStatusSchema } from '#shared/contract';
import { jobName, jobSubjects, refreshJob, remapJobId } from './jobTarget';
import { defineMutation } from './spec';

export const jobSetStatus = defineMutation({
  schema: z.object({ jobId: z.number().int(), status: JobStatusSchema }),
  creates: false,
  subjects: jobSubjects,
  remap: remapJobId,
  summary: (cache, p) => `Set status of "${jobName(cache, p.jobId)}" to ${p.status}`,
  queued: (_job, p) => ({ status: p.status, note: 'set status of queued' }),
  optimistic: (cache, p) => cache.jobs.patch(p.jobId, { status: p.status }),
  send: ({ api }, p) => api.jobs.setStatus(p.jobId, p.status),
  apply: (cache, p) => refreshJob(cache, p.jobId),
});
