// jobs.list over real HTTP on a seeded team (300 realistic jobs): every SDK filter alone and
// combined (checked against a reference filter over the full listing), pagination edges, sorting,
// projection, showDisabled, the updatedAt extension and annotator visibility.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

interface Job {
  id: number;
  createdBy: number;
  userId: number;
  reviewerId: number | null;
  projectId: number;
  datasetId: number;
  labelingQueueId: number | null;
  status: string;
  disabled: boolean;
  updatedAt: string;
  name: string;
  createdAt: string;
  meta: unknown;
}

let server: TestLocalServer;
let all: Job[]; // every job, archived included
beforeAll(async () => {
  server = await startTestLocalServer({ jobs: 300 });
  const res = await server.call('jobs.list', { teamId: 8, showDisabled: true, filter: [], per_page: 10_000 });
  all = res.body.entities;
});
afterAll(() => server.stop());

const list = (filter: unknown[], extra: Record<string, unknown> = {}, token?: string) =>
  server.call('jobs.list', { teamId: 8, showDisabled: false, filter, sort: 'id', sort_order: 'asc', ...extra }, token);
const ids = (jobs: { id: number }[]) => jobs.map((j) => j.id);
const mostCommon = <T>(values: T[]): T => {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
};

describe('the seeded listing', () => {
  it('has 300 jobs in every status, some archived, in several projects and datasets', () => {
    expect(all).toHaveLength(300);
    expect(new Set(all.map((j) => j.status))).toEqual(
      new Set(['pending', 'in_progress', 'on_review', 'completed', 'stopped', 'review_completed']),
    );
    expect(all.some((j) => j.disabled)).toBe(true);
    expect(new Set(all.map((j) => j.projectId)).size).toBeGreaterThan(1);
    expect(new Set(all.map((j) => j.userId)).size).toBeGreaterThan(5);
    for (const j of all)
      expect(j.meta).toMatchObject({ classes: expect.any(Array), projectTags: [], imageTags: [], range: expect.any(Object) });
  });
});

