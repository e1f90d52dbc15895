// The outbox on a real SQLite file: its answer to a pull (which of a chunk's jobs keep their optimistic rows: a change
// pending or on the wire, or one that resolved since the list was fetched), its lists, and its counts kept by triggers.
import { afterEach, describe, expect, it } from 'vitest';
import { prng } from '../../fixtures/jobRecords';
import { tempCache } from './helpers';

let cleanup = () => {};
afterEach(() => cleanup());

describe('outbox.openJobIds', () => {
  it('names the jobs with a change pending or sending, or resolved since the given time, once each', () => {
    const t = tempCache();
    cleanup = t.cleanup;
    const { outbox } = t.cache;
    const change = (jobIds: number[], at: string) =>
      outbox.enqueue({ kind: 'jobs.archive', payload: { ids: jobIds }, summary: 'archive', batchId: null, jobIds }, at);
    change([1, 2], '2026-01-01T00:00:00Z'); // pending
    outbox.markSending(change([3], '2026-01-01T00:00:00Z'), '2026-01-01T00:00:01Z');
    outbox.markDone(change([4], '2026-01-01T00:00:00Z'), null, '2026-01-01T00:00:05Z');
    outbox.markDone(change([5], '2026-01-01T00:00:00Z'), null, '2026-01-02T00:00:00Z');
    outbox.markProblem(change([6], '2026-01-01T00:00:00Z'), 'failed', 'refused', '2026-01-01T00:00:02Z');
    change([2, 7], '2026-01-01T00:00:00Z'); // a second change of job 2

    const asked = [1, 2, 3, 4, 5, 6, 7, 8, 2];
    expect([...outbox.openJobIds(asked)].sort((a, b) => a - b)).toEqual([1, 2, 3, 7]);
    // a list fetched on Jan 1 at noon predates job 5's change: its copy is not taken either
    expect([...outbox.openJobIds(asked, '2026-01-01T12:00:00Z')].sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 7]);
    expect(outbox.openJobIds([], '2026-01-01T12:00:00Z').size).toBe(0);
    expect(outbox.openJobIds([8, 9]).size).toBe(0);
  });
});

describe('outbox.list', () => {
  it('gives each item its own jobs (the page read at once), newest first, with a create’s candidates', () => {
    const t = tempCache();
    cleanup = t.cleanup;
    const { outbox } = t.cache;
    const at = '2026-01-01T00:00:00Z';
    const change = (jobIds: number[], batchId: string | null) =>
      outbox.enqueue({ kind: 'job.stop', payload: {}, summary: `stop ${jobIds.join(',')}`, batchId, jobIds, beforeImage: { id: 1 } }, at);
    const a = change([3, 1, 2], 'b');
    const b = change([], 'b');
    const c = change([9], null);
    const d = change([4], 'b');
    outbox.markNeedsChecking(d, 'lost answer', [{ id: 77, name: 'x', createdAt: at }], at);
    expect(outbox.list({ limit: 10 }).map((i) => [i.id, i.jobIds])).toEqual([
      [d, [4]],
      [c, [9]],
      [b, []],
      [a, [1, 2, 3]],
    ]);
    const [checking] = outbox.list({ batchId: 'b', states: ['needs_checking'], limit: 10 });
    expect(checking).toMatchObject({ id: d, jobIds: [4], candidates: [{ id: 77 }] });
    expect(outbox.list({ batchId: 'b', limit: 2 }).map((i) => i.id)).toEqual([d, b]);
  });
});

describe('outbox counts', () => {
  it('the header’s counts and each batch’s progress stay equal to a count of the changes, whatever is done to them', () => {
    const t = tempCache();
    cleanup = t.cleanup;
    const { outbox, db } = t.cache;
    const rnd = prng(21);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const at = '2026-01-01T00:00:00Z';
    const ids = (): number[] => db.prepare('SELECT id FROM outbox').pluck().all() as number[];
    const counted = (batchId: string) =>
      db
        .prepare(
          `SELECT count(*) AS total, coalesce(sum(state = 'done'), 0) AS done,
          coalesce(sum(state IN ('failed','conflict','needs_checking')), 0) AS failed FROM outbox WHERE batch_id = ?`,
        )
        .get(batchId);
    const steps = [
      () => outbox.enqueue({ kind: 'job.stop', payload: {}, summary: 's', batchId: pick(['a', 'b', null]), jobIds: [1] }, at),
      () => outbox.markSending(pick(ids()), at),
      () => outbox.markDone(pick(ids()), null, at),
      () => outbox.markPending(pick(ids()), null, 0, at),
      () => outbox.markProblem(pick(ids()), pick(['failed', 'conflict'] as const), 'refused', at),
      () => outbox.markNeedsChecking(pick(ids()), 'lost', [], at),
      () => outbox.restart(pick(ids()), at),
      () => outbox.retry([pick(ids())], at),
      () => outbox.requeueSending(at),
      () => outbox.deleteSome([pick(ids()), pick(ids())]),
      () => outbox.trimDone(3),
    ];
    for (let i = 0; i < 600; i++) {
      if (ids().length === 0) steps[0]!();
      else t.cache.transaction(() => pick(steps)());
      const trimmed = (b: string) =>
        (db.prepare('SELECT done FROM outbox_trimmed WHERE batch_id = ?').pluck().get(b) as number | undefined) ?? 0;
      for (const b of ['a', 'b']) {
        const c = counted(b) as { total: number; done: number; failed: number };
        expect(outbox.batchProgress(b), `step ${i}`).toEqual({ total: c.total + trimmed(b), done: c.done + trimmed(b), failed: c.failed });
      }
      const all = db
        .prepare(
          `SELECT coalesce(sum(state IN ('pending','sending')), 0) AS pending,
          coalesce(sum(state IN ('failed','conflict','needs_checking')), 0) AS problems FROM outbox`,
        )
        .get();
      expect(outbox.counts(), `step ${i}`).toEqual(all);
    }
    // no row is kept for a batch and state that has no change any more
    expect(db.prepare('SELECT count(*) FROM outbox_counts WHERE n <= 0').pluck().get()).toBe(0);
  });
});
