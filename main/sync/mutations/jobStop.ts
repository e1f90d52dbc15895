// job.stop: stops one job (jobs.stop); shown as stopped at once.
import { z } from 'zod';
import { jobName, jobSubjects, refreshJob, remapJobId } from './jobTarget';
import { defineMutation } from './spec';

export const jobStop = defineMutation({
  schema: z.object({ jobId: z.number().int() }),
  creates: false,
  subjects: jobSubjects,
  remap: remapJobId,
  summary: (cache, p) => `Stop "${jobName(cache, p.jobId)}"`,
  queued: (_job) => ({ status: 'stopped', note: 'stop queued' }),
  optimistic: (cache, p) => cache.jobs.patch(p.jobId, { status: 'stopped' }),
  send: ({ api }, p) => api.jobs.stop(p.jobId),
  apply: (cache, p) => refreshJob(cache, p.jobId),
});
