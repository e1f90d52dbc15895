// Jobs in the cache: the grid's reads (filter, sort, window, ids, counts, charts) over the writes of
// jobWrites.ts. Row flags pendingCount / problem come from the outbox tables.
import type { JobFilter, JobGridRow, JobSort, JobStatusOrUnknown } from '#shared/contract';
import type { JobEntity } from '../supervisely/types';
import { timed, type Db } from './db';
import { ROW_COLUMNS, toRow, type StoredGridRow, type StoredJob } from './jobMapping';
import { orderForSort, registerQueryFunctions, textSearchOf, textTest, whereForFilter, type Where } from './jobQuery';
import { createJobAggregates } from './jobAggregates';
import { createJobWrites } from './jobWrites';
import { createSortIndex, type SortIndexOptions } from './sortIndex';
import { createTextIndexCatchUp, type TextIndexOptions } from './textIndex';
import { createTextMatches, type TextMatchesOptions } from './textMatches';

export type { JobRecord, StoredJob } from './jobMapping';
export { recordFromServer } from './jobMapping';

/** How many ordered id lists (one per filter + sort) the grid keeps between writes. */
const SNAPSHOT_SLOTS = 8;
/**
 * rows from the top a window may end at and be answered without the whole ordered list: by a walk along the kept
 * order, or along the sort's index (a few ms) while no order answers at once
 */
const TOP_ROWS = 2_000;
/** a search's kept matches SQL is handed as a list for a window near the top (a few ms of JSON at most) */
const FEW_MATCHES = 20_000;