describe('filters (each alone and combined, AND semantics)', () => {
  const cases: [string, () => unknown[], (j: Job) => boolean][] = [
    ['createdBy', () => [{ field: 'createdBy', operator: '=', value: 7 }], (j) => j.createdBy === 7],
    [
      'userId',
      () => [{ field: 'userId', operator: '=', value: mostCommon(all.map((j) => j.userId)) }],
      (j) => j.userId === mostCommon(all.map((x) => x.userId)),
    ],
    [
      'reviewerId (numeric string)',
      () => [{ field: 'reviewerId', operator: '=', value: String(mostCommon(all.map((j) => j.reviewerId))) }],
      (j) => j.reviewerId === mostCommon(all.map((x) => x.reviewerId)),
    ],
    ['projectId', () => [{ field: 'projectId', operator: '=', value: all[0]!.projectId }], (j) => j.projectId === all[0]!.projectId],
    ['datasetId', () => [{ field: 'datasetId', operator: '=', value: all[0]!.datasetId }], (j) => j.datasetId === all[0]!.datasetId],
    ['labelingQueueId = null', () => [{ field: 'labelingQueueId', operator: '=', value: null }], (j) => j.labelingQueueId === null],
    ['labelingQueueId in', () => [{ field: 'labelingQueueId', operator: 'in', value: [5, 6] }], () => false],
    [
      'status !in',
      () => [{ field: 'status', operator: '!in', value: ['completed', 'stopped'] }],
      (j) => !['completed', 'stopped'].includes(j.status),
    ],
    ['id in', () => [{ field: 'id', operator: 'in', value: [1, 2, 3, 50, 9999] }], (j) => [1, 2, 3, 50].includes(j.id)],
    [
      'id >= / <',
      () => [
        { field: 'id', operator: '>=', value: 10 },
        { field: 'id', operator: 'lt', value: '20' },
      ],
      (j) => j.id >= 10 && j.id < 20,
    ],
    ['name like', () => [{ field: 'name', operator: 'like', value: 'batch_01%' }], (j) => j.name.startsWith('batch_01')],
    ['name !ilike', () => [{ field: 'name', operator: '!ilike', value: '%CITY%' }], (j) => !j.name.toLowerCase().includes('city')],
    [
      'createdBy + userId',
      () => [
        { field: 'createdBy', operator: '=', value: 7 },
        { field: 'userId', operator: '=', value: mostCommon(all.map((j) => j.userId)) },
      ],
      (j) => j.createdBy === 7 && j.userId === mostCommon(all.map((x) => x.userId)),
    ],
    [
      'all SDK filters combined',
      () => [
        { field: 'createdBy', operator: '=', value: 7 },
        { field: 'projectId', operator: '=', value: all[0]!.projectId },
        { field: 'labelingQueueId', operator: '=', value: null },
        { field: 'status', operator: '!in', value: ['completed'] },
      ],
      (j) => j.createdBy === 7 && j.projectId === all[0]!.projectId && j.labelingQueueId === null && j.status !== 'completed',
    ],
  ];
  for (const [name, filter, keep] of cases) {
    it(name, async () => {
      const res = await list(filter(), { per_page: 10_000 });
      expect(res.status).toBe(200);
      const expected = all.filter((j) => !j.disabled && keep(j)).map((j) => j.id);
      expect(ids(res.body.entities)).toEqual(expected);
      expect(res.body.total).toBe(expected.length);
    });
  }

  it('showDisabled:false hides archived jobs, true includes them', async () => {
    const hidden = await list([], { per_page: 10_000 });
    expect(hidden.body.total).toBe(all.filter((j) => !j.disabled).length);
    expect(hidden.body.entities.every((j: Job) => !j.disabled)).toBe(true);
    const shown = await list([], { showDisabled: true, per_page: 10_000 });
    expect(shown.body.total).toBe(300);
  });

  it('updatedAt > / >= (extension) compares instants', async () => {
    const sorted = [...all].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const pivot = sorted[150]!.updatedAt;
    const res = await list([{ field: 'updatedAt', operator: '>', value: pivot }], { showDisabled: true, per_page: 10_000 });
    expect(ids(res.body.entities)).toEqual(all.filter((j) => j.updatedAt > pivot).map((j) => j.id));
    const shifted = pivot.replace('Z', '+00:00');
    const ge = await list([{ field: 'updatedAt', operator: '>=', value: shifted }], { showDisabled: true, per_page: 10_000 });
    expect(ge.body.total).toBe(all.filter((j) => j.updatedAt >= pivot).length);
  });

  it('unknown field, unknown operator and bad values answer 400 with a message', async () => {
    const bad = [
      [{ field: 'color', operator: '=', value: 1 }],
      [{ field: 'id', operator: '~', value: 1 }],
      [{ field: 'id', operator: '=', value: 'abc' }],
      [{ field: 'status', operator: '=', value: 'done' }],
      [{ field: 'id', operator: 'in', value: 5 }],
      [{ field: 'id', operator: '>', value: null }],
      [{ field: 'createdBy', operator: 'like', value: '7%' }],
      [{ field: 'updatedAt', operator: '>', value: 'yesterday' }],
      [{ field: 'id', operator: '=' }],
      'not-an-array',
    ];
    for (const filter of bad) {
      const res = await server.call('jobs.list', { teamId: 8, filter });
      expect(res.status, JSON.stringify(filter)).toBe(400);
      errorMessage(res);
    }
  });
});

