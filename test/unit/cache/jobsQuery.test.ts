// The grid's reads against a plain-JS oracle over the same synthetic jobs: every filter key alone
// and combined, every sort column in both directions, windows, totals, ids and chart counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobSortColumnSchema, type JobFilter, type JobSortColumn } from '#shared/contract';
import type { JobRecord } from '../../../main/cache';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempCache } from './helpers';

const records = syntheticJobs(3000, 7);
let ctx: ReturnType<typeof tempCache>;
const pendingIds = new Set([5, 17, 2999]);
const problemId = 42;

beforeAll(() => {
  ctx = tempCache();
  ctx.cache.transaction(() => ctx.cache.jobs.upsert(records));
  const at = new Date().toISOString();
  ctx.cache.transaction(() => {
    for (const id of pendingIds)
      ctx.cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: id }, summary: 's', batchId: 'b', jobIds: [id] }, at);
    const bad = ctx.cache.outbox.enqueue(
      { kind: 'job.remove', payload: { jobId: problemId }, summary: 'r', batchId: 'b', jobIds: [problemId] },
      at,
    );
    ctx.cache.outbox.markProblem(bad, 'conflict', 'The server refused (403)', at);
  });
});
afterAll(() => ctx.cleanup());

const matches = (r: JobRecord, f: JobFilter): boolean => {
  if (f.teamId !== undefined && r.team_id !== f.teamId) return false;
  if (f.createdById && !f.createdById.includes(r.created_by_id)) return false;
  if (f.assignedToId && !f.assignedToId.includes(r.assigned_to_id)) return false;
  if (f.reviewerId && (r.reviewer_id === null || !f.reviewerId.includes(r.reviewer_id))) return false;
  if (f.projectId && !f.projectId.includes(r.project_id)) return false;
  if (f.datasetId && (r.dataset_id === null || !f.datasetId.includes(r.dataset_id))) return false;
  if (f.statuses && !f.statuses.includes(r.status)) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    if (!r.name.toLowerCase().includes(t) && !r.description.toLowerCase().includes(t)) return false;
  }
  if (!f.showArchived && r.disabled === 1) return false;
  if (f.onlyPending && !pendingIds.has(r.id) && r.id !== problemId) return false;
  return true;
};

const sortValue = (r: JobRecord, c: JobSortColumn): string | number | null =>
  ({
    id: r.id,
    name: r.name,
    status: r.status,
    assignedToLogin: r.assigned_to_login,
    reviewerLogin: r.reviewer_login,
    createdByLogin: r.created_by_login,
    projectName: r.project_name,
    datasetName: r.dataset_name,
    // no queue is in this cache: the grid's label of one is its id
    labelingQueueName: r.labeling_queue_id === null ? null : `Queue #${r.labeling_queue_id}`,
    progress: r.images_count > 0 ? r.finished_images_count / r.images_count : 0,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  })[c];

/** SQLite order: NULL first ascending, numbers before text, text by code unit; tie by id. */
const oracle = (f: JobFilter, column: JobSortColumn, dir: 'asc' | 'desc'): number[] => {
  const sign = dir === 'asc' ? 1 : -1;
  return records
    .filter((r) => matches(r, f))
    .sort((a, b) => {
      const va = sortValue(a, column),
        vb = sortValue(b, column);
      const c = va === null || vb === null ? (va === vb ? 0 : va === null ? -1 : 1) : va < vb ? -1 : va > vb ? 1 : 0;
      return sign * (c !== 0 ? c : a.id - b.id);
    })
    .map((r) => r.id);
};

const FILTERS: Record<string, JobFilter> = {
  none: {},
  team: { teamId: 2 },
  creator: { createdById: [3] },
  assignee: { assignedToId: [12, 13] },
  reviewer: { reviewerId: [1] },
  project: { projectId: [101, 105] },
  dataset: { datasetId: [1010, 1011] },
  statuses: { statuses: ['pending', 'stopped'] },
  textTrigram: { text: 'KIWI_PE' },
  textShort: { text: 'fi' },
  textDescription: { text: 'carefully' },
  archived: { showArchived: true },
  onlyPending: { onlyPending: true, showArchived: true },
  emptyList: { statuses: [] },
  creatorAndAssignee: { createdById: [2], assignedToId: [20, 21, 22, 23, 24, 25] },
  combinedAll: {
    teamId: 1,
    createdById: [1, 2, 3],
    projectId: [100, 101, 102, 103, 104, 105, 106],
    statuses: ['in_progress', 'completed', 'on_review'],
    text: 'lemon',
    showArchived: true,
  },
  reviewerAndDataset: { reviewerId: [2, 4], datasetId: Array.from({ length: 200 }, (_, i) => 1000 + i) },
};

