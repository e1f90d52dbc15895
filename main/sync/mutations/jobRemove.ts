// job.remove: removes one job. Independent removals travel together (jobs.bulk.remove, ≤ 50 ids), and
// removing a job the server no longer has counts as done.
import { z } from 'zod';
import { jobName, jobSubjects, remapJobId } from './jobTarget';
import { defineMutation } from './spec';

/** the server's limit of ids per jobs.bulk.remove */
const REMOVE_BATCH = 50;

export const jobRemove = defineMutation({
  schema: z.object({ jobId: z.number().int() }),
  creates: false,
  subjects: jobSubjects,
  remap: remapJobId,
  summary: (cache, p) => `Remove "${jobName(cache, p.jobId)}"`,
  optimistic: (cache, p) => cache.jobs.patch(p.jobId, { removing: 1 }),
  send: ({ api }, p) => api.jobs.remove(p.jobId),
  goneMeansDone: true,
  // the job is still there: stop showing it as on its way out
  refused: (cache, p) => {
    if (p.jobId > 0) cache.jobs.patch(p.jobId, { removing: 0 });
  },
  batch: {
    size: REMOVE_BATCH,
    async send({ api }, ps) {
      const results = await api.bulk.remove(
        ps.map((p) => p.jobId),
        { concurrency: 4 },
      );
      return results.map((r) => (r.ok ? { ok: true as const } : { ok: false as const, error: r.error }));
    },
  },
  apply(cache, p, answer, at) {
    cache.jobs.patch(p.jobId, { removed_at: at, removing: 0 });
    cache.history.append([{ jobId: p.jobId, status: 'removed', at, source: 'local_mutation', note: 'removed' }]);
    return { result: answer, jobIds: [p.jobId] };
  },
});
