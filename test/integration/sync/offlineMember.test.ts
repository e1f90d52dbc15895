// Issue 10 defect 2: a member created offline (with a team role, and a job assigned to it) must end
// with its server id once the server is back — never stay "queued" in Team under its local id.
// The race is between the push (create, then add to team) and the pull that runs when coming back,
// so it is tried several times, each on a fresh data folder.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import type { RunningLocalServer } from '../../../main/local-server';
import { addMembers, adminApi, DATASET, startServer, TEAM, tempDir, waitFor } from '../support';

const RUNS = 6;

describe('a member created offline', () => {
  const t = tempDir('ljd-member-');
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  it(`gets its server id in Team and in the jobs (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const dir = join(t.dir, `run-${run}`);
      mkdirSync(dir);
      let server: RunningLocalServer = await startServer(dir, { latencyMs: (run % 3) * 15 });
      const { port, url, adminToken } = server;
      await addMembers(adminApi(url, adminToken), ['labeler_1']);
      const profileOverride = { serverAddress: url, apiToken: adminToken };
      const core: Core = createCore({ dataDir: dir, profileOverride, homeDir: dir, syncIntervalSec: 3600 });
      closers.push(() => core.close());
      await core.start();
      const h = core.handlers;
      await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
      await server.close();

      // create the account in the team in one go (odd runs), or as two steps with a job for it queued
      // between them: the job must still wait until its annotator is a member
      const user = { login: 'labeler_2', password: 'password123', isRestricted: false, name: '', email: '' };
      const created = await h['users.create'](run % 2 ? { ...user, teamId: TEAM, roleId: 3 } : user);
      await h['jobs.create']({
        name: `for labeler_2 #${run}`,
        datasetId: DATASET,
        userIds: [created.userId],
        classesToLabel: [],
        tagsToLabel: [],
        includeImagesWithTags: [],
        excludeImagesWithTags: [],
      });
      if (run % 2 === 0) await h['users.addToTeam']({ userId: created.userId, teamId: TEAM, roleId: 3 });
      const queued = (await h['users.members']({ teamId: TEAM })).find((m) => m.login === 'labeler_2');
      expect(queued).toMatchObject({ id: created.userId, pending: true });

      server = await startServer(dir, { port, latencyMs: (run % 3) * 15 });
      const back = server;
      closers.push(() => back.close());
      await h['sync.now']({});
      await waitFor('the queue to drain', async () => (await h['sync.state']({})).outboxPending === 0, 30_000);
      // the pull that was running when the server came back may still be writing its member list
      await waitFor('a pull after the queue drained', async () => !(await h['sync.state']({})).syncing, 30_000);
      await h['sync.now']({});
      await waitFor('the last pull', async () => !(await h['sync.state']({})).syncing, 30_000);

      const onServer = (await adminApi(url, adminToken).users.getTeamMembers(TEAM)).find((m) => m.login === 'labeler_2');
      const member = (await h['users.members']({ teamId: TEAM })).filter((m) => m.login === 'labeler_2');
      expect(member, `run ${run}`).toEqual([expect.objectContaining({ id: onServer!.id, pending: false, roleId: 3 })]);
      const sort = { column: 'id', direction: 'asc' } as const;
      const jobs = await h['jobs.query']({ filter: { teamId: TEAM, assignedToId: [onServer!.id] }, sort, offset: 0, limit: 10 });
      expect(jobs.total, `run ${run}`).toBe(1);
      expect(await h['outbox.list']({ states: ['failed', 'conflict', 'needs_checking'], limit: 10 }), `run ${run}`).toEqual([]);
      await core.close();
      closers.pop();
    }
  }, 180_000);
});

describe('a member created while online', () => {
  const t = tempDir('ljd-member-online-');
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  it(`is added to the team by its local id while its create is on the wire, and gets its server id (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const dir = join(t.dir, `run-${run}`);
      mkdirSync(dir);
      const server = await startServer(dir, { latencyMs: 10 + run * 15 });
      closers.push(() => server.close());
      await addMembers(adminApi(server.url, server.adminToken), ['labeler_1']);
      const profileOverride = { serverAddress: server.url, apiToken: server.adminToken };
      const core: Core = createCore({ dataDir: dir, profileOverride, homeDir: dir, syncIntervalSec: 3600 });
      closers.push(() => core.close());
      await core.start();
      const h = core.handlers;
      await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
      const created = await h['users.create']({ login: 'labeler_2', password: 'password123', isRestricted: false, name: '', email: '' });
      await h['sync.now']({});
      await new Promise((r) => setTimeout(r, run * 7));
      await h['users.addToTeam']({ userId: created.userId, teamId: TEAM, roleId: 3 });
      await h['jobs.create']({
        name: `for labeler_2 #${run}`,
        datasetId: DATASET,
        userIds: [created.userId],
        classesToLabel: [],
        tagsToLabel: [],
        includeImagesWithTags: [],
        excludeImagesWithTags: [],
      });
      await waitFor('the queue to drain', async () => (await h['sync.state']({})).outboxPending === 0, 30_000);
      await waitFor('no pull running', async () => !(await h['sync.state']({})).syncing, 30_000);
      const members = await adminApi(server.url, server.adminToken).users.getTeamMembers(TEAM);
      const onServer = members.find((m) => m.login === 'labeler_2');
      const member = (await h['users.members']({ teamId: TEAM })).filter((m) => m.login === 'labeler_2');
      expect(member, `run ${run}`).toEqual([expect.objectContaining({ id: onServer!.id, pending: false })]);
      expect(await h['outbox.list']({ states: ['failed', 'conflict'], limit: 10 }), `run ${run}`).toEqual([]);
      await core.close();
      closers.pop();
    }
  }, 180_000);
});
