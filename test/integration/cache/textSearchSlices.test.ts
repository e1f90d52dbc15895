// A text search of the grid (main/cache/textMatches.ts) on a real cache file: found in slices, with the event loop
// turning between them (one statement held the worker 0.5 s at 1M jobs), and exact: what a scan of the rows' name
// and description answers, for the LIKE path and the trigram path, while the text index is far behind and after it,
// and after writes to jobs of a text already found, even a write while its search runs; the charts' counts too;
// the newest of two texts is found first.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type Cache, type JobRecord } from '../../../main/cache';
import { createJobAggregates } from '../../../main/cache/jobAggregates';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../support';

let cleanup = () => {};
afterEach(() => cleanup());

const BY_ID = { column: 'id', direction: 'asc' } as const;
/** 'a' and 'fi' take the LIKE path, the rest the trigram index */
const NEEDLES = ['a', 'fi', 'kiwi', 'LEM', 'okapi', 'renamed', 'nothing like it'];

/** the ids a scan of every row's text finds (case-insensitively), ascending */
function scanned(cache: Cache, needle: string): number[] {
  const text = needle.toLowerCase();
  const rows = cache.db.prepare('SELECT id, name, description FROM jobs WHERE removed_at IS NULL ORDER BY id').all() as {
    id: number;
    name: string;
    description: string;
  }[];
  return rows.filter((r) => r.name.toLowerCase().includes(text) || r.description.toLowerCase().includes(text)).map((r) => r.id);
}

/** what the grid's channel answers for `needle`, and how many turns of the event loop passed meanwhile */
async function gridSearch(cache: Cache, needle: string): Promise<{ ids: number[]; turns: number }> {
  let turns = 0;
  let counting = true;
  const count = () => {
    turns++;
    if (counting) setImmediate(count);
  };
  setImmediate(count); // once per turn: a step waiting for its turn runs in another
  try {
    const { rows, total } = await cache.jobs.queryWhenOrdered({ text: needle, showArchived: true }, BY_ID, 0, 10_000);
    expect(total, needle).toBe(rows.length);
    return { ids: rows.map((r) => r.id), turns };
  } finally {
    counting = false;
  }
}

async function expectExact(cache: Cache): Promise<void> {
  for (const needle of NEEDLES) {
    const expected = scanned(cache, needle);
    expect((await gridSearch(cache, needle)).ids, needle).toEqual(expected);
    expect(Array.from(cache.jobs.sortedIds({ text: needle, showArchived: true })), needle).toEqual(expected);
    const counted = (await cache.jobs.countsByStatus({ text: needle, showArchived: true })).reduce((sum, c) => sum + c.count, 0);
    expect(counted, needle).toBe(expected.length);
    // the charts' counts from the text's ids, as one statement of SQL counts them
    const reference = createJobAggregates(cache.db);
    for (const filter of [{ text: needle }, { text: needle, teamId: 1, showArchived: true }]) {
      expect(await cache.jobs.countsByAssignee(filter), needle).toEqual(await reference.countsByAssignee(filter));
      expect(await cache.jobs.createdPerDay(filter), needle).toEqual(await reference.createdPerDay(filter));
    }
  }
}