export function createJobsRepo(
  db: Db,
  log?: (line: string) => void,
  outboxGeneration: () => number = () => 0,
  textIndexOptions: Omit<TextIndexOptions, 'log'> = {},
  sortIndexOptions: SortIndexOptions = {},
  textSearchOptions: TextMatchesOptions = {},
) {
  // Bumped by every write below: the grid's ordered id lists are valid while it stays the same.
  let generation = 0;
  registerQueryFunctions(db);
  // the jobs each search text matches, kept while it is asked; like the in-memory filter and sort structure
  // (sortIndex.ts), told which rows each write touched
  const texts = createTextMatches(db, log, textSearchOptions);
  const index = createSortIndex(db, log, sortIndexOptions, texts.matching);
  const touch = (ids: readonly number[]) => {
    index.touch(ids);
    texts.touch(ids);
  };
  // written jobs' text is indexed after the writes, once they pause (textIndex.ts); what the last session left, soon.
  // The grid's structure goes first, and while the lead scrolls or filters the catch-up keeps to a fifth of the time:
  // at 1M jobs, right after a pull, it took the worker while the grid's orders waited (a sort change then took 0.9 s)
  const textIndex = createTextIndexCatchUp(db, {
    ...textIndexOptions,
    ...(log ? { log } : {}),
    waitFor: () => index.backgroundBusy(),
    pace: (tookMs) => (index.readRecently() ? 4 * tookMs : 0),
  });
  textIndex.resume();
  const plainWrites = createJobWrites(db, () => {
    generation++;
    textIndex.wrote();
  });
  const aggregates = createJobAggregates(db, {
    matchingText: async (text) => {
      await texts.prepare(text);
      return texts.matching(text);
    },
  });
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  /** columns the grid filters or sorts by, of those a patch may change */
  const GRID_PATCH_KEYS = [
    'status',
    'disabled',
    'removed_at',
    'updated_at',
    'assigned_to_id',
    'assigned_to_login',
    'reviewer_id',
    'reviewer_login',
  ];
  const writes: typeof plainWrites = {
    ...plainWrites,
    upsert(records, entitiesById) {
      const before = totalChanges.get() as number;
      plainWrites.upsert(records, entitiesById);
      // rows whose server copy did not change are skipped by SQLite: a pull that changed nothing moves nothing
      if (totalChanges.get() !== before) touch(records.map((r) => r.id));
    },
    setReviewStatus(jobId, imageId, status) {
      plainWrites.setReviewStatus(jobId, imageId, status);
      touch([jobId]); // its counts, so its progress
    },
    patch(id, changes) {
      plainWrites.patch(id, changes);
      if (GRID_PATCH_KEYS.some((k) => k in changes)) touch([id]);
    },
    restore(snapshot) {
      plainWrites.restore(snapshot);
      touch([snapshot.id]);
    },
    delete(id) {
      plainWrites.delete(id);
      touch([id]);
    },
    changeId(localId, serverId) {
      plainWrites.changeId(localId, serverId);
      touch([localId, serverId]);
    },
    changeUserId(localId, serverId) {
      plainWrites.changeUserId(localId, serverId);
      index.invalidate(); // rows found by user, not by id
    },
  };
  const snapshots = new Map<string, { generation: number; ids: Int32Array }>();
  const totals = new Map<string, { generation: number; count: number }>();
  /** what a kept list or count of `filter` is valid for: no job written since, nor (for "only pending") the outbox */
  const snapshotGeneration = (filter: JobFilter) => generation * 1_000_003 + (filter.onlyPending ? outboxGeneration() : 0);
  /** keeps `filter`'s count until the next write (the oldest of more than SNAPSHOT_SLOTS goes) */
  const keepTotal = (filter: JobFilter, count: number) => {
    totals.set(JSON.stringify(filter), { generation: snapshotGeneration(filter), count });
    while (totals.size > SNAPSHOT_SLOTS) totals.delete(totals.keys().next().value!);
  };
  const rowsByIds = db.prepare(`SELECT ${ROW_COLUMNS} FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?))`);
  const getStmt = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const rowStmt = db.prepare(`SELECT ${ROW_COLUMNS} FROM jobs j WHERE j.id = ?`);
  const staleStmt = db.prepare('SELECT id FROM jobs WHERE stale = 1 AND id > 0').pluck();
  const teamIdsStmt = db.prepare('SELECT id FROM jobs WHERE team_id = ? AND id > 0 AND removed_at IS NULL').pluck();
  const versionStmt = db.prepare('SELECT status, server_fingerprint, stale, removed_at, removing FROM jobs WHERE id = ?');
  const firstMissingStmt = db
    .prepare(
      'SELECT j.value FROM json_each(?) j LEFT JOIN jobs ON jobs.id = j.value WHERE jobs.removed_at IS NOT NULL OR jobs.id IS NULL LIMIT 1',
    )
    .pluck();
  const entitiesStmt = db.prepare(
    'SELECT image_id AS id, name, review_status AS reviewStatus FROM job_entities WHERE job_id = ? ORDER BY name DESC',
  );

  /**
   * `filter`'s WHERE for a walk along the sort's index to the first rows, with a kept text (the text in SQL would read
   * the index's candidates, or every row, before the first row): its matches as a list when few, else the text's test
   * alone, row by row until the walk has enough (many matches: it soon has).
   */
  const whereWithKeptText = (filter: JobFilter): Where => {
    const text = filter.text?.trim();
    const kept = text ? texts.kept(text) : null;
    if (!text || !kept) return whereForFilter(filter);
    const rest = whereForFilter({ ...filter, text: undefined });
    const test =
      kept.length <= FEW_MATCHES
        ? { sql: 'j.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(Array.from(kept))] }
        : textTest(textSearchOf(text));
    return { sql: `${rest.sql} AND ${test.sql}`, params: [...rest.params, ...test.params] };
  };

  return {
    ...writes,
    entities(jobId: number): JobEntity[] | null {
      const job = getStmt.get(jobId) as StoredJob | undefined;
      if (!job || !job.entities_fetched) return null;
      return entitiesStmt.all(jobId) as JobEntity[];
    },
    get(id: number): StoredJob | null {
      return (getStmt.get(id) as StoredJob | undefined) ?? null;
    },
    row(id: number): JobGridRow | null {
      const r = rowStmt.get(id) as StoredGridRow | undefined;
      return r ? toRow(r) : null;
    },
    staleIds(): number[] {
      return staleStmt.all() as number[];
    },
    /** server ids of a team's jobs still believed to exist (for vanish detection after a full list) */
    hasServerJobs(teamId: number): boolean {
      return db.prepare('SELECT 1 FROM jobs WHERE team_id = ? AND id > 0 LIMIT 1').pluck().get(teamId) !== undefined;
    },
    serverIdsOfTeam(teamId: number): number[] {
      return teamIdsStmt.all(teamId) as number[];
    },
    /**
     * One of `ids` that is not a cached job (or one removed), if any: for a slice of a bulk action. The rows held in
     * memory answer for those not written since they were read; one statement for the rest.
     */
    firstMissing(ids: readonly number[]): number | undefined {
      const unsure: number[] = [];
      for (const id of ids) {
        const held = index.holds(id);
        if (held === false) return id;
        if (held === null) unsure.push(id);
      }
      return unsure.length === 0 ? undefined : (firstMissingStmt.get(JSON.stringify(unsure)) as number | undefined);
    },
    /** What a pull compares against: status, the server copy's fingerprint, and whether the row must be re-read. */
    versionsOf(ids: readonly number[]): Map<number, { status: JobStatusOrUnknown; fingerprint: string | null; fresh: boolean }> {
      const out = new Map<number, { status: JobStatusOrUnknown; fingerprint: string | null; fresh: boolean }>();
      for (const id of ids) {
        const r = versionStmt.get(id) as
          | { status: JobStatusOrUnknown; server_fingerprint: string | null; stale: number; removed_at: string | null; removing: number }
          | undefined;
        if (r) out.set(id, { status: r.status, fingerprint: r.server_fingerprint, fresh: !r.stale && !r.removed_at && !r.removing });
      }
      return out;
    },

    /** Labeling queues were named anew: an order by queue name (and any list kept in one) is made again. */
    queueNamesChanged(): void {
      generation++;
      index.valuesChanged('labelingQueueName');
    },
    /** Bytes the in-memory filter and sort structure holds (sortIndex.ts). */
    sortIndexBytes(): number {
      return index.bytes();
    },
    /** Resolves once the in-memory structure holds every row (the first query starts reading them in the background). */
    sortIndexReady(): Promise<void> {
      return index.ready();
    },
    /** Resolves once the structure also holds every column's order, built in the background after its rows. */
    sortIndexOrdersBuilt(): Promise<void> {
      return index.ordersBuilt();
    },
    /** The longest the structure's background read or order build held the thread, in ms. */
    sortIndexLongestLoadStepMs(): number {
      return index.longestLoadStepMs();
    },
    /** Rows written since the structure last re-read them (it does so in the background, in slices). */
    sortIndexTouched(): number {
      return index.touchedCount();
    },
    /** How many jobs' text the trigram index does not hold yet (textIndex.ts; a search checks them directly). */
    textIndexPending(): number {
      return textIndex.pending();
    },
    /** One step of the catch-up now (a chunk of pending jobs indexed, or a merge); false when none was left (tests). */
    textIndexStep(): boolean {
      return textIndex.step();
    },
    /** Resolves once every job's text is indexed (the catch-up runs once writes pause): for tests and the benchmark. */
    textIndexCaughtUp(): Promise<void> {
      return textIndex.caughtUp();
    },
    /** The longest a step of the text index's catch-up held the thread, in ms. */
    textIndexLongestStepMs(): number {
      return textIndex.longestStepMs();
    },
    /** The write generation: changes whenever a job row changes. */
    generation(): number {
      return generation;
    },
    /**
     * Every matching id in grid order. Computed once per filter + sort and kept until the next
     * write, so scrolling a 100k-row grid reads only the 100 rows of each window (OFFSET would walk
     * the index from the top for every window).
     */
    orderedIds(filter: JobFilter, sort: JobSort): Int32Array {
      const key = JSON.stringify([filter, sort]);
      const current = snapshotGeneration(filter);
      const hit = snapshots.get(key);
      if (hit && hit.generation === current) {
        snapshots.delete(key);
        snapshots.set(key, hit);
        return hit.ids;
      }
      const ids = timed(log, `jobs.orderedIds ${sort.column}`, () => {
        const all = index.query(filter, sort, 0, Infinity);
        return all ? all.ids : Int32Array.from(this.sqlOrderedIds(filter, sort));
      });
      snapshots.set(key, { generation: current, ids });
      while (snapshots.size > SNAPSHOT_SLOTS) snapshots.delete(snapshots.keys().next().value!);
      return ids;
    },
    /** Every matching id in grid order, as SQLite orders it (the reference the in-memory structure matches). */
    sqlOrderedIds(filter: JobFilter, sort: JobSort): number[] {
      const where = whereForFilter(filter);
      return db
        .prepare(`SELECT j.id FROM jobs j WHERE ${where.sql} ORDER BY ${orderForSort(sort)}`)
        .pluck()
        .all(...where.params) as number[];
    },
    /** The ordered id list of a filter + sort if one is kept and still valid (no write since). */
    keptIds(filter: JobFilter, sort: JobSort): Int32Array | null {
      const hit = snapshots.get(JSON.stringify([filter, sort]));
      return hit && hit.generation === snapshotGeneration(filter) ? hit.ids : null;
    },
    /** How many jobs match; kept per filter until the next write (a sort change keeps the filter). */
    total(filter: JobFilter): number {
      const hit = totals.get(JSON.stringify(filter));
      if (hit && hit.generation === snapshotGeneration(filter)) return hit.count;
      const count = index.count(filter) ?? this.count(filter);
      keepTotal(filter, count);
      return count;
    },
    /**
     * The first `limit` ids of a filter + sort, read with LIMIT when an index gives that order (the default
     * sort walks its covering index and stops): no id list of a million jobs for the first screen after a
     * change. Null when SQLite would have to sort every match anyway; then the whole list is as cheap.
     */
    firstIds(filter: JobFilter, sort: JobSort, limit: number): number[] | null {
      const where = whereWithKeptText(filter);
      const sql = `SELECT j.id FROM jobs j WHERE ${where.sql} ORDER BY ${orderForSort(sort)}`;
      // the plan of the whole list, not of the LIMIT: with a LIMIT SQLite may walk the order's index even
      // for a filter that matches few rows (a scan of every job to find them); this one it chose knowing that
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...where.params) as { detail: string }[];
      if (plan.some((p) => p.detail.includes('TEMP B-TREE'))) return null;
      return timed(
        log,
        `jobs.firstIds ${sort.column}`,
        () =>
          db
            .prepare(`${sql} LIMIT ?`)
            .pluck()
            .all(...where.params, limit) as number[],
      );
    },
    /** Rows in the order of `ids` (missing ids are skipped). */
    rowsFor(ids: ArrayLike<number>): JobGridRow[] {
      const raw = rowsByIds.all(JSON.stringify(Array.from(ids))) as StoredGridRow[];
      const byId = new Map(raw.map((r) => [r.id, r]));
      const out: JobGridRow[] = [];
      for (let i = 0; i < ids.length; i++) {
        const r = byId.get(ids[i]!);
        if (r) out.push(toRow(r));
      }
      return out;
    },
    query(filter: JobFilter, sort: JobSort, offset: number, limit: number): { rows: JobGridRow[]; total: number } {
      // the windows near the top after a change (the first screen and its look-ahead) walk the order from its start;
      // the whole list (7-12 ms at 1M, and 4 MB) waits for a scroll further down
      if (!this.keptIds(filter, sort)) {
        const quick = index.quick(sort.column);
        const answer =
          quick && offset + limit <= TOP_ROWS
            ? timed(log, `jobs.firstWindow ${sort.column}`, () => index.query(filter, sort, offset, limit))
            : null;
        if (answer) {
          keepTotal(filter, answer.total);
          return { rows: this.rowsFor(answer.ids), total: answer.total };
        }
        // no order to answer from at once (its rows still being read, or a pull writing more than is quick to move
        // between two refreshes: a million-row order costs ~0.3 s to bring up to date): near the top, the sort's
        // index gives the rows when it has one; the order is made anew in the background once writes pause
        if (!quick) {
          const top = this.topByIndex(filter, sort, offset, limit);
          if (top) return top;
        }
      }
      const ids = this.orderedIds(filter, sort);
      return { rows: this.rowsFor(ids.subarray(offset, offset + limit)), total: ids.length };
    },
    /** a window near the top read along the sort's SQL index, when it has one; else null */
    topByIndex(filter: JobFilter, sort: JobSort, offset: number, limit: number): { rows: JobGridRow[]; total: number } | null {
      if (offset + limit > TOP_ROWS) return null;
      const first = this.firstIds(filter, sort, offset + limit);
      return first && { rows: this.rowsFor(first.slice(offset)), total: this.total(filter) };
    },
    /**
     * query(), for the grid: a sort whose order is not built yet waits while it is built in steps (first in line),
     * the worker answering other calls meanwhile. query() builds it at once: 1-2 s of a held worker at 1M jobs.
     */
    async queryWhenOrdered(
      filter: JobFilter,
      sort: JobSort,
      offset: number,
      limit: number,
    ): Promise<{ rows: JobGridRow[]; total: number }> {
      await this.textSearched(filter);
      const waits = () => !this.keptIds(filter, sort) && index.orderPending(sort.column);
      const builds = waits();
      if (builds || (!this.keptIds(filter, sort) && index.movePending(sort.column))) {
        const top = this.topByIndex(filter, sort, offset, limit);
        if (top) return top;
        // touched rows to move are waited for once: a write while they move stops that (query() then moves them at
        // once, as during a pull). A build is waited for again while it is still needed and no write came: with writes
        // going on (a pull), each build would leave too many rows to move
        const since = index.lastTouchAt();
        do await index.whenOrderBuilt(sort.column);
        while (builds && index.lastTouchAt() === since && waits());
      }
      return this.query(filter, sort, offset, limit);
    },
    count(filter: JobFilter): number {
      const where = whereForFilter(filter);
      return timed(
        log,
        'jobs.count',
        () =>
          db
            .prepare(`SELECT count(*) FROM jobs j WHERE ${where.sql}`)
            .pluck()
            .get(...where.params) as number,
      );
    },
    /**
     * Resolves once the jobs `filter`'s text matches are found, in slices with the worker's other calls answered
     * between them (textMatches.ts): await it before a read that would otherwise search them in one statement.
     */
    async textSearched(filter: JobFilter): Promise<void> {
      const text = filter.text?.trim();
      if (text) await texts.prepare(text);
    },
    /** Every matching id, ascending (select all matching): from the sort index's rows when they are held. */
    sortedIds(filter: JobFilter): Int32Array | number[] {
      return timed(log, 'jobs.sortedIds', () => {
        return index.idsAscending(filter) ?? this.sqlOrderedIds(filter, { column: 'id', direction: 'asc' });
      });
    },
    /** How many jobs match per status: from the sort index when its rows are held (a million in ~2 ms), else SQL by slices. */
    async countsByStatus(filter: JobFilter): Promise<{ status: JobStatusOrUnknown; count: number }[]> {
      await this.textSearched(filter);
      return index.countsByStatus(filter) ?? aggregates.countsByStatus(filter);
    },
    countsByAssignee: aggregates.countsByAssignee,
    createdPerDay: aggregates.createdPerDay,
  };
}

export type JobsRepo = ReturnType<typeof createJobsRepo>;
