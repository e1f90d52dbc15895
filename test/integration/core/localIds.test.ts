// A screen that still holds the local id of an offline-created job or user (opened before the
// server answered) keeps working: the core swaps in the server id the object received.
import { describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import { adminApi, coreOnServer, DATASET, TEAM, waitFor } from '../support';

describe('requests naming a remapped local id', () => {
  const env = coreOnServer('ljd-localids-');

  it('reach the server id of the job or user they were created as', async () => {
    const { core, server } = env;
    const h = core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);

    const user = await h['users.create']({ login: 'late_adder', password: 'password123', isRestricted: false, name: '', email: '' });
    const job = await h['jobs.create']({
      name: 'remapped job',
      datasetId: DATASET,
      userIds: [7],
      classesToLabel: [],
      tagsToLabel: [],
      includeImagesWithTags: [],
      excludeImagesWithTags: [],
    });
    const localJob = job.jobIds[0]!;
    expect(user.userId).toBeLessThan(0);
    expect(localJob).toBeLessThan(0);
    await waitFor('both sent', async () => (await h['sync.state']({})).outboxPending === 0);
    const serverJob = decodeIdRuns((await h['jobs.idSet']({ filter: { text: 'remapped job' } })).runs)[0]!;
    expect(serverJob).toBeGreaterThan(0);

    // the old local ids still work, through every kind of field
    expect((await h['jobs.get']({ id: localJob }))!.job.id).toBe(serverJob);
    await h['jobs.stop']({ ids: [localJob] });
    await h['users.addToTeam']({ userId: user.userId, teamId: TEAM, roleId: 3 });
    await waitFor('changes sent', async () => (await h['sync.state']({})).outboxPending === 0);
    const problems = await h['outbox.list']({ states: ['failed', 'conflict'], limit: 100 });
    expect(problems).toEqual([]);

    const api = adminApi(server.url, server.adminToken);
    expect((await api.jobs.getInfoById(serverJob))!.status).toBe('stopped');
    const added = (await api.users.getTeamMembers(TEAM)).find((m) => m.login === 'late_adder');
    expect(added).toMatchObject({ roleId: 3 });
  });
});
