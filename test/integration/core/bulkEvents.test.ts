// A bulk run's answers are told to the page coalesced: which changes and which jobs they moved, at most every 100 ms
// with every id of the answers in between (one event per answer crossed the worker, the main process and the page).
import { describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import { coreOnServer, TEAM, waitFor } from '../support';

describe('events of a bulk run', () => {
  const env = coreOnServer('ljd-bulkevents-', { jobs: 300 });

  it('tells every change and job the answers moved, in far fewer events than answers', async () => {
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
    const ids = Array.from(decodeIdRuns((await h['jobs.idSet']({ filter: { teamId: TEAM } })).runs));
    expect(ids.length).toBeGreaterThanOrEqual(250);
    const changes = new Set<number>();
    const jobs = new Set<number>();
    let outboxEvents = 0;
    let jobsEvents = 0;
    const offs = [
      env.core.on('outbox.changed', (e) => {
        outboxEvents++;
        for (const id of e.ids) changes.add(id);
      }),
      env.core.on('jobs.changed', (e) => {
        jobsEvents++;
        for (const id of e.ids) jobs.add(id);
      }),
    ];
    const { batchId } = await h['jobs.stop']({ ids });
    await waitFor('all sent', async () => (await h['outbox.batchProgress']({ batchId })).done === ids.length);
    const sent = (await h['outbox.list']({ batchId, states: ['done'], limit: 1000 })).map((i) => i.id);
    expect(sent).toHaveLength(ids.length);
    await waitFor('the last answers told', async () => sent.every((id) => changes.has(id)) && ids.every((id) => jobs.has(id)));
    for (const off of offs) off();
    // each of the ~300 answers told its own before; the enqueue tells once, then one event per 100 ms at most
    expect(outboxEvents).toBeLessThan(ids.length / 4);
    expect(jobsEvents).toBeLessThan(ids.length / 4);
  }, 60_000);
});