describe('pagination and sorting', () => {
  it('default page size 500 and the pages of 1000-row style paging add up', async () => {
    const visible = all.filter((j) => !j.disabled);
    const first = await list([]);
    expect(first.body).toMatchObject({ total: visible.length, perPage: 500, pagesCount: 1 });
    const per = 40;
    const pagesCount = Math.ceil(visible.length / per);
    const collected: number[] = [];
    for (let page = 1; page <= pagesCount; page++) {
      const res = await list([], { page, per_page: per });
      expect(res.body).toMatchObject({ total: visible.length, perPage: per, pagesCount });
      collected.push(...ids(res.body.entities));
    }
    expect(collected).toEqual(ids(visible));
    const last = await list([], { page: pagesCount, per_page: per });
    expect(last.body.entities).toHaveLength(visible.length - (pagesCount - 1) * per);
    const past = await list([], { page: pagesCount + 1, per_page: per });
    expect(past.body.entities).toEqual([]);
    expect(past.body.total).toBe(visible.length);
  });

  it('exactly one page and an empty result', async () => {
    const five = await list([{ field: 'id', operator: 'in', value: [1, 2, 3, 4, 5] }], { showDisabled: true, per_page: 5 });
    expect(five.body).toMatchObject({ total: 5, perPage: 5, pagesCount: 1 });
    expect(five.body.entities).toHaveLength(5);
    const empty = await list([{ field: 'id', operator: '=', value: 99999 }]);
    expect(empty.body).toEqual({ total: 0, perPage: 500, pagesCount: 0, entities: [] });
  });

  it('rejects non-positive page/per_page and unknown sort fields', async () => {
    expect((await list([], { page: 0 })).status).toBe(400);
    expect((await list([], { per_page: -1 })).status).toBe(400);
    expect((await list([], { per_page: '10' })).status).toBe(400);
    expect((await list([], { sort: 'color' })).status).toBe(400);
    expect((await list([], { sort_order: 'up' })).status).toBe(400);
  });

  it('sorts by documented fields in both directions (ties by id)', async () => {
    for (const [sort, key] of [
      ['createdAt', 'createdAt'],
      ['updatedAt', 'updatedAt'],
      ['name', 'name'],
      ['status', 'status'],
      ['userId', 'userId'],
    ] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const res = await list([], { sort, sort_order: order, per_page: 10_000 });
        const got = res.body.entities as Job[];
        const expected = all
          .filter((j) => !j.disabled)
          .sort((a, b) => {
            const c = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id - b.id;
            return order === 'asc' ? c : -c;
          });
        expect(ids(got), `${sort} ${order}`).toEqual(ids(expected));
      }
    }
  });

  it('fields projection returns only the requested keys (id always)', async () => {
    const res = await list([], { fields: ['id'], per_page: 3 });
    expect(res.body.entities).toEqual([{ id: expect.any(Number) }, { id: expect.any(Number) }, { id: expect.any(Number) }]);
    const two = await list([], { fields: ['status', 'unknownKey'], per_page: 1 });
    expect(Object.keys(two.body.entities[0]).sort()).toEqual(['id', 'status']);
  });

  it('jobs.list entities carry no entities key', async () => {
    const res = await list([], { per_page: 1 });
    expect(res.body.entities[0]).not.toHaveProperty('entities');
  });
});

describe('visibility', () => {
  it('an annotator sees only jobs where they are assignee or reviewer; others are 404 in jobs.info', async () => {
    const login = 'annotator_001';
    const token = server.tokenFor(login);
    const me = (await server.call('users.me', {}, token)).body.id as number;
    const res = await list([], { showDisabled: true, per_page: 10_000 }, token);
    const expected = all.filter((j) => j.userId === me || j.reviewerId === me).map((j) => j.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(res.body.entities)).toEqual(expected);
    const other = all.find((j) => j.userId !== me && j.reviewerId !== me && !j.disabled)!;
    expect((await server.call('jobs.info', { id: other.id }, token)).status).toBe(404);
    const mine = all.find((j) => j.userId === me && !j.disabled)!;
    expect((await server.call('jobs.info', { id: mine.id }, token)).status).toBe(200);
  });

  it('a viewer sees every job; a caller outside the team gets 404 for the team', async () => {
    const viewer = server.tokenFor('viewer_001');
    expect((await list([], { per_page: 1 }, viewer)).body.total).toBe(all.filter((j) => !j.disabled).length);
    await server.call('users.add', { login: 'outsider', password: 'x', isRestricted: false, name: '', email: '' });
    const res = await list([], {}, server.tokenFor('outsider'));
    expect(res.status).toBe(404);
    errorMessage(res);
  });
});
