// Job listings against the local server seeded with 2,500 jobs: every filter of the tutorial (and
// the rest of JobListFilter) checked against the full list, and pagination across many pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import type { JobListFilter, JobWire } from '../../../main/supervisely/types';

let server: TestServer;
let api: SuperviselyApi;
let all: JobWire[]; // showDisabled: true, every job

/** `total` straight from the server with plain fetch, independent of the client under test. */
async function serverTotal(body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${server.localServer.url}/public/api/v3/jobs.list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.localServer.adminToken },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { total: number }).total;
}

beforeAll(async () => {
  server = await startTestLocalServer({ jobs: 2500 });
  api = fastClient(server.localServer.url, server.localServer.adminToken);
  all = await api.jobs.list({ teamId: 8, showDisabled: true });
});
afterAll(() => server.close());

describe('pagination', () => {
  it('reads all 2,500 jobs over 5 pages of 500, in id order, matching the server total', async () => {
    const pages: number[] = [];
    for await (const page of api.jobs.listPages({ teamId: 8, showDisabled: true })) pages.push(page.length);
    expect(pages).toEqual([500, 500, 500, 500, 500]);
    expect(all).toHaveLength(await serverTotal({ teamId: 8, showDisabled: true, filter: [] }));
    expect(all).toHaveLength(2500);
    const ids = all.map((j) => j.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('streams pages of a chosen size, in order, and agrees with the full list', async () => {
    const visible = await api.jobs.list({ teamId: 8 });
    const seen: number[] = [];
    let pages = 0;
    for await (const page of api.jobs.listPages({ teamId: 8 }, { perPage: 97 })) {
      pages++;
      seen.push(...page.map((j) => j.id));
    }
    expect(pages).toBe(Math.ceil(visible.length / 97));
    expect(seen).toEqual(visible.map((j) => j.id));
    expect(visible.length).toBe(await serverTotal({ teamId: 8, showDisabled: false, filter: [] }));
    expect(visible.length).toBeLessThan(all.length); // the seed archives some jobs
  });

  it('a client asking for small pages by default reads everything too', async () => {
    const small = fastClient(server.localServer.url, server.localServer.adminToken, { perPage: 250, pageConcurrency: 2 });
    expect((await small.jobs.list({ teamId: 8, showDisabled: true })).map((j) => j.id)).toEqual(all.map((j) => j.id));
  });

  it('stopping a stream early is fine (no unhandled failures)', async () => {
    for await (const page of api.jobs.listPages({ teamId: 8 }, { perPage: 10 })) {
      expect(page).toHaveLength(10);
      break;
    }
  });
});

describe('filters (each compared with filtering the full list here)', () => {
  const pick = <T>(values: T[]): T => values[Math.floor(values.length / 2)]!;
  const cases: [string, () => { filter: JobListFilter; keep: (j: JobWire) => boolean }][] = [
    ['no filter (archived hidden)', () => ({ filter: { teamId: 8 }, keep: (j) => !j.disabled })],
    [
      'createdBy (tutorial step 13)',
      () => {
        const c = pick(all.map((j) => j.createdById));
        return { filter: { teamId: 8, createdById: c }, keep: (j) => !j.disabled && j.createdById === c };
      },
    ],
    [
      'createdBy + assignedTo (tutorial step 14)',
      () => {
        const j0 = pick(all.filter((j) => !j.disabled));
        return {
          filter: { teamId: 8, createdById: j0.createdById, assignedToId: j0.assignedToId },
          keep: (j) => !j.disabled && j.createdById === j0.createdById && j.assignedToId === j0.assignedToId,
        };
      },
    ],
    ['showDisabled', () => ({ filter: { teamId: 8, showDisabled: true }, keep: () => true })],
    [
      'reviewer',
      () => {
        const r = pick(all.map((j) => j.reviewerId));
        return { filter: { teamId: 8, reviewerId: r! }, keep: (j) => !j.disabled && j.reviewerId === r };
      },
    ],
    [
      'project + dataset',
      () => {
        const j0 = pick(all);
        return {
          filter: { teamId: 8, projectId: j0.projectId, datasetId: j0.datasetId, showDisabled: true },
          keep: (j) => j.projectId === j0.projectId && j.datasetId === j0.datasetId,
        };
      },
    ],
    [
      'exclude statuses',
      () => ({
        filter: { teamId: 8, excludeStatuses: ['completed', 'stopped'] },
        keep: (j) => !j.disabled && j.status !== 'completed' && j.status !== 'stopped',
      }),
    ],
    [
      'not part of a queue',
      () => ({ filter: { teamId: 8, isPartOfQueue: false }, keep: (j) => !j.disabled && j.labelingQueueId === null }),
    ],
    [
      'queue ids (none in the seed)',
      () => ({ filter: { teamId: 8, queueIds: [1, 2] }, keep: (j) => !j.disabled && [1, 2].includes(j.labelingQueueId ?? -1) }),
    ],
    [
      'ids',
      () => {
        const ids = all.filter((_, i) => i % 97 === 0).map((j) => j.id);
        return { filter: { teamId: 8, ids, showDisabled: true }, keep: (j) => ids.includes(j.id) };
      },
    ],
    [
      'updatedSince (our extension)',
      () => {
        const since = pick(all.map((j) => j.updatedAt!).sort());
        return {
          filter: { teamId: 8, updatedSince: since, showDisabled: true },
          keep: (j) => Date.parse(j.updatedAt!) >= Date.parse(since),
        };
      },
    ],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const { filter, keep } = make();
    const expected = all.filter(keep).map((j) => j.id);
    const got = (await api.jobs.list(filter)).map((j) => j.id);
    expect(got).toEqual(expected);
    if (!filter.queueIds) expect(got.length).toBeGreaterThan(0);
    if (filter.showDisabled !== true || Object.keys(filter).length > 2) expect(got.length).toBeLessThan(all.length);
  });
});
