// Which bulk run still acts on a job (the job page locks its actions meanwhile): only unsent items of the
// grid's bulk kinds whose batch spans several jobs count.
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '#shared/contract';
import { bulkRunOf } from '../../../main/core/jobsHandlers';

const item = (over: Partial<OutboxItem>): OutboxItem => ({
  id: 1,
  kind: 'job.archive',
  summary: 'Archive "a"',
  state: 'pending',
  attempts: 0,
  lastError: null,
  jobIds: [5],
  batchId: 'b1',
  createdAt: 'x',
  updatedAt: 'x',
  ...over,
});

const progress = (sizes: Record<string, { total: number; done: number; failed: number }>) => (batchId: string) =>
  sizes[batchId] ?? { total: 0, done: 0, failed: 0 };

describe('bulkRunOf', () => {
  it('names an unsent item of a batch over several jobs, with what is left to send', () => {
    const run = bulkRunOf([item({ state: 'sending' })], progress({ b1: { total: 10, done: 3, failed: 1 } }));
    expect(run).toEqual({ batchId: 'b1', summary: 'Archive "a"', jobs: 10, unsent: 6 });
  });

  it('ignores a single-job batch, settled items, and kinds the grid does not run in bulk', () => {
    const sizes = progress({ b1: { total: 1, done: 0, failed: 0 }, b2: { total: 5, done: 0, failed: 0 } });
    expect(bulkRunOf([item({})], sizes)).toBeNull();
    for (const state of ['done', 'failed', 'conflict', 'needs_checking'] as const)
      expect(bulkRunOf([item({ batchId: 'b2', state })], sizes)).toBeNull();
    expect(bulkRunOf([item({ batchId: 'b2', kind: 'job.create' })], sizes)).toBeNull();
    expect(bulkRunOf([item({ batchId: null })], sizes)).toBeNull();
  });

  it('takes the newest of several runs', () => {
    const sizes = progress({ b1: { total: 4, done: 0, failed: 0 }, b2: { total: 6, done: 0, failed: 0 } });
    const run = bulkRunOf([item({ id: 1, batchId: 'b1' }), item({ id: 2, batchId: 'b2', kind: 'job.stop', summary: 'Stop "a"' })], sizes);
    expect(run).toMatchObject({ batchId: 'b2', summary: 'Stop "a"', jobs: 6 });
  });
});
