// The parts shared by the kinds that act on one existing job (stop, archive, remove, set status):
// their subject is that job, and its local id is swapped for the server's once the create lands.
import { AppError } from '#shared/contract';
import type { Cache, StoredJob } from '../../cache';
import type { Subject } from './spec';

export const jobSubjects = (p: { jobId: number }) => ({ writes: [`job:${p.jobId}` as Subject], reads: [] });

export function remapJobId<P extends { jobId: number }>(p: P, kind: 'job' | 'user', localId: number, serverId: number): P | null {
  return kind === 'job' && p.jobId === localId ? { ...p, jobId: serverId } : null;
}

export const jobName = (cache: Cache, jobId: number): string => cache.jobs.get(jobId)?.name ?? `job ${jobId}`;

export function requireJob(cache: Cache, id: number): StoredJob {
  const job = cache.jobs.get(id);
  if (job && !job.removed_at) return job;
  throw new AppError('not_found', `Job ${id} is not in the cache (it may have been removed). Sync and try again.`);
}

/** The server's copy is the truth after a plain change: re-read the job at the next pull. */
export function refreshJob(cache: Cache, jobId: number) {
  cache.jobs.markStale([jobId]);
  return { result: null, jobIds: [jobId] };
}
