// Paging whole lists by key (issue 14): jobs.list with showDisabled and teams.activity read page after page
// answer exactly what one big page answers, also when the data changes between two pages, and pages asked
// out of order are right too. Speed is measured in bench:local-server, not here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLocalServer, type TestLocalServer } from './helpers';

let localServer: TestLocalServer;
beforeAll(async () => {
  localServer = await startTestLocalServer({ jobs: 3000 });
});
afterAll(() => localServer.stop());

const ids = (body: { entities: { id: number }[] }) => body.entities.map((e) => e.id);

async function allPages(method: string, body: Record<string, unknown>, perPage: number, between?: (page: number) => Promise<void>) {
  const out: number[] = [];
  for (let page = 1; ; page++) {
    const res = await localServer.call(method, { ...body, page, per_page: perPage });
    expect(res.status).toBe(200);
    out.push(...ids(res.body));
    if (page >= res.body.pagesCount) return out;
    await between?.(page);
  }
}

describe('jobs.list, whole team with archived jobs', () => {
  const query = { teamId: 8, showDisabled: true, filter: [] };

  it('page after page gives every job once, in id order, as one big page does (both directions)', async () => {
    const whole = ids((await localServer.call('jobs.list', { ...query, per_page: 100_000 })).body);
    expect(whole.length).toBe(3000);
    expect(await allPages('jobs.list', query, 250)).toEqual(whole);
    expect(await allPages('jobs.list', { ...query, sort: 'id', sort_order: 'desc' }, 333)).toEqual([...whole].reverse());
  });

  it('a change between two pages is seen as a fresh read would see it (no stale page boundary)', async () => {
    const before = ids((await localServer.call('jobs.list', { ...query, per_page: 100_000 })).body);
    const victims = [before[260]!, before[10]!];
    const read = await allPages('jobs.list', query, 250, async (page) => {
      if (page === 1) expect((await localServer.call('jobs.bulk.remove', { ids: victims })).status).toBe(200);
    });
    const after = ids((await localServer.call('jobs.list', { ...query, per_page: 100_000 })).body);
    expect(after.length).toBe(before.length - 2);
    // page 1 was read before the removal; every later page is the page of the list after it
    expect(read).toEqual([...before.slice(0, 250), ...after.slice(250)]);
  });

  it('a page asked out of order (a deep page first, then its predecessor) is right', async () => {
    const whole = ids((await localServer.call('jobs.list', { ...query, per_page: 100_000 })).body);
    for (const page of [9, 3, 4, 12, 11]) {
      const res = await localServer.call('jobs.list', { ...query, page, per_page: 250 });
      expect(ids(res.body)).toEqual(whole.slice((page - 1) * 250, page * 250));
    }
  });
});

describe('teams.activity', () => {
  it('is counted and paged by key over the feed alone: pages equal one big page, names still filled in', async () => {
    const whole = (await localServer.call('teams.activity', { teamId: 8, per_page: 1_000_000 })).body;
    expect(whole.total).toBeGreaterThan(3000);
    expect(await allPages('teams.activity', { teamId: 8 }, 1000)).toEqual(ids(whole));
    const row = whole.entities.find((e: { jobId: number | null; job: string | null }) => e.jobId !== null);
    expect(row).toMatchObject({
      user: expect.any(String),
      project: expect.any(String),
      dataset: expect.any(String),
      job: expect.any(String),
    });
  });

  it('filtered by action type: the total is the number of rows of that type', async () => {
    const whole = (await localServer.call('teams.activity', { teamId: 8, per_page: 1_000_000 })).body;
    const created = whole.entities.filter((e: { action: string }) => e.action === 'job_created').length;
    const res = await localServer.call('teams.activity', {
      teamId: 8,
      filter: [{ field: 'type', operator: '=', value: 'job_created' }],
      per_page: 7,
    });
    expect(res.body.total).toBe(created);
    expect(res.body.pagesCount).toBe(Math.ceil(created / 7));
  });
});
