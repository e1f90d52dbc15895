// outbox.retryRefused sends every refused change of one batch, or of all, again: not only those a list page
// holds (the sync page lists the newest 1,000, a batch's problems the newest 5,000).
import { describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import { adminApi, coreOnServer, TEAM, waitFor } from '../support';

describe('outbox.retryRefused', () => {
  const env = coreOnServer('ljd-retryrefused-', { jobs: 12 });

  it('retries the refused changes of a batch, then of all, each once', async () => {
    const { core, server } = env;
    const h = core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
    const ids = Array.from(decodeIdRuns((await h['jobs.idSet']({ filter: { teamId: TEAM } })).runs));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    // six jobs removed on the server behind the app's back: their stops are refused (not found)
    const gone = ids.slice(0, 6);
    await adminApi(server.url, server.adminToken).jobs.removeBatch(gone);
    const first = await h['jobs.stop']({ ids: gone.slice(0, 3) });
    const second = await h['jobs.stop']({ ids: gone.slice(3) });
    const third = await h['jobs.stop']({ ids: [ids[6]!] });
    const refused = async (batchId: string) => h['outbox.list']({ batchId, states: ['failed', 'conflict'], limit: 100 });
    await waitFor(
      'all refused',
      async () => (await h['sync.state']({})).outboxProblems === 6 && (await h['sync.state']({})).outboxPending === 0,
    );
    expect(await h['outbox.batchProgress']({ batchId: third.batchId })).toEqual({
      done: 1,
      failed: 0,
      total: 1,
      writing: 0,
      cancelling: 0,
    });

    expect(await h['outbox.retryRefused']({ batchId: first.batchId })).toEqual({ changes: 3, jobs: 3 });
    await waitFor('refused again', async () => (await refused(first.batchId)).length === 3);
    expect((await refused(first.batchId)).map((i) => i.attempts)).toEqual([2, 2, 2]);
    // the other batch was left as it was
    expect((await refused(second.batchId)).map((i) => i.attempts)).toEqual([1, 1, 1]);

    expect(await h['outbox.retryRefused']({})).toEqual({ changes: 6, jobs: 6 });
    await waitFor(
      'all refused again',
      async () => (await h['sync.state']({})).outboxProblems === 6 && (await h['sync.state']({})).outboxPending === 0,
    );
    expect((await refused(first.batchId)).map((i) => i.attempts)).toEqual([3, 3, 3]);
    expect((await refused(second.batchId)).map((i) => i.attempts)).toEqual([2, 2, 2]);
    // nothing refused is left of the third batch: nothing to retry there
    expect(await h['outbox.retryRefused']({ batchId: third.batchId })).toEqual({ changes: 0, jobs: 0 });
  });
});
