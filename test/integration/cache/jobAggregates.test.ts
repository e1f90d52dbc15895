// The charts' counts read a slice of ids at a time: on a real SQLite file they equal one GROUP BY statement over
// the whole table (renamed logins, negative offline ids, sparse ids, every filter shape), and the worker runs
// other tasks between slices.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFilter } from '#shared/contract';
import { openCache, type Cache } from '../../../main/cache';
import { createJobAggregates } from '../../../main/cache/jobAggregates';
import { whereForFilter } from '../../../main/cache/jobQuery';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../support';

const FILTERS: Record<string, JobFilter> = {
  none: {},
  archived: { showArchived: true },
  teamOpen: { teamId: 1, statuses: ['pending', 'in_progress', 'on_review'] },
  assignees: { assignedToId: [12, 13] },
  project: { projectId: [101, 105] },
  text: { text: 'lemon', showArchived: true },
  onlyPending: { onlyPending: true },
  nothing: { assignedToId: [] },
};

describe('job aggregates', () => {
  const t = tempDir('ljd-aggregates-');
  let cache: Cache;

  beforeAll(() => {
    cache = openCache(join(t.dir, 'cache.sqlite'));
    const jobs = syntheticJobs(1500, 5).map((r, i) => ({
      ...r,
      id: i % 2 === 0 ? r.id : r.id * 1000, // sparse ids: slices are counted in rows, not in ids
      // a login renamed on some of a user's jobs: max() picks one, by bytes
      assigned_to_login: i % 70 === 0 ? `renamed ${r.assigned_to_login}` : i % 90 === 0 ? `Ä ${r.assigned_to_login}` : r.assigned_to_login,
    }));
    for (let k = 1; k <= 30; k++) jobs.push({ ...jobs[k]!, id: -k, local: 1 }); // made offline
    cache.transaction(() => cache.jobs.upsert(jobs));
    const at = new Date().toISOString();
    cache.transaction(() => cache.outbox.enqueue({ kind: 'job.stop', payload: { jobId: 5 }, summary: 's', batchId: 'b', jobIds: [5] }, at));
  });
  afterAll(() => {
    cache?.close();
    t.cleanup();
  });

  const oneStatement = (select: string, groupBy: string, orderBy: string, filter: JobFilter) => {
    const where = whereForFilter(filter);
    return cache.db.prepare(`SELECT ${select} FROM jobs j WHERE ${where.sql} GROUP BY ${groupBy} ORDER BY ${orderBy}`).all(...where.params);
  };

  it('equal one GROUP BY over the whole table, for every filter and slice size', async () => {
    for (const sliceRows of [1, 7, 100, 5000]) {
      const aggregates = createJobAggregates(cache.db, { sliceRows });
      for (const [name, filter] of Object.entries(FILTERS)) {
        const label = `${name}, slices of ${sliceRows}`;
        expect(await aggregates.countsByStatus(filter), label).toEqual(
          oneStatement('j.status AS status, count(*) AS count', 'j.status', 'j.status', filter),
        );
        expect(await aggregates.countsByAssignee(filter), label).toEqual(
          oneStatement(
            `j.assigned_to_id AS userId, max(j.assigned_to_login) AS login, count(*) AS jobs, sum(j.images_count) AS images,
             sum(j.finished_images_count) AS finished, sum(j.accepted_images_count) AS accepted, sum(j.rejected_images_count) AS rejected`,
            'j.assigned_to_id',
            'login, userId',
            filter,
          ),
        );
        expect(await aggregates.createdPerDay(filter), label).toEqual(
          oneStatement('substr(j.created_at, 1, 10) AS day, count(*) AS count', 'day', 'day', filter),
        );
      }
    }
    expect((await createJobAggregates(cache.db).countsByAssignee({})).length).toBeGreaterThan(5);
  });

  it('lets the worker run other tasks between slices', async () => {
    const aggregates = createJobAggregates(cache.db, { sliceRows: 100 });
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const counts = await aggregates.countsByAssignee({ showArchived: true });
    ticking = false;
    expect(counts.reduce((sum, c) => sum + c.jobs, 0)).toBe(1530);
    expect(ticks).toBeGreaterThanOrEqual(14); // 1,530 rows in slices of 100: a turn of the loop between each two
  });
});
