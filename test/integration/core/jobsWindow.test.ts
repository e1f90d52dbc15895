// jobs.window, the grid's rows as arrays of GRID_ROW_FIELDS' values: read back with gridRowOf they are the rows
// jobs.query lists (the grid's fields of them), in the same order, for a team over real HTTP; the answer passes
// the contract, and it is under half the JSON of jobs.query's (keys and the fields the grid does not draw left out).
import { describe, expect, it } from 'vitest';
import { channels, GRID_ROW_FIELDS, gridRowOf, type Handlers, type JobGridRow } from '#shared/contract';
import { coreOnServer, waitFor } from '../support';

describe('jobs.window', () => {
  const env = coreOnServer('ljd-window-', { world: 'team', jobs: 1_500 });
  const gridPart = (row: JobGridRow) => Object.fromEntries(GRID_ROW_FIELDS.map((field) => [field, row[field]]));

  it('answers the rows jobs.query lists, each as the grid’s values, in less than half the JSON', async () => {
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
    const requests: Parameters<Handlers['jobs.window']>[0][] = [
      { filter: {}, sort: { column: 'createdAt', direction: 'desc' }, offset: 0, limit: 400 },
      { filter: { showArchived: true }, sort: { column: 'assignedToLogin', direction: 'asc' }, offset: 700, limit: 300 },
      { filter: { statuses: ['completed'] }, sort: { column: 'finishedAt', direction: 'desc' }, offset: 20, limit: 1000 },
    ];
    for (const request of requests) {
      const [window, query] = await Promise.all([h['jobs.window'](request), h['jobs.query'](request)]);
      expect(channels['jobs.window'].response.safeParse(window).success).toBe(true);
      expect(query.rows.length, JSON.stringify(request)).toBeGreaterThan(0);
      expect(window.total).toBe(query.total);
      expect(window.rows.map(gridRowOf)).toEqual(query.rows.map(gridPart));
      expect(JSON.stringify(window).length).toBeLessThan(JSON.stringify(query).length / 2);
    }
  });
});
