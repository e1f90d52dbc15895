// Offline then online, through the core's handlers: pull, stop the server, queue 20 mixed changes
// (creates for two annotators, changes on offline-created jobs, stop/archive/remove/setStatus, a
// user with a team role), restart the server on the same data file and port, let the queue drain:
// the server holds exactly the expected jobs and states, and the cache agrees after the next pull.
import { describe, expect, it } from 'vitest';
import { addMembers, adminApi, coreOnServer, DATASET, TEAM, waitFor } from '../support';

describe('offline then online', () => {
  // started by the test once the server holds the jobs of before
  const env = coreOnServer('ljd-offline-', { start: false, runIn: 'thread' });

  it('queues 20 changes offline and the server ends in exactly the expected state', async () => {
    const { url, adminToken } = env.server;
    const admin = adminApi(url, adminToken);
    const u = await addMembers(admin, ['labeler_1', 'labeler_2']);
    const pre: Record<string, number> = {};
    for (let i = 1; i <= 6; i++) {
      const [job] = await admin.jobs.create({ name: `pre-${i}`, datasetId: DATASET, userIds: [u.labeler_1!] });
      pre[`pre-${i}`] = job!.id;
    }

    await env.core.start();
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
    expect(
      (await h['jobs.query']({ filter: { teamId: TEAM }, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 100 })).total,
    ).toBe(6);

    await env.server.close();

    const create = (name: string, userIds: number[]) =>
      h['jobs.create']({
        name,
        datasetId: DATASET,
        userIds,
        classesToLabel: ['lemon'],
        tagsToLabel: [],
        includeImagesWithTags: [],
        excludeImagesWithTags: [],
      });
    const ids: number[] = [];
    const count = <R extends { mutationIds: number[] }>(r: R): R => {
      ids.push(...r.mutationIds);
      return r;
    };
    const a = count(await create('off-A', [u.labeler_1!, u.labeler_2!]));
    const b = count(await create('off-B', [u.labeler_1!]));
    count(await h['jobs.stop']({ ids: b.jobIds }));
    const c = count(await create('off-C', [u.labeler_2!]));
    count(await h['jobs.archive']({ ids: c.jobIds }));
    count(await h['jobs.stop']({ ids: [pre['pre-1']!] }));
    count(await h['jobs.archive']({ ids: [pre['pre-2']!] }));
    count(await h['jobs.remove']({ ids: [pre['pre-3']!, pre['pre-4']!] }));
    count(await h['jobs.setStatus']({ ids: [pre['pre-5']!], status: 'completed' }));
    count(await h['jobs.setStatus']({ ids: [a.jobIds[0]!], status: 'in_progress' }));
    const newUser = count(
      await h['users.create']({
        login: 'off_user',
        password: 'password123',
        isRestricted: false,
        name: '',
        email: '',
        teamId: TEAM,
        roleId: 3,
      }),
    );
    count(await h['users.changeRole']({ userId: u.labeler_2!, teamId: TEAM, roleId: 6 }));
    count(await h['jobs.stop']({ ids: [pre['pre-6']!] }));
    count(await h['jobs.archive']({ ids: [pre['pre-6']!] }));
    const d = count(await create('off-D', [u.labeler_1!]));
    count(await h['jobs.remove']({ ids: d.jobIds }));
    count(await create('off-E', [newUser.userId]));
    expect(ids).toHaveLength(20);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids); // client ids grow monotonically

    // optimistic effects are visible at once
    const rows = (
      await h['jobs.query']({
        filter: { teamId: TEAM, showArchived: true },
        sort: { column: 'name', direction: 'asc' },
        offset: 0,
        limit: 100,
      })
    ).rows;
    const byName = (n: string) => rows.filter((r) => r.name === n);
    expect(byName('off-A').map((r) => r.local)).toEqual([true, true]);
    expect(byName('off-B')[0]!.status).toBe('stopped');
    expect(byName('off-C')[0]!.archived).toBe(true);
    expect(byName('pre-1')[0]).toMatchObject({ status: 'stopped', pendingCount: 1 });
    expect(byName('pre-3')[0]!.removing).toBe(true);
    expect(byName('off-E')[0]!.assignedToLogin).toBe('off_user');
    // the push loop's first try finds the server gone
    const state = await waitFor('offline noticed', async () => {
      const s = await h['sync.state']({});
      return s.online ? null : s;
    });
    expect(state.outboxPending).toBe(20);

    const server = await env.restartServer();
    await h['sync.now']({});
    await waitFor(
      'queue drained',
      async () => {
        const s = await h['sync.state']({});
        return s.outboxPending === 0 && s.online;
      },
      30_000,
    );
    const problems = await h['outbox.list']({ states: ['failed', 'conflict'], limit: 100 });
    expect(problems.map((p) => `${p.summary}: ${p.lastError}`)).toEqual([]);
    expect((await h['outbox.list']({ states: ['done'], limit: 100 })).map((i) => i.id).sort((x, y) => x - y)).toEqual(ids);

    // the server, seen by a separate client
    const check = adminApi(url, server.adminToken);
    const jobs = await check.jobs.list({ teamId: TEAM, showDisabled: true });
    const summary = jobs.map((j) => `${j.name}|${j.assignedToLogin}|${j.status}|${j.disabled ? 'archived' : 'active'}`).sort();
    expect(summary).toEqual([
      'off-A|labeler_1|in_progress|active',
      'off-A|labeler_2|pending|active',
      'off-B|labeler_1|stopped|active',
      'off-C|labeler_2|pending|archived',
      'off-E|off_user|pending|active',
      'pre-1|labeler_1|stopped|active',
      'pre-2|labeler_1|pending|archived',
      'pre-5|labeler_1|completed|active',
      'pre-6|labeler_1|stopped|archived',
    ]);
    const offUser = await check.users.getInfoByLogin('off_user');
    expect(offUser).not.toBeNull();
    expect((await check.users.getTeamRole(offUser!.id, TEAM))?.roleId).toBe(3);
    expect((await check.users.getTeamRole(u.labeler_2!, TEAM))?.roleId).toBe(6);

    // after the next pull the cache agrees with the server
    const before = (await h['sync.state']({})).lastSyncAt;
    await h['sync.now']({});
    await waitFor('pull after push', async () => {
      const s = await h['sync.state']({});
      return !s.syncing && s.lastSyncAt !== before;
    });
    const cached = (
      await h['jobs.query']({
        filter: { teamId: TEAM, showArchived: true },
        sort: { column: 'id', direction: 'asc' },
        offset: 0,
        limit: 100,
      })
    ).rows;
    expect(cached.map((r) => `${r.id}|${r.name}|${r.status}|${r.archived}|${r.local}|${r.pendingCount}`)).toEqual(
      [...jobs].sort((x, y) => x.id - y.id).map((j) => `${j.id}|${j.name}|${j.status}|${j.disabled}|false|0`),
    );
    const members = await h['users.members']({ teamId: TEAM });
    expect(members.find((m) => m.login === 'off_user')).toMatchObject({ id: offUser!.id, roleId: 3, pending: false });
  }, 60_000);
});
