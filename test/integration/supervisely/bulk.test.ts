// Bulk helpers on 500 jobs against the local server: progress, a result per id, and a refused
// jobs.bulk.remove slice retried id by id so each refused id is reported with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { BulkProgress, BulkResult, SuperviselyApi } from '../../../main/supervisely/api';

let server: TestServer;
let api: SuperviselyApi;
let ids: number[];

beforeAll(async () => {
  server = await startTestLocalServer({ jobs: 700 });
  api = fastClient(server.localServer.url, server.localServer.adminToken);
  ids = (await api.jobs.list({ teamId: 8 })).slice(0, 500).map((j) => j.id);
  expect(ids).toHaveLength(500);
});
afterAll(() => server.close());

function expectMonotonic(progress: BulkProgress[], total: number) {
  expect(progress).toHaveLength(total);
  progress.forEach((p, i) => expect(p).toEqual({ done: i + 1, total }));
}

const okIds = (results: BulkResult[]) => results.filter((r) => r.ok).map((r) => r.id);

describe('bulk actions on 500 jobs', () => {
  it('stops them all with monotonic progress and a result per id, in input order', async () => {
    const progress: BulkProgress[] = [];
    const results = await api.bulk.stop(ids, { onProgress: (p) => progress.push(p), concurrency: 8 });
    expectMonotonic(progress, 500);
    expect(results.map((r) => r.id)).toEqual(ids);
    expect(okIds(results)).toEqual(ids);
    const after = await api.jobs.list({ teamId: 8, ids });
    expect(after.every((j) => j.status === 'stopped')).toBe(true);
  });

  it('sets a status on all of them', async () => {
    const results = await api.bulk.setStatus(ids, 'completed');
    expect(okIds(results)).toEqual(ids);
    expect((await api.jobs.list({ teamId: 8, ids })).map((j) => j.status)).toEqual(ids.map(() => 'completed'));
  });

  it('reports per id when some fail (unknown ids answer 404)', async () => {
    const mixed = [ids[0]!, 987654, ids[1]!, 987655];
    const results = await api.bulk.stop(mixed);
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      [ids[0], true],
      [987654, false],
      [ids[1], true],
      [987655, false],
    ]);
    const failed = results[1]!;
    expect(failed.ok === false && failed.error.kind).toBe('not_found');
  });

  it('a manager bulk remove: every slice is refused, each id is reported as forbidden', async () => {
    const manager = fastClient(server.localServer.url, server.localServer.tokenFor('manager_001'));
    const progress: BulkProgress[] = [];
    const results = await manager.bulk.remove(ids, { onProgress: (p) => progress.push(p) });
    expectMonotonic(progress, 500);
    expect(results.map((r) => r.id)).toEqual(ids);
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('forbidden');
        expect(r.error.details.status).toBe(403);
      }
    }
    expect(await api.jobs.list({ teamId: 8, ids })).toHaveLength(500); // nothing was removed
  });

  it('a refused slice is split so the allowed ids are removed and only the refused ones fail', async () => {
    const developer = fastClient(server.localServer.url, server.localServer.tokenFor('developer_001'));
    const annotator = (await api.users.getTeamMembers(8)).find((m) => m.role === 'annotator')!;
    const own = await developer.jobs.create({ name: 'dev job', datasetId: 10555, userIds: [annotator.id] });
    const mine = own.map((j) => j.id);
    const mixed = [ids[10]!, mine[0]!, ids[11]!];
    const results = await developer.bulk.remove(mixed);
    expect(results.map((r) => [r.id, r.ok, r.ok ? null : r.error.kind])).toEqual([
      [ids[10], false, 'forbidden'],
      [mine[0], true, null],
      [ids[11], false, 'forbidden'],
    ]);
    expect(await api.jobs.getInfoById(mine[0]!)).toBeNull();
  });

  it('archives them all; an admin then removes them in slices of 50', async () => {
    const archived = await api.bulk.archive(ids);
    expect(okIds(archived)).toEqual(ids);
    expect(await api.jobs.list({ teamId: 8, ids })).toHaveLength(0);
    expect(await api.jobs.list({ teamId: 8, ids, showDisabled: true })).toHaveLength(500);
    const slices: number[] = [];
    const admin = fastClient(server.localServer.url, server.localServer.adminToken, {
      onAttempt: (e) => e.endpoint === 'jobs.bulk.remove' && slices.push(1),
    });
    const removed = await admin.bulk.remove(ids);
    expect(okIds(removed)).toEqual(ids);
    expect(slices).toHaveLength(10);
    expect(await api.jobs.list({ teamId: 8, ids, showDisabled: true })).toHaveLength(0);
  });
});
