// The grid fills during the first sync: after the first page of jobs is written the core says
// jobs.changed (all) while the sync is still running, and the cache already answers with those rows.
import { describe, expect, it } from 'vitest';
import { coreOnServer, waitFor } from '../support';

describe('first job rows', () => {
  const env = coreOnServer('ljd-firstrows-', { world: 'team', jobs: 1_500, start: false, runIn: 'thread' });

  it('reach the grid before the first sync ends', async () => {
    const { core } = env;
    const h = core.handlers;
    const seen: { syncing: boolean; rows: number }[] = [];
    core.on('jobs.changed', (e) => {
      if (!e.all) return;
      const firstPage = h['jobs.query']({ filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 10 });
      void Promise.all([h['sync.state']({}), firstPage]).then(([state, page]) =>
        seen.push({ syncing: state.syncing, rows: page.rows.length }),
      );
    });
    await core.start();
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt, 30_000);
    expect(seen.find((s) => s.syncing)).toMatchObject({ syncing: true, rows: 10 });
  }, 60_000);
});
