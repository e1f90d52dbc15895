// What a newer or quirkier server sends, read as tolerantly as the SDK reads it, over real HTTP: an
// unknown status survives into a real cache file (filtered and counted on its own), one bad row is
// skipped and logged while its page survives.
import { afterEach, describe, expect, it } from 'vitest';
import { fastClient, json, startTinyServer, type TinyServer } from './support';
import { JobGridRowSchema } from '#shared/contract';
import { recordFromServer } from '../../../main/cache';
import { tempCache } from '../../unit/cache/helpers';

let tiny: TinyServer | undefined;
afterEach(async () => {
  await tiny?.close();
  tiny = undefined;
});

const job = (id: number | string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `job ${id}`,
  teamId: 8,
  workspaceId: 349,
  projectId: 5555,
  datasetId: 10555,
  createdBy: 7,
  userId: 102,
  createdAt: '2022-10-05T08:42:30.588Z',
  status: 'pending',
  meta: { classes: [], projectTags: [], imageTags: [], range: { start: null, end: null } },
  ...extra,
});

/** Pages of two rows of `rows`, as the server pages them. */
function pagedServer(rows: unknown[]): Promise<TinyServer> {
  return startTinyServer((req, res) => {
    const page = (req.body as { page?: number }).page ?? 1;
    json(res, 200, {
      total: rows.length,
      perPage: 2,
      pagesCount: Math.ceil(rows.length / 2),
      entities: rows.slice((page - 1) * 2, page * 2),
    });
  });
}

describe('jobs.list from a newer server', () => {
  it('keeps unknown statuses, nulls, string ids and other date forms; skips and logs the one bad row', async () => {
    tiny = await pagedServer([
      job(1),
      job('2', { status: 'quality_check', createdAt: '2022-10-05 08:42:30.588123', datasetId: null, newKey: [1] }),
      job(3, { createdAt: 'last tuesday' }),
      job(4, { status: 'quality_check', startedAt: '2022-10-05T10:42:30+02:00' }),
      job(5, { status: 'completed' }),
    ]);
    const log: string[] = [];
    const api = fastClient(tiny.url, 't', { log: (line) => log.push(line) });
    const jobs = await api.jobs.list({ teamId: 8 });

    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      [1, 'pending'],
      [2, 'quality_check'],
      [4, 'quality_check'],
      [5, 'completed'],
    ]);
    expect(jobs[1]).toMatchObject({ createdAt: '2022-10-05T08:42:30.588Z', datasetId: null });
    expect(jobs[2]!.startedAt).toBe('2022-10-05T08:42:30.000Z');
    expect(jobs.skipped).toEqual([{ id: 3, field: 'entities[0].createdAt', message: expect.stringContaining('last tuesday') }]);
    expect(log).toEqual([
      expect.stringMatching(/^jobs\.list: skipped the row with id 3 \(entities\[0\]\.createdAt\): .*not an ISO-8601 timestamp/),
    ]);

    // The stream reports the skipped row with its page.
    const pages = [];
    for await (const page of api.jobs.listPages({ teamId: 8 })) pages.push([page.length, page.skipped.length]);
    expect(pages).toEqual([
      [2, 0],
      [1, 1],
      [1, 0],
    ]);

    // Into a real cache file: the unknown status is kept, filtered on and counted apart.
    const { cache, cleanup } = tempCache();
    try {
      cache.jobs.upsert(jobs.map(recordFromServer));
      const sort = { column: 'id', direction: 'asc' } as const;
      const { rows } = cache.jobs.query({ statuses: ['quality_check'] }, sort, 0, 10);
      expect(rows.map((r) => [r.id, r.status])).toEqual([
        [2, 'quality_check'],
        [4, 'quality_check'],
      ]);
      for (const row of rows) expect(JobGridRowSchema.parse(row)).toEqual(row); // passes the contract unchanged
      expect(await cache.jobs.countsByStatus({})).toEqual(
        expect.arrayContaining([
          { status: 'quality_check', count: 2 },
          { status: 'pending', count: 1 },
          { status: 'completed', count: 1 },
        ]),
      );
    } finally {
      cleanup();
    }
  });

  it('a page whose rows all fail still answers (every row skipped), and the totals still add up', async () => {
    tiny = await pagedServer([job(1, { meta: null }), job(2, { meta: null })]);
    const jobs = await fastClient(tiny.url, 't').jobs.list({ teamId: 8 });
    expect(jobs).toHaveLength(0);
    expect(jobs.skipped.map((r) => [r.id, r.field])).toEqual([
      [1, 'entities[0].meta'],
      [2, 'entities[1].meta'],
    ]);
  });

  it('a job read by id with an unknown status and entity review statuses is kept as sent', async () => {
    tiny = await startTinyServer((_req, res) =>
      json(
        res,
        200,
        job(9, {
          status: 'review_in_progress',
          entities: [
            { id: 1, reviewStatus: 'quality_check_accepted' },
            { id: 2, reviewStatus: null },
          ],
        }),
      ),
    );
    const info = await fastClient(tiny.url, 't').jobs.getInfoById(9);
    expect(info).toMatchObject({
      status: 'review_in_progress',
      entities: [
        { id: 1, name: null, reviewStatus: 'quality_check_accepted' },
        { id: 2, name: null, reviewStatus: null },
      ],
    });
  });
});
