// Bulk writes of the outbox: a bulk action of thousands of jobs (stop / archive / remove / set status), a discard
// of thousands of changes (a bulk run's Cancel) and a retry of as many run in short transactions the core answers
// between. From the user's
// side each is whole: an unknown job or a change on the wire refuses it before anything is written, the push loop
// sends none of the changes a discard will delete, and one cut short by a killed process is finished at the next
// start, no job twice.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCache, type Cache } from '../../../main/cache';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { Connectivity } from '../../../main/sync/connectivity';
import { cancelBatch, discardMutations, heldForDiscard } from '../../../main/sync/discard';
import { batchProgress, enqueueJobAction, finishInterruptedJobAction, startJobAction, stopJobAction } from '../../../main/sync/enqueue';
import { PushLoop } from '../../../main/sync/push';
import { retryMutations } from '../../../main/sync/retry';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../../unit/cache/helpers';

const COUNT = 6000;
const ALL = Array.from({ length: COUNT }, (_, i) => i + 1);
let cleanup = () => {};
afterEach(() => cleanup());

function cacheWithJobs(): { cache: Cache; file: string; reopen: () => Cache } {
  const t = tempDir('ljd-bulk-');
  const file = join(t.dir, 'cache.sqlite');
  const opened: Cache[] = [];
  const open = () => {
    const c = openCache(file, { textIndex: { manual: true } });
    opened.push(c);
    return c;
  };
  const cache = open();
  cleanup = () => {
    for (const c of opened) c.close();
    t.cleanup();
  };
  const jobs = syntheticJobs(COUNT, 3).map((j) => ({ ...j, disabled: 0 }));
  for (let i = 0; i < jobs.length; i += 1000) cache.transaction(() => cache.jobs.upsert(jobs.slice(i, i + 1000)));
  return { cache, file, reopen: open };
}

const queued = (cache: Cache) => cache.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

/** every job's items in the outbox (kind, batch), and what the cache shows of it */
function itemsPerJob(cache: Cache) {
  return cache.db
    .prepare(
      `SELECT count(t.mutation_id) AS items, count(DISTINCT o.batch_id) AS batches, j.disabled, j.stale,
        (SELECT count(*) FROM job_status_history h WHERE h.job_id = j.id AND h.note = 'archive queued') AS points
       FROM jobs j LEFT JOIN outbox_jobs t ON t.job_id = j.id LEFT JOIN outbox o ON o.id = t.mutation_id
       GROUP BY j.id`,
    )
    .all() as { items: number; batches: number; disabled: number; stale: number; points: number }[];
}

/** runs the child (test/fixtures/bulkWriteChild.ts) on `file` and kills it with SIGKILL once `killAt(queued)` */
async function killChildWhen(file: string, args: string[], killAt: (queued: number) => boolean): Promise<void> {
  // node itself with tsx's loader, so the kill reaches the process doing the work
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../fixtures/bulkWriteChild.ts'), file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (!killAt(String(d).trim().split('\n').map(Number).pop()!)) return;
      child.kill('SIGKILL'); // in a transaction or between two: each one is whole or not there
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`the child ended (${code}) before the kill: ${stderr}`)));
  });
  await new Promise((resolve) => child.once('exit', resolve));
}

/** a push loop on `cache` with nothing listening (port 9), counting the archives it tries to send */
function offlinePush(cache: Cache) {
  const api = createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't', retryLimit: 1 });
  const sent: number[] = [];
  const archive = api.jobs.archive.bind(api.jobs);
  api.jobs.archive = (id, o) => (sent.push(id), archive(id, o));
  return { push: new PushLoop({ cache, api, connectivity: new Connectivity() }), sent };
}

