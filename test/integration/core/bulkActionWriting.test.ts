// A bulk action of thousands of jobs answers once its first changes are queued (writing 100,000 takes seconds), its
// batch counted whole from then on, and the lead's Cancel stops the queuing and discards what is not sent: those jobs
// are never sent.
import { describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import { adminApi, coreOnServer, TEAM, waitFor } from '../support';

describe('a bulk action being queued', () => {
  const env = coreOnServer('ljd-bulkwriting-', { jobs: 4000 });

  it('answers before all its changes are queued, and a Cancel leaves the rest unsent', async () => {
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt, 60_000);
    const ids = Array.from(decodeIdRuns((await h['jobs.idSet']({ filter: { teamId: TEAM } })).runs));
    expect(ids.length).toBeGreaterThan(3000);
    const serverApi = adminApi(env.server.url, env.server.adminToken);
    const archivedOnServer = async () =>
      new Set((await serverApi.jobs.list({ teamId: TEAM, showDisabled: true })).filter((j) => j.disabled).map((j) => j.id));
    const archivedBefore = await archivedOnServer();
    const progress: { total: number; writing: number }[] = [];
    const off = env.core.on('batch.progress', (e) => progress.push(e));

    const { batchId, mutationIds } = await h['jobs.archive']({ ids });
    const atAnswer = await h['outbox.batchProgress']({ batchId });
    expect(atAnswer.total).toBe(ids.length);
    expect(atAnswer.writing).toBeGreaterThan(0);
    expect(mutationIds.length).toBeLessThan(ids.length);
    const { unwritten, discarded } = await h['outbox.cancelBatch']({ batchId });
    expect(unwritten).toBeGreaterThan(0);
    expect(unwritten).toBeLessThan(ids.length);
    const sent = ids.length - unwritten - discarded;

    await waitFor('the ones on the wire answered', async () => {
      const p = await h['outbox.batchProgress']({ batchId });
      return p.writing === 0 && p.cancelling === 0 && p.total === sent && p.done + p.failed === sent;
    });
    off();
    // every event of the batch counted the jobs still being written: none read as done before the stop
    expect(progress.filter((e) => e.total < ids.length && e.writing > 0)).toEqual([]);
    const archived = new Set([...(await archivedOnServer())].filter((id) => !archivedBefore.has(id)));
    expect(archived.size).toBe(sent);
    // the jobs the Cancel left out or took back still show as they were, with nothing queued for them
    const left = ids.filter((id) => !archived.has(id));
    expect(left).toHaveLength(unwritten + discarded);
    const shown = await h['jobs.get']({ id: left.at(-1)! });
    expect(shown).toMatchObject({ job: { archived: false }, outbox: [] });
    expect((await h['sync.state']({})).outboxPending).toBe(0);
  }, 120_000);
});