describe('jobs.query against the oracle', () => {
  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`filter ${name}: total, ids and first window`, () => {
      const expected = oracle(filter, 'id', 'asc');
      const { rows, total } = ctx.cache.jobs.query(filter, { column: 'id', direction: 'asc' }, 0, 100);
      expect(total).toBe(expected.length);
      expect(rows.map((r) => r.id)).toEqual(expected.slice(0, 100));
      expect(Array.from(ctx.cache.jobs.sortedIds(filter))).toEqual([...expected].sort((a, b) => a - b));
      if (name !== 'emptyList' && name !== 'onlyPending') expect(expected.length).toBeGreaterThan(0);
    });
  }

  for (const column of JobSortColumnSchema.options) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`sort ${column} ${direction}: windows at start, middle and end`, () => {
        const filter: JobFilter = { showArchived: true };
        const expected = oracle(filter, column, direction);
        for (const offset of [0, 1234, expected.length - 50]) {
          const { rows } = ctx.cache.jobs.query(filter, { column, direction }, offset, 100);
          expect(rows.map((r) => r.id)).toEqual(expected.slice(offset, offset + 100));
        }
      });
    }
  }

  // the first window after a change is read with LIMIT where an index gives the order (the default sort);
  // it must be the full list's first window, with the full count, before and after a write
  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`filter ${name}, newest first: the first window after a write is the full list's`, () => {
      const sort = { column: 'createdAt', direction: 'desc' } as const;
      const expected = oracle(filter, 'createdAt', 'desc');
      for (let pass = 0; pass < 2; pass++) {
        ctx.cache.jobs.patch(expected[0] ?? 1, { stale: 0 }); // a write: no id list is kept
        const first = ctx.cache.jobs.query(filter, sort, 0, 40);
        expect(first.total).toBe(expected.length);
        expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 40));
        expect(ctx.cache.jobs.query(filter, sort, 40, 40).rows.map((r) => r.id)).toEqual(expected.slice(40, 80));
      }
    });
  }

  it('combined filter + sort + deep window', () => {
    const filter = FILTERS.combinedAll!;
    const expected = oracle(filter, 'assignedToLogin', 'desc');
    const { rows, total } = ctx.cache.jobs.query(filter, { column: 'assignedToLogin', direction: 'desc' }, 10, 7);
    expect(total).toBe(expected.length);
    expect(rows.map((r) => r.id)).toEqual(expected.slice(10, 17));
  });

  it('rows carry pendingCount and problem from the outbox', () => {
    const { rows } = ctx.cache.jobs.query({ onlyPending: true, showArchived: true }, { column: 'id', direction: 'asc' }, 0, 10);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(5)?.pendingCount).toBe(1);
    expect(byId.get(problemId)?.pendingCount).toBe(0);
    expect(byId.get(problemId)?.problem).toBe('The server refused (403)');
    expect(ctx.cache.jobs.row(6)?.pendingCount).toBe(0);
  });
});

describe('chart counts', () => {
  it('per status, per assignee and per day match the oracle', async () => {
    const filter: JobFilter = { teamId: 1 };
    const subset = records.filter((r) => matches(r, filter));
    const byStatus = new Map<string, number>();
    for (const r of subset) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(new Map((await ctx.cache.jobs.countsByStatus(filter)).map((s) => [s.status, s.count]))).toEqual(byStatus);

    const byAssignee = await ctx.cache.jobs.countsByAssignee(filter);
    const u12 = subset.filter((r) => r.assigned_to_id === 12);
    const row = byAssignee.find((a) => a.userId === 12)!;
    expect(row).toEqual({
      userId: 12,
      login: 'labeler_012',
      jobs: u12.length,
      images: u12.reduce((s, r) => s + r.images_count, 0),
      finished: u12.reduce((s, r) => s + r.finished_images_count, 0),
      accepted: u12.reduce((s, r) => s + r.accepted_images_count, 0),
      rejected: u12.reduce((s, r) => s + r.rejected_images_count, 0),
    });
    expect(byAssignee.reduce((s, a) => s + a.jobs, 0)).toBe(subset.length);

    const perDay = await ctx.cache.jobs.createdPerDay(filter);
    const day = perDay[3]!;
    expect(day.count).toBe(subset.filter((r) => r.created_at.startsWith(day.day)).length);
    expect(perDay.reduce((s, d) => s + d.count, 0)).toBe(subset.length);
  });
});