describe('bulk actions', () => {
  it('writes thousands of items in transactions the core answers between, one item per job', async () => {
    const { cache } = cacheWithJobs();
    const seen: number[] = [];
    const reader = setInterval(() => seen.push(queued(cache)), 0);
    const accepted = await enqueueJobAction(cache, 'job.archive', ALL, new Date());
    clearInterval(reader);
    // a read between the transactions sees some of the items written (one transaction of 6,000 lets none run)
    expect(seen.filter((n) => n > 0 && n < COUNT).length).toBeGreaterThan(1);
    expect(accepted.mutationIds).toHaveLength(COUNT);
    expect(cache.outbox.batchProgress(accepted.batchId)).toMatchObject({ total: COUNT });
    expect(itemsPerJob(cache).every((j) => j.items === 1 && j.disabled === 1 && j.points === 1)).toBe(true);
    expect(cache.kv.get('outbox.writing', null)).toBeNull();
  });

  it('answers once its first transaction is in, the whole batch counted; the rest follow, each slice told', async () => {
    const { cache } = cacheWithJobs();
    const told: number[] = [];
    const { first, whole } = await startJobAction(cache, 'job.archive', ALL, new Date(), undefined, (slice) =>
      told.push(...slice.mutationIds),
    );
    const atAnswer = queued(cache);
    expect(first.mutationIds).toHaveLength(atAnswer);
    expect(atAnswer).toBeGreaterThan(0);
    expect(atAnswer).toBeLessThan(COUNT);
    // the batch is whole from the first answer: a panel reading it never shows "all done" while items are written
    expect(batchProgress(cache, first.batchId)).toEqual({ done: 0, failed: 0, total: COUNT, writing: COUNT - atAnswer, cancelling: 0 });
    const all = await whole;
    expect(all.mutationIds).toEqual([...first.mutationIds, ...told]);
    expect(all.mutationIds).toHaveLength(COUNT);
    expect(batchProgress(cache, first.batchId)).toEqual({ done: 0, failed: 0, total: COUNT, writing: 0, cancelling: 0 });
  });

  it('stopped mid-way: the jobs not written yet get no item and keep what they show, and a restart writes none', async () => {
    const { cache } = cacheWithJobs();
    const { first, whole } = await startJobAction(cache, 'job.archive', ALL, new Date());
    await vi.waitFor(() => expect(queued(cache)).toBeGreaterThan(COUNT / 4));
    const unwritten = stopJobAction(cache, first.batchId);
    const written = (await whole).mutationIds.length;
    expect(unwritten).toBeGreaterThan(0);
    expect(written + unwritten).toBe(COUNT);
    expect(queued(cache)).toBe(written);
    expect(stopJobAction(cache, first.batchId)).toBe(0);
    expect(batchProgress(cache, first.batchId)).toMatchObject({ total: written, writing: 0 });
    const jobs = itemsPerJob(cache);
    expect(jobs.filter((j) => j.items === 1 && j.disabled === 1 && j.points === 1)).toHaveLength(written);
    expect(jobs.filter((j) => j.items === 0 && j.disabled === 0 && j.points === 0)).toHaveLength(unwritten);
    // nothing left for the push loop's start to finish
    expect(await finishInterruptedJobAction(cache)).toBeNull();
    expect(queued(cache)).toBe(written);
  });

  it('refuses the whole action when any job is unknown, the last one too, and writes nothing', async () => {
    const { cache } = cacheWithJobs();
    await expect(enqueueJobAction(cache, 'job.stop', [...ALL, COUNT + 7], new Date())).rejects.toMatchObject({ kind: 'not_found' });
    expect(queued(cache)).toBe(0);
    expect(cache.db.prepare(`SELECT count(*) FROM jobs WHERE status = 'stopped'`).pluck().get()).toBe(
      syntheticJobs(COUNT, 3).filter((j) => j.status === 'stopped').length,
    );
  });

  it('a process killed mid-way through the writing: the push loop’s start writes the rest, no job twice', async () => {
    const { cache, file, reopen } = cacheWithJobs();
    cache.close();
    await killChildWhen(file, ['archive', String(COUNT)], (n) => n >= COUNT / 4);
    const reopened = reopen();
    const partial = queued(reopened);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(COUNT);
    const { push } = offlinePush(reopened);
    push.start();
    await vi.waitFor(() => expect(reopened.kv.get('outbox.writing', null)).toBeNull(), { timeout: 20_000 });
    await push.stop();
    expect(queued(reopened)).toBe(COUNT);
    const jobs = itemsPerJob(reopened);
    expect(jobs).toHaveLength(COUNT);
    expect(jobs.filter((j) => j.items !== 1 || j.batches !== 1 || j.disabled !== 1 || j.points !== 1)).toEqual([]);
  }, 60_000);
});

