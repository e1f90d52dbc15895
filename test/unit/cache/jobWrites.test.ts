// Job writes on a real SQLite file: an upsert of a server copy that is already stored writes
// nothing, while one that differs, or meets a row a patch changed, is written.
import { afterEach, describe, expect, it } from 'vitest';
import { recordFromServer, type JobRecord } from '../../../main/cache';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempCache } from './helpers';

let cleanup = () => {};
afterEach(() => cleanup());

const withFingerprint = (r: JobRecord, fingerprint: string): JobRecord => ({ ...r, server_fingerprint: fingerprint });
/** rows SQLite really changed by the last statements */
const totalChanges = (ctx: ReturnType<typeof tempCache>) => ctx.cache.db.prepare('SELECT total_changes()').pluck().get() as number;

describe('job writes', () => {
  it('an upsert of the stored server copy writes nothing; a changed copy is written', () => {
    const ctx = tempCache();
    cleanup = ctx.cleanup;
    const [a, b] = syntheticJobs(2, 5).map((r, i) => withFingerprint(r, `fp${i}`));
    ctx.cache.jobs.upsert([a!, b!]);
    const before = totalChanges(ctx);
    ctx.cache.jobs.upsert([a!, b!]);
    expect(totalChanges(ctx)).toBe(before);
    ctx.cache.jobs.upsert([{ ...a!, name: 'renamed', server_fingerprint: 'fp-new' }]);
    expect(ctx.cache.jobs.get(a!.id)!.name).toBe('renamed');
    expect(Array.from(ctx.cache.jobs.sortedIds({ text: 'renamed' }))).toEqual([a!.id]);
  });

  it('the stored server copy is written again over an optimistic patch or local state', () => {
    const ctx = tempCache();
    cleanup = ctx.cleanup;
    const [a] = syntheticJobs(1, 6).map((r) => withFingerprint({ ...r, status: 'in_progress', disabled: 0 }, 'fp'));
    ctx.cache.jobs.upsert([a!]);
    ctx.cache.jobs.patch(a!.id, { status: 'stopped' });
    ctx.cache.jobs.upsert([a!]);
    expect(ctx.cache.jobs.get(a!.id)!.status).toBe('in_progress');
    ctx.cache.jobs.patch(a!.id, { disabled: 1, removing: 1 });
    ctx.cache.jobs.upsert([a!]);
    expect(ctx.cache.jobs.get(a!.id)).toMatchObject({ disabled: 0, removing: 0 });
    ctx.cache.jobs.markStale([a!.id]);
    ctx.cache.jobs.upsert([a!]);
    expect(ctx.cache.jobs.get(a!.id)!.stale).toBe(0);
  });

  it('a restore puts back every column that moved, flags the row stale, keeps what an older snapshot lacks, and brings back a removed row', () => {
    const ctx = tempCache();
    cleanup = ctx.cleanup;
    const [a] = syntheticJobs(1, 7).map((r) => withFingerprint({ ...r, status: 'in_progress', disabled: 0 }, 'fp'));
    const { jobs } = ctx.cache;
    jobs.upsert([a!]);
    const before = jobs.get(a!.id)!;
    // what a restart's optimistic effect does (a whole new record), then a patch of local flags
    jobs.upsert([{ ...a!, name: 'restarted copy', status: 'completed', images_count: 99, server_fingerprint: null }]);
    jobs.patch(a!.id, { disabled: 1, removing: 1 });
    jobs.restore(before);
    expect(jobs.get(a!.id)).toEqual({ ...before, stale: 1 });
    expect(Array.from(jobs.sortedIds({ text: 'restarted' }))).toEqual([]);

    const { description: _, ...older } = before; // a snapshot taken before a column existed
    jobs.patch(a!.id, { status: 'stopped' });
    ctx.cache.db.prepare('UPDATE jobs SET description = ? WHERE id = ?').run('kept', a!.id);
    jobs.restore(older as typeof before);
    expect(jobs.get(a!.id)).toMatchObject({ status: 'in_progress', description: 'kept', stale: 1 });

    jobs.delete(a!.id);
    jobs.restore(before);
    expect(jobs.get(a!.id)).toEqual({ ...before, stale: 1 });
  });

  it('rows made here (no fingerprint) are always written', () => {
    const ctx = tempCache();
    cleanup = ctx.cleanup;
    const [a] = syntheticJobs(1, 7);
    ctx.cache.jobs.upsert([{ ...a!, id: -3, local: 1 }]);
    ctx.cache.jobs.upsert([{ ...a!, id: -3, local: 1, name: 'second draft' }]);
    expect(ctx.cache.jobs.get(-3)!.name).toBe('second draft');
  });

  it('a fingerprint is the same for the same server copy and differs when a field changes', () => {
    const info = {
      id: 1,
      name: 'n',
      description: '',
      teamId: 1,
      workspaceId: 1,
      projectId: 1,
      datasetId: 1,
      createdById: 1,
      assignedToId: 2,
      reviewerId: null,
      reviewerLogin: null,
      createdAt: '2026-01-01T00:00:00Z',
      startedAt: null,
      finishedAt: null,
      updatedAt: null,
      status: 'pending',
      disabled: false,
      labelingQueueId: null,
      labelingExamId: null,
      imagesCount: 1,
      finishedImagesCount: 0,
      rejectedImagesCount: 0,
      acceptedImagesCount: 0,
      progressImagesCount: 0,
      classesToLabel: [],
      tagsToLabel: [],
      imagesRange: { start: null, end: null },
      objectsLimitPerImage: null,
      tagsLimitPerImage: null,
      filterImagesByTags: [],
      priority: 2,
      guideId: null,
    } as unknown as Parameters<typeof recordFromServer>[0];
    const one = recordFromServer(info).server_fingerprint;
    expect(recordFromServer(info).server_fingerprint).toBe(one);
    expect(recordFromServer({ ...info, name: 'm' }).server_fingerprint).not.toBe(one);
  });
});
