// A bulk action of thousands of jobs (stop / archive / remove / set status) is written in short transactions
// that let the core answer between them, all or nothing from the user's side: an unknown job refuses it before
// anything is written, and one cut short by a killed process is finished at the next start, no job twice.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCache, type Cache } from '../../../main/cache';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { Connectivity } from '../../../main/sync/connectivity';
import { enqueueJobAction, finishInterruptedJobAction } from '../../../main/sync/enqueue';
import { PushLoop } from '../../../main/sync/push';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../../unit/cache/helpers';

const COUNT = 6000;
let cleanup = () => {};
afterEach(() => cleanup());

function cacheWithJobs(): { cache: Cache; file: string } {
  const t = tempDir('ljd-bulk-');
  const file = join(t.dir, 'cache.sqlite');
  const cache = openCache(file, { textIndex: { manual: true } });
  cleanup = () => {
    cache.close();
    t.cleanup();
  };
  const jobs = syntheticJobs(COUNT, 3).map((j) => ({ ...j, disabled: 0 }));
  for (let i = 0; i < jobs.length; i += 1000) cache.transaction(() => cache.jobs.upsert(jobs.slice(i, i + 1000)));
  return { cache, file };
}

/** every job's items in the outbox (kind, batch), and what the cache shows of it */
function itemsPerJob(cache: Cache) {
  return cache.db
    .prepare(
      `SELECT count(t.mutation_id) AS items, count(DISTINCT o.batch_id) AS batches, j.disabled,
        (SELECT count(*) FROM job_status_history h WHERE h.job_id = j.id AND h.note = 'archive queued') AS points
       FROM jobs j LEFT JOIN outbox_jobs t ON t.job_id = j.id LEFT JOIN outbox o ON o.id = t.mutation_id
       GROUP BY j.id`,
    )
    .all() as { items: number; batches: number; disabled: number; points: number }[];
}

describe('bulk actions', () => {
  it('writes thousands of items in transactions the core answers between, one item per job', async () => {
    const { cache } = cacheWithJobs();
    const ids = Array.from({ length: COUNT }, (_, i) => i + 1);
    const queued = cache.db.prepare('SELECT count(*) FROM outbox').pluck();
    const seen: number[] = [];
    const reader = setInterval(() => seen.push(queued.get() as number), 0);
    const accepted = await enqueueJobAction(cache, 'job.archive', ids, new Date());
    clearInterval(reader);
    // a read between the transactions sees some of the items written (one transaction of 6,000 lets none run)
    expect(seen.filter((n) => n > 0 && n < COUNT).length).toBeGreaterThan(1);
    expect(accepted.mutationIds).toHaveLength(COUNT);
    expect(cache.outbox.batchProgress(accepted.batchId)).toMatchObject({ total: COUNT });
    expect(itemsPerJob(cache).every((j) => j.items === 1 && j.disabled === 1 && j.points === 1)).toBe(true);
    // nothing is left marked as being written
    expect(await finishInterruptedJobAction(cache)).toBeNull();
  });

  it('refuses the whole action when any job is unknown, the last one too, and writes nothing', async () => {
    const { cache } = cacheWithJobs();
    const ids = [...Array.from({ length: COUNT }, (_, i) => i + 1), COUNT + 7];
    await expect(enqueueJobAction(cache, 'job.stop', ids, new Date())).rejects.toMatchObject({ kind: 'not_found' });
    expect(cache.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    expect(cache.db.prepare(`SELECT count(*) FROM jobs WHERE status = 'stopped'`).pluck().get()).toBe(
      syntheticJobs(COUNT, 3).filter((j) => j.status === 'stopped').length,
    );
  });

  it('a process killed mid-way through the writing: the next start writes the rest, no job twice', async () => {
    const { cache, file } = cacheWithJobs();
    cache.close();
    // node itself with tsx's loader, so the kill reaches the process doing the work
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../fixtures/bulkEnqueueChild.ts'), file, String(COUNT)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const written = String(d).trim().split('\n').map(Number).pop()!;
        if (written >= COUNT / 4) {
          child.kill('SIGKILL'); // in a transaction or between two: each one is whole or not there
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the child ended (${code}) before the kill: ${stderr}`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const reopened = openCache(file, { textIndex: { manual: true } });
    cleanup = () => reopened.close();
    const partial = reopened.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(COUNT);
    // the push loop's start writes the rest (nothing listens on port 9: every send fails as offline)
    const api = createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't', retryLimit: 1 });
    const push = new PushLoop({ cache: reopened, api, connectivity: new Connectivity() });
    push.start();
    await vi.waitFor(() => expect(reopened.kv.get('outbox.writing', null)).toBeNull(), { timeout: 20_000 });
    await push.stop();
    expect(reopened.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(COUNT);
    const jobs = itemsPerJob(reopened);
    expect(jobs).toHaveLength(COUNT);
    expect(jobs.filter((j) => j.items !== 1 || j.batches !== 1 || j.disabled !== 1 || j.points !== 1)).toEqual([]);
    expect(await finishInterruptedJobAction(reopened)).toBeNull();
  }, 60_000);
});