describe('discarding thousands of changes', () => {
  it('deletes them in transactions the core answers between, holding each back from the push loop, and restores the jobs', async () => {
    const { cache } = cacheWithJobs();
    const { mutationIds } = await enqueueJobAction(cache, 'job.archive', ALL, new Date());
    const seen: { queued: number; lastHeld: boolean }[] = [];
    const reader = setInterval(() => seen.push({ queued: queued(cache), lastHeld: heldForDiscard(cache, mutationIds.at(-1)!) }), 0);
    const { discarded, jobIds } = await discardMutations(cache, mutationIds);
    clearInterval(reader);
    const midway = seen.filter((s) => s.queued > 0 && s.queued < COUNT);
    expect(midway.length).toBeGreaterThan(1);
    expect(midway.every((s) => s.lastHeld)).toBe(true);
    expect(heldForDiscard(cache, mutationIds.at(-1)!)).toBe(false);
    expect(discarded).toHaveLength(COUNT);
    expect(jobIds).toHaveLength(COUNT);
    expect(queued(cache)).toBe(0);
    // each job as it was before the archive, and read again from the server at the next pull
    expect(itemsPerJob(cache).filter((j) => j.disabled !== 0 || j.stale !== 1)).toEqual([]);
  });

  it('does not wait for the end of a bulk action being written: it runs between two of its slices, and the writing goes on', async () => {
    const { cache } = cacheWithJobs();
    const earlier = await enqueueJobAction(cache, 'job.archive', ALL.slice(0, 1000), new Date());
    const { first, whole } = await startJobAction(cache, 'job.archive', ALL.slice(1000), new Date());
    const { discarded } = await discardMutations(cache, earlier.mutationIds);
    // the lead's Cancel of the earlier batch is done while the later one still has most of its jobs to queue
    expect(batchProgress(cache, first.batchId).writing).toBeGreaterThan(COUNT / 2);
    expect(discarded).toHaveLength(1000);
    expect((await whole).mutationIds).toHaveLength(COUNT - 1000);
    const jobs = itemsPerJob(cache);
    expect(jobs.slice(0, 1000).filter((j) => j.items !== 0 || j.disabled !== 0 || j.stale !== 1)).toEqual([]);
    expect(jobs.slice(1000).filter((j) => j.items !== 1 || j.disabled !== 1 || j.points !== 1)).toEqual([]);
    expect(cache.kv.get('outbox.writing', null)).toBeNull();
    expect(cache.kv.get('outbox.discarding', null)).toBeNull();
  });

  it('refuses the whole discard when one of the changes is being sent, and deletes nothing', async () => {
    const { cache } = cacheWithJobs();
    const { mutationIds } = await enqueueJobAction(cache, 'job.archive', ALL, new Date());
    cache.db.prepare(`UPDATE outbox SET state = 'sending' WHERE id = ?`).run(mutationIds.at(-1));
    await expect(discardMutations(cache, mutationIds)).rejects.toMatchObject({ kind: 'conflict' });
    expect(queued(cache)).toBe(COUNT);
    expect(heldForDiscard(cache, mutationIds[0]!)).toBe(false);
  });

  it('a Cancel discards every unsent change of its batch, leaves the one on the wire and other batches alone, and counts down', async () => {
    const { cache } = cacheWithJobs();
    const other = await enqueueJobAction(cache, 'job.stop', ALL.slice(0, 10), new Date());
    // every job but the last, which a later change stops
    const { mutationIds, batchId } = await enqueueJobAction(cache, 'job.archive', ALL.slice(0, -1), new Date());
    const cancelled = COUNT - 1 - 2;
    const onTheWire = mutationIds[COUNT / 2]!;
    cache.db.prepare(`UPDATE outbox SET state = 'sending' WHERE id = ?`).run(onTheWire);
    cache.db.prepare(`UPDATE outbox SET state = 'done' WHERE id = ?`).run(mutationIds[0]);
    const later = await enqueueJobAction(cache, 'job.stop', [COUNT], new Date());
    const { push } = offlinePush(cache);
    const ready = () => (push as unknown as { readyItems(inFlight: Set<number>): { id: number }[] }).readyItems(new Set()).map((i) => i.id);
    const told: number[] = [];
    const readyMeanwhile: number[][] = [];
    const { discarded } = await cancelBatch(cache, batchId, (slice) => {
      expect(heldForDiscard(cache, mutationIds.at(-1)!)).toBe(true);
      told.push(slice.discarded.length, batchProgress(cache, batchId).cancelling);
      readyMeanwhile.push(ready());
    });
    // meanwhile the push loop sends what comes before the Cancel's first change left, and nothing after it (the later
    // stop of another job waits: reading past thousands of held changes at every pump cost a frame or ten)
    const beforeIt = (ids: number[]) => ids.filter((id) => !other.mutationIds.includes(id) && id !== onTheWire);
    expect(readyMeanwhile.slice(0, -1).flatMap(beforeIt)).toEqual([]);
    expect(readyMeanwhile[0]).toEqual(other.mutationIds);
    expect(readyMeanwhile.at(-2)).toEqual([...other.mutationIds, onTheWire]);
    // then the rest (the one on the wire too, as this loop is not sending it)
    expect(ready()).toEqual([...other.mutationIds, onTheWire, ...later.mutationIds]);
    expect(discarded).toHaveLength(cancelled);
    // each slice told what it discarded and how many were left, down to none
    const left = told.filter((_, i) => i % 2 === 1);
    expect(left.length).toBeGreaterThan(2);
    expect(left[0]).toBeGreaterThan(0);
    expect(left.at(-1)).toBe(0);
    expect(left).toEqual([...left].sort((a, b) => b - a));
    expect(told.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0)).toBe(cancelled);
    expect(batchProgress(cache, batchId)).toEqual({ done: 1, failed: 0, total: 2, writing: 0, cancelling: 0 });
    expect(cache.outbox.get(onTheWire)!.state).toBe('sending');
    expect(other.mutationIds.every((id) => cache.outbox.get(id)?.state === 'pending')).toBe(true);
    expect(heldForDiscard(cache, mutationIds.at(-1)!)).toBe(false);
    expect(cache.kv.get('outbox.discarding', null)).toBeNull();
    // the discarded ones' jobs as they were (the first ten keep their queued stop's effect)
    const jobs = itemsPerJob(cache);
    const restored = jobs.filter((_, i) => i >= 10 && i !== COUNT / 2 && i !== COUNT - 1);
    expect(restored.filter((j) => j.items !== 0 || j.disabled !== 0 || j.stale !== 1)).toEqual([]);
  });

  it.each(['discard', 'cancel'])(
    'a process killed mid-way (%s): the push loop’s start deletes the rest before it sends any of them',
    async (mode) => {
      const { cache, file, reopen } = cacheWithJobs();
      await enqueueJobAction(cache, 'job.archive', ALL, new Date());
      cache.close();
      await killChildWhen(file, [mode], (n) => n <= (COUNT * 3) / 4);
      const reopened = reopen();
      const left = queued(reopened);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThan(COUNT);
      const { push, sent } = offlinePush(reopened);
      push.start();
      await vi.waitFor(() => expect(reopened.kv.get('outbox.discarding', null)).toBeNull(), { timeout: 20_000 });
      await push.stop();
      expect(sent).toEqual([]);
      expect(queued(reopened)).toBe(0);
      expect(itemsPerJob(reopened).filter((j) => j.items !== 0 || j.disabled !== 0 || j.stale !== 1)).toEqual([]);
    },
    60_000,
  );
});

describe('retrying thousands of refused changes', () => {
  it('puts them back to pending in transactions the core answers between', async () => {
    const { cache } = cacheWithJobs();
    const { mutationIds } = await enqueueJobAction(cache, 'job.archive', ALL, new Date());
    cache.db.prepare(`UPDATE outbox SET state = 'conflict', last_error = 'The server no longer has it'`).run();
    const refused = cache.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'conflict'`).pluck();
    const seen: number[] = [];
    const reader = setInterval(() => seen.push(refused.get() as number), 0);
    const { retried, jobIds } = await retryMutations(cache, mutationIds, new Date());
    clearInterval(reader);
    expect(seen.filter((n) => n > 0 && n < COUNT).length).toBeGreaterThan(1);
    expect(retried).toEqual(mutationIds);
    expect(new Set(jobIds)).toEqual(new Set(ALL));
    expect(cache.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'pending' AND last_error IS NULL`).pluck().get()).toBe(COUNT);
  });
});