describe('text search in slices', () => {
  it('lets the event loop turn while it searches, and answers what a scan of the rows answers, across writes', async () => {
    const t = tempDir('ljd-textsearch-');
    const cache = openCache(join(t.dir, 'c.sqlite'), {
      textIndex: { manual: true, quietMs: 0 },
      textSearch: { sliceTargetMs: 0, manyPending: 1_000, manyCandidates: 400 },
    });
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const all: JobRecord[] = syntheticJobs(3_000, 5).map((r, i) => (i % 40 === 0 ? { ...r, description: `an okapi, ${i}` } : r));
    cache.transaction(() => cache.jobs.upsert(all));
    cache.jobs.query({}, BY_ID, 0, 1);
    await cache.jobs.sortIndexReady();

    // 3,000 jobs, none in the text index yet (more than manyPending): both paths check every row, 200 ids a slice
    for (const needle of ['fi', 'kiwi']) {
      const { ids, turns } = await gridSearch(cache, needle);
      expect(ids, needle).toEqual(scanned(cache, needle));
      expect(ids.length, needle).toBeGreaterThan(100);
      expect(turns, `${needle}: turns while searching`).toBeGreaterThanOrEqual(10);
    }
    await expectExact(cache); // the texts found are kept now: the same answers from them

    // the lead types on: the newest text is searched first, the older one after it
    const done: string[] = [];
    const older = cache.jobs.textSearched({ text: 'ki' }).then(() => done.push('ki'));
    await new Promise((resolve) => setImmediate(resolve));
    const newer = cache.jobs.textSearched({ text: 'kiw' }).then(() => done.push('kiw'));
    await Promise.all([older, newer]);
    expect(done).toEqual(['kiw', 'ki']);

    // writes to jobs of texts already found: renames, deletes, a new job, id changes
    const byId = new Map(all.map((r) => [r.id, r]));
    const row = (id: number) => byId.get(id)!;
    cache.transaction(() => {
      cache.jobs.upsert([
        { ...row(5), name: 'renamed okapi', server_fingerprint: 'x1' },
        { ...row(41), description: 'no longer', server_fingerprint: 'x2' },
        { ...row(6), id: 9_001, name: 'renamed, new from the server', server_fingerprint: 'x3' },
      ]);
      cache.jobs.delete(81);
      cache.jobs.upsert([{ ...row(10), id: -100, local: 1, name: 'kiwi made offline' }]);
      cache.jobs.changeId(-100, 9_002);
    });
    await expectExact(cache);

    // a bulk write: the order by creation is made anew in the background, and the first rows of a kept text come from
    // SQL along its index, with the kept matches as a list (the text in SQL would be the statement over every job)
    cache.transaction(() => cache.jobs.upsert(all.slice(100, 400).map((r) => ({ ...r, server_fingerprint: 'bulk' }))));
    const byCreation = { column: 'createdAt', direction: 'desc' } as const;
    const firstRows = await cache.jobs.queryWhenOrdered({ text: 'kiwi', showArchived: true }, byCreation, 0, 50);
    const expected = cache.jobs.sqlOrderedIds({ text: 'kiwi', showArchived: true }, byCreation);
    expect(firstRows.rows.map((r) => r.id)).toEqual(expected.slice(0, 50));
    expect(firstRows.total).toBe(expected.length);

    // a write while a search runs: in a slice already searched, and past the highest id it read
    const running = gridSearch(cache, 'fig');
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    cache.transaction(() => {
      cache.jobs.upsert([
        { ...row(3), name: 'fig, renamed while searched', server_fingerprint: 'x4' },
        { ...row(4), id: 9_500, name: 'a fig past the end', server_fingerprint: 'x5' },
      ]);
    });
    await running;
    expect((await gridSearch(cache, 'fig')).ids).toEqual(scanned(cache, 'fig'));
    expect(scanned(cache, 'fig')).toEqual(expect.arrayContaining([3, 9_500]));

    // the text index caught up: the trigram path finds its candidates there, with the same answers
    await cache.jobs.textIndexCaughtUp();
    expect(cache.jobs.textIndexPending()).toBe(0);
    // 'carefully' is in half the descriptions: more candidates than manyCandidates, so every row is checked, by span
    const common = await gridSearch(cache, 'carefully');
    expect(common.ids).toEqual(scanned(cache, 'carefully'));
    expect(common.ids.length).toBeGreaterThan(1_000);
    expect(common.turns, 'turns while checking every row').toBeGreaterThanOrEqual(10);
    // 'okapi' is in one job of 40: its candidates, checked 200 a slice
    const rare = await gridSearch(cache, 'an okapi');
    expect(rare.ids).toEqual(scanned(cache, 'an okapi'));
    expect(rare.ids.length).toBeGreaterThan(50);
    expect(rare.turns, 'turns while checking the candidates').toBeGreaterThanOrEqual(2);
    NEEDLES.push('fig', 'carefully', 'okapi, 1'); // the last one not searched before
    await expectExact(cache);

    // a job the index does not hold yet is among the candidates of a text searched anew
    cache.transaction(() => cache.jobs.upsert([{ ...row(12), name: 'a quokka, just renamed', server_fingerprint: 'x6' }]));
    expect(cache.jobs.textIndexPending()).toBe(1);
    expect((await gridSearch(cache, 'quokka')).ids).toEqual([12]);
  });
});
