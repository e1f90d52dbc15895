// jobs.idSet, select all matching as id runs: the same ids as the grid lists (jobs.query by id) for any filter,
// offline-created (negative) ids included, an empty answer for no match, and an answer the contract accepts.
import { describe, expect, it } from 'vitest';
import { channels, type JobFilter } from '#shared/contract';
import { decodeIdRuns } from '#shared/idRuns';
import { coreOnServer, DATASET, waitFor } from '../support';

describe('jobs.idSet', () => {
  const env = coreOnServer('ljd-idset-', { world: 'team', jobs: 2_000 });

  /** every id the grid lists for the filter, page by page in id order */
  const listed = async (filter: JobFilter) => {
    const ids: number[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await env.core.handlers['jobs.query']({ filter, sort: { column: 'id', direction: 'asc' }, offset, limit: 1000 });
      ids.push(...page.rows.map((r) => r.id));
      if (page.rows.length < 1000) return ids;
    }
  };
  const both = async (filter: JobFilter) => {
    const [set, plain] = await Promise.all([env.core.handlers['jobs.idSet']({ filter }), listed(filter)]);
    expect(channels['jobs.idSet'].response.safeParse(set).success).toBe(true);
    return { decoded: Array.from(decodeIdRuns(set.runs)), count: set.count, plain };
  };

  it('answers exactly the ids the grid lists, for several filters, in a few runs', async () => {
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt);
    for (const filter of [{ showArchived: true }, {}, { statuses: ['completed' as const] }, { teamId: 9 }]) {
      const { decoded, count, plain } = await both(filter);
      expect(plain.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(decoded, JSON.stringify(filter)).toEqual(plain);
      expect(count).toBe(plain.length);
    }
    const all = await h['jobs.idSet']({ filter: { showArchived: true } });
    expect(all.runs.split(',').length / 2).toBeLessThan(all.count / 4); // dense ids: far fewer runs than ids
    expect(await h['jobs.idSet']({ filter: { text: 'no job has this name' } })).toEqual({ runs: '', count: 0 });
  });

  it('includes jobs created offline, whose local ids are negative', async () => {
    const h = env.core.handlers;
    await env.server.close();
    const created = await h['jobs.create']({
      name: 'made offline for select all',
      datasetId: DATASET,
      userIds: [7],
      classesToLabel: [],
      tagsToLabel: [],
      includeImagesWithTags: [],
      excludeImagesWithTags: [],
    });
    const localId = created.jobIds[0]!;
    expect(localId).toBeLessThan(0);
    const { decoded, plain } = await both({ showArchived: true });
    expect(decoded).toEqual(plain);
    expect(decoded[0]).toBe(localId);
    expect((await both({ text: 'made offline for select all' })).decoded).toEqual([localId]);
  });
});
