// Why this exists (issue 14): at a million cached jobs SQLite answers a sort by a column without an index
// by scanning and sorting every row (0.7–1.9 s), and a filter's count scans them all too; per-column
// indexes would cost ~1,330 bytes a job and half the write rate. So the core keeps in its worker's memory
// what the grid's filters test (typed arrays over dense row numbers, ~34 bytes a job) and, for each sort
// column asked for, the order SQLite itself gives (rows sorted by column then id, 4 bytes a job). A
// filter or sort change is then a mask over the rows (its count a sum) and a walk along the order until
// the window is full: milliseconds, with SQLite's own ordering and tie-breaks (text search and "only
// pending" still ask SQLite for their ids, with the very SQL of the plain path).
// The rows, and the default sort's order along its covering index, are read in the background in ~10 ms
// slices after the first query (SQL answers until then); then every other column's order is built in the
// background too, in steps (orderBuild.ts), once writes have paused. A sort by a column whose order is not
// built yet is one SQLite sort. Writes only note which ids they touched (the write path stays as fast);
// the next read re-reads those rows and moves them within each kept order, in place: at once when they are
// few, else in steps, in the background once writes pause (or at once on the order's next use if that comes
// first). A write that touched more rows than moving is worth has that order made anew the same way (or, far
// more, has everything read again).
import { JobSortColumnSchema, type JobFilter, type JobSort, type JobSortColumn } from '#shared/contract';
import type { Db } from './db';
import { SORT_SQL, whereForFilter } from './jobQuery';
import { compareSqlValues, startOrderBuild, type BuiltOrder as Order, type OrderBuild } from './orderBuild';
import { createTextMatches } from './textMatches';
import { inTurn } from './turns';
import { createWaiters } from './waiters';

/** a NULL in an id column (ids are int32 in practice; a cache holding others is answered by SQL) */
const NULL_ID = -2147483648;
const INT32_MAX = 2147483647;
const DISABLED = 1;
/** removed from the server, or deleted from the cache */
const GONE = 2;
/** rows read per statement while loading (a few ms), so no million-row result sits in memory at once */
const LOAD_SLICE = 4_000;
/** a background load step reads slices for this long, then lets the worker answer what waits */
const LOAD_STEP_MS = 10;
/** a background build step stops working by then: with the slice or run it was in, well under a frame */
const BUILD_STEP_MS = 7;
/** more touched rows than this since the last read (or a quarter of all): reload every column instead */
const MAX_TOUCHED_ROWS = 50_000;
/**
 * touched rows re-read per slice in the background once this many wait: the next read found them all to re-read at
 * once (a bulk archive of 10,000 at 100k jobs: one 50-70 ms task; two seconds of a pull's writes, more)
 */
const APPLY_SLICE = 250;
/** kept orders at most: one for every column (4 bytes a job each); the least recently used goes first */
const MAX_ORDERS = JobSortColumnSchema.options.length;
/**
 * the orders built in the background once the rows are read, in the grid's column order (by id is a cheap merge;
 * by createdAt is read with the rows, and made anew here only when too many of its rows have moved since). Most teams
 * have no labeling queues: the order by queue (a read of every row) is first built when the lead sorts by it, and is
 * then kept like the others.
 */
const ON_DEMAND_COLUMNS: readonly JobSortColumn[] = ['labelingQueueName'];
const BACKGROUND_COLUMNS: readonly JobSortColumn[] = [
  ...JobSortColumnSchema.options.filter((c) => c !== 'id' && c !== 'createdAt' && !ON_DEMAND_COLUMNS.includes(c)),
  'createdAt',
];
/**
 * Columns built from one read (most of a build's cost, see orderBuild.ts): those of few distinct values in a real
 * team (statuses, people, projects, datasets), each counted; and the numbers and times, each radix-sorted.
 */
const READ_TOGETHER: readonly ReadonlySet<JobSortColumn>[] = [
  new Set(['status', 'assignedToLogin', 'reviewerLogin', 'createdByLogin', 'projectName', 'datasetName']),
  new Set(['progress', 'startedAt', 'finishedAt', 'updatedAt', 'createdAt']),
];
/** a kept order whose rows to move would cost more value reads than this has them moved in steps, in the background */
const MOVE_READS_AT_ONCE = 4_000;
/**
 * background builds wait until no write has touched a row for this long (a pull is not slowed by orders it would
 * undo); within three times as long after a read they run a fifth of the time (a lead scrolling or filtering)
 */
const QUIET_MS = 300;

const ID_COLUMNS = ['team_id', 'created_by_id', 'assigned_to_id', 'reviewer_id', 'project_id', 'dataset_id', 'labeling_queue_id'] as const;
type IdColumn = (typeof ID_COLUMNS)[number];
const READ_COLUMNS = `id, ${ID_COLUMNS.join(', ')}, status, disabled, removed_at IS NOT NULL AS removed`;

type RawRow = [number, ...(number | null)[]];

/** clears the mask's rows whose value in `col` is none of `values` */
function keepAnyOf(mask: Uint8Array, n: number, col: Int32Array, values: readonly number[]): void {
  if (values.length === 0) {
    mask.fill(0, 0, n);
  } else if (values.length === 1) {
    const v = values[0]!;
    // no branch on the row: a filter keeps rows scattered at random, and a mispredicted branch per row makes the pass
    // 4× slower (x | -x has its sign bit set unless x is 0)
    for (let r = 0; r < n; r++) {
      const x = col[r]! ^ v;
      mask[r] = mask[r]! & (((x | -x) >>> 31) ^ 1);
    }
  } else if (values.length <= 16) {
    const list = Int32Array.from(values);
    for (let r = 0; r < n; r++) {
      if (mask[r] === 0) continue;
      const x = col[r]!;
      let found = false;
      for (let j = 0; j < list.length; j++) if (list[j] === x) found = true;
      if (!found) mask[r] = 0;
    }
  } else {
    const set = new Set(values);
    for (let r = 0; r < n; r++) if (mask[r] !== 0 && !set.has(col[r]!)) mask[r] = 0;
  }
}

export interface SortIndexAnswer {
  /** the first `limit` ids after `offset` */
  ids: Int32Array;
  total: number;
}

export interface SortIndexOptions {
  sliceRows?: number;
  stepMs?: number;
  quietMs?: number;
  moveReadsAtOnce?: number;
  maxAddedRows?: number;
}

/** `matchingText`: the ids a search text matches (the jobs repo's, kept per text; by default found at once) */
export function createSortIndex(
  db: Db,
  log?: (line: string) => void,
  options: SortIndexOptions = {},
  matchingText: (text: string) => Int32Array | number[] = createTextMatches(db, log).matching,
) {
  const sliceRows = options.sliceRows ?? LOAD_SLICE;
  const stepMs = options.stepMs ?? LOAD_STEP_MS;
  const quietMs = options.quietMs ?? QUIET_MS;
  const moveReadsAtOnce = options.moveReadsAtOnce ?? MOVE_READS_AT_ONCE;
  const maxAddedRows = options.maxAddedRows ?? MAX_TOUCHED_ROWS;
  const sliceStmt = db.prepare(`SELECT ${READ_COLUMNS} FROM jobs WHERE id > ? ORDER BY id LIMIT ${sliceRows}`).raw();
  const firstDefaultStmt = db.prepare(`SELECT j.created_at, j.id FROM jobs j ORDER BY j.created_at, j.id LIMIT ${sliceRows}`).raw();
  const nextDefaultStmt = db
    .prepare(`SELECT j.created_at, j.id FROM jobs j WHERE (j.created_at, j.id) > (?, ?) ORDER BY j.created_at, j.id LIMIT ${sliceRows}`)
    .raw();
  const byIdsStmt = db.prepare(`SELECT ${READ_COLUMNS} FROM jobs WHERE id IN (SELECT value FROM json_each(?))`).raw();
  const probeStmts = new Map<JobSortColumn, ReturnType<Db['prepare']>>();
  const valueStmts = new Map<JobSortColumn, ReturnType<Db['prepare']>>();
  const sortedIdsStmts = new Map<JobSortColumn, ReturnType<Db['prepare']>>();

  let n = 0;
  /** rows 0..base-1 were loaded in id order, so their ids are sorted; later rows are found through `extra` */
  let base = 0;
  let extra = new Map<number, number>();
  /** the rows from base on, in id order, as far as addedInIdOrder has sorted them */
  let addedSorted = new Int32Array(0);
  let ids = new Int32Array(0);
  let cols = {} as Record<IdColumn, Int32Array>;
  let status = new Uint8Array(0);
  let flags = new Uint8Array(0);
  const statusCodes = new Map<string, number>();
  /** each code's status: a kept row's status is known without reading it (moves in the status order read none) */
  const statusNames: string[] = [];
  /** empty: nothing held (SQL answers); loading: slices read in the background; ready: answers */
  let state: 'empty' | 'loading' | 'ready' = 'empty';
  /** bumped when a load is abandoned, so its remaining background steps stop */
  let loadRun = 0;
  let loadAfter = -Infinity;
  let longestLoadStepMs = 0;
  const whenLoaded = createWaiters();
  let defaultOrder: Order | null = null;
  let loadStarted = 0;
  /** the (created_at, id) the last slice of the default order ended at */
  let defaultAfter: [unknown, number] | null = null;
  /** this cache holds values the arrays cannot (ids beyond int32, over 250 statuses): SQL answers */
  let unsupported = false;
  let touched = new Set<number>();
  let applyArmed = false;
  /** touched rows were re-read in the background since the last read (which then looks for orders to build) */
  let appliedUnread = false;
  /** per sort column: rows in (column, id) ascending order */
  const orders = new Map<JobSortColumn, Order>();
  /** ids touched since each order was last brought up to date */
  const orderTouched = new Map<JobSortColumn, Set<number> | 'rebuild'>();
  /** the order being built in the background, with the ids touched since its build began */
  let building: { build: OrderBuild; pending: Set<number> } | null = null;
  /** a kept order whose touched rows are moved in steps (moveSteps), with the last write it knows of */
  let moving: { column: JobSortColumn; order: Order; pending: Set<number>; steps: Generator; run: number; since: number } | null = null;
  let buildScheduled = false;
  /** set while the builds' next step waits for a time: runs it in the next turn instead */
  let wakeBuilds: (() => void) | null = null;
  let lastTouch = -Infinity;
  let lastRead = -Infinity;
  /** columns holding values the background build cannot order (blobs): SQLite sorts them on demand */
  const sqlOnly = new Set<JobSortColumn>();
  /** few-valued columns found to hold many values: built on their own (merged) */
  const alone = new Set<JobSortColumn>();
  const whenBuilt = createWaiters();
  /** a sort waits for this column's order (whenOrderBuilt): it is built first, and not paced */
  let awaited: JobSortColumn | null = null;
  /** settled when a build ends or stops waiting for writes to pause: a waiting sort looks again */
  const whenBuildEnds = createWaiters();

  const fitsId = (v: number | null) => v === null || (Number.isInteger(v) && v > NULL_ID && v <= INT32_MAX);

  function allocate(capacity: number) {
    const grow = <T extends Int32Array | Uint8Array>(old: T, make: (c: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, n));
      return next;
    };
    ids = grow(ids, (c) => new Int32Array(c));
    for (const c of ID_COLUMNS) cols[c] = grow(cols[c] ?? new Int32Array(0), (k) => new Int32Array(k));
    status = grow(status, (c) => new Uint8Array(c));
    flags = grow(flags, (c) => new Uint8Array(c));
  }

  function rowOf(id: number): number {
    let lo = 0;
    let hi = base;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo < base && ids[lo] === id) return lo;
    return extra.get(id) ?? -1;
  }

  /** writes a row read from SQLite into row `r`; false when a value does not fit */
  function store(r: number, raw: RawRow): boolean {
    for (let i = 0; i < ID_COLUMNS.length; i++) {
      const v = raw[i + 1] as number | null;
      if (!fitsId(v)) return false;
      cols[ID_COLUMNS[i]!][r] = v === null ? NULL_ID : v;
    }
    const s = String(raw[ID_COLUMNS.length + 1]);
    let code = statusCodes.get(s);
    if (code === undefined) {
      if (statusCodes.size >= 250) return false;
      code = statusCodes.size;
      statusCodes.set(s, code);
      statusNames.push(s);
    }
    status[r] = code;
    flags[r] = (raw[ID_COLUMNS.length + 2] ? DISABLED : 0) | (raw[ID_COLUMNS.length + 3] ? GONE : 0);
    return true;
  }

  function beginLoad(): void {
    loadRun++;
    // a build step waiting on a timer would hold buildScheduled until it fires, and the new load's builds not start
    wakeBuilds?.();
    n = 0;
    base = 0;
    extra = new Map();
    addedSorted = new Int32Array(0);
    ids = new Int32Array(0);
    cols = {} as Record<IdColumn, Int32Array>;
    status = new Uint8Array(0);
    flags = new Uint8Array(0);
    statusCodes.clear();
    statusNames.length = 0;
    orders.clear();
    orderTouched.clear();
    moving = null;
    sqlOnly.clear();
    alone.clear();
    touched = new Set(); // from here on, writes are noted: rows already read are read again once loaded
    unsupported = false;
    loadAfter = -Infinity;
    loadStarted = performance.now();
    defaultOrder = null;
    defaultAfter = null;
    const total = db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
    allocate(Math.max(1024, Math.ceil(total * 1.1)));
    state = 'loading';
  }

  /** reads the next slice of rows in id order; true when all are read */
  function loadSlice(): boolean {
    const slice = sliceStmt.all(loadAfter) as RawRow[];
    for (const raw of slice) {
      if (n >= ids.length) allocate(Math.ceil((n + 1) * 1.5));
      if (!fitsId(raw[0]) || !store(n, raw)) {
        unsupported = true;
        break;
      }
      ids[n] = raw[0];
      n++;
    }
    if (!unsupported && slice.length === sliceRows) {
      loadAfter = slice[slice.length - 1]![0];
      return false;
    }
    base = n;
    addedSorted = new Int32Array(0);
    return true;
  }

  /**
   * Reads the next slice of the default sort's order (newest first, the grid's first screen) along its
   * covering index, so that order is ready with the rows instead of costing a sort on the first query.
   * Jobs written meanwhile are moved on the next read (every write since the load began is noted).
   */
  function defaultOrderSlice(): boolean {
    const order = (defaultOrder ??= { rows: new Int32Array(Math.ceil(n * 1.05) + 16), length: 0 });
    const slice = (defaultAfter ? nextDefaultStmt.all(...defaultAfter) : firstDefaultStmt.all()) as [unknown, number][];
    for (const [, id] of slice) {
      const r = rowOf(id); // -1: written since its slice of rows was read, so noted and moved in later
      if (r < 0) continue;
      if (order.length >= order.rows.length) {
        const grown = new Int32Array(Math.ceil(order.length * 1.5) + 16);
        grown.set(order.rows);
        order.rows = grown;
      }
      order.rows[order.length++] = r;
    }
    if (slice.length === sliceRows) {
      defaultAfter = slice[slice.length - 1]!;
      return false;
    }
    orders.set('createdAt', order);
    // the writes since the load began are still in `touched`: the first read moves them in every order
    orderTouched.set('createdAt', new Set());
    return true;
  }

  function finishLoad(): void {
    log?.(`sortIndex: ${n} jobs read, with their order by createdAt , in ${Math.round(performance.now() - loadStarted)} ms`);
    defaultOrder = null;
    defaultAfter = null;
    state = 'ready';
    whenLoaded.settle();
    buildInBackground();
  }

  /** no order of the column is held, or writes touched too much of it to move: it is built whole */
  const needsWholeBuild = (column: JobSortColumn) => !orders.has(column) || orderTouched.get(column) === 'rebuild';
  /** a column without a kept order, or whose kept order has more rows to move than is quick (the first sort would wait) */
  const needsBuild = (column: JobSortColumn) => {
    const pending = orderTouched.get(column);
    return needsWholeBuild(column) || (pending instanceof Set && pending.size * Math.log2(n + 2) > moveReadsAtOnce);
  };
  /** `column`'s order is kept, but has more touched rows than are moved at once: they are moved in steps */
  const movesOnly = (column: JobSortColumn | null): column is JobSortColumn =>
    column !== null && !needsWholeBuild(column) && needsBuild(column);
  /** the column of the grid's last read: when its order needs a build, it goes first (a scroll would otherwise build it at once) */
  let lastAsked: JobSortColumn | null = null;
  const nextToBuild = () =>
    awaited && needsBuild(awaited)
      ? awaited
      : lastAsked && lastAsked !== 'id' && !sqlOnly.has(lastAsked) && needsBuild(lastAsked)
        ? lastAsked
        : (BACKGROUND_COLUMNS.find((c) => !sqlOnly.has(c) && needsBuild(c)) ??
          ON_DEMAND_COLUMNS.find((c) => orders.has(c) && !sqlOnly.has(c) && needsBuild(c)));
  /** the columns `column` is read with (none once a read with them found it must be built alone) */
  const groupOf = (column: JobSortColumn) =>
    alone.has(column) || sqlOnly.has(column) ? undefined : READ_TOGETHER.find((group) => group.has(column));
  /**
   * the next column to build, with every other of its group that needs a whole build too (one read serves them
   * all); or the next whose rows to move. A sort that waits has its column built alone: the group's read took up to
   * three times as long at 1M
   */
  const nextBuild = (): JobSortColumn[] => {
    const first = nextToBuild();
    if (!first) return [];
    const group = movesOnly(first) || first === awaited ? undefined : groupOf(first);
    if (!group) return [first];
    return [first, ...BACKGROUND_COLUMNS.filter((c) => c !== first && groupOf(c) === group && needsWholeBuild(c))];
  };

  /** the builds stop (all done, or the rows are read anew): whoever waits for them looks again */
  function buildsStopped(): void {
    whenBuildEnds.settle();
    whenBuilt.settle();
  }

  /** the grid read in the last moments (a lead scrolling or filtering) */
  const readRecently = () => performance.now() - lastRead < 3 * quietMs;

  /** builds the orders not held yet, a step (< 10 ms) at a time between the worker's other tasks, once writes pause */
  function buildInBackground(): void {
    if (buildScheduled) return;
    buildScheduled = true;
    const run = loadRun;
    /** the next step after a quiet or paced wait, which a sort that waits cuts short (wakeBuilds) */
    const tickAfter = (ms: number) => {
      const timer = setTimeout(() => {
        wakeBuilds = null;
        inTurn(tick);
      }, ms);
      wakeBuilds = () => {
        clearTimeout(timer);
        wakeBuilds = null;
        inTurn(tick);
      };
    };
    const tick = () => {
      buildScheduled = false;
      if (run !== loadRun || state !== 'ready' || unsupported || !db.open) {
        building = null; // the rows are read again: that load starts the builds anew
        return buildsStopped();
      }
      // a sort waiting for its order does not wait for writes to pause. A write stops a move (its reads would mix two
      // states), and the sort moves the rest at once; a build notes what writes touch meanwhile
      const wait = awaited && needsBuild(awaited) ? 0 : lastTouch + quietMs - performance.now();
      if (wait > 0) {
        whenBuildEnds.settle(); // writes go on, and no sort waits for a build: whoever waits looks again
        buildScheduled = true;
        tickAfter(wait);
        return;
      }
      if (moving && !moveCurrent(moving)) {
        // a write came: moved again from the start once writes pause (or at once by the sort that waited)
        log?.(`sortIndex: moving the touched rows of the order by ${moving.column} stopped by a write`);
        moving = null;
        awaited = null;
        whenBuildEnds.settle();
        buildScheduled = true;
        inTurn(tick);
        return;
      }
      if (!building && !moving) {
        let columns = nextBuild();
        if (columns.length > 0 && movesOnly(columns[0]!) && touched.size > 0) {
          if (!applyTouched()) return buildsStopped();
          columns = nextBuild();
        }
        if (columns.length === 0) return buildsStopped();
        if (movesOnly(columns[0]!)) moving = startMove(columns[0]!);
        else building = { build: startOrderBuild(db, columns, rowOf, n, sliceRows), pending: new Set() };
      }
      const started = performance.now();
      const until = started + Math.min(stepMs, BUILD_STEP_MS);
      const result = moving ? moveStep(moving, until) : building!.build.step(until);
      const took = performance.now() - started;
      longestLoadStepMs = Math.max(longestLoadStepMs, took);
      if (result === 'moved') {
        if (awaited === moving!.column) awaited = null;
        moving = null;
        whenBuildEnds.settle();
      } else if (result !== 'more' && building) {
        const { pending } = building;
        building = null;
        for (const [column, built] of result) {
          if (built === 'sql') sqlOnly.add(column);
          else if (built === 'alone') alone.add(column);
          else {
            orders.set(column, built);
            orderTouched.set(column, movable(pending.size) ? new Set(pending) : 'rebuild');
            log?.(`sortIndex: order by ${column} of ${built.length} jobs built in the background`);
          }
        }
        awaited = null;
        whenBuildEnds.settle();
      }
      buildScheduled = true;
      // while the lead scrolls or filters (a read in the last second), a fifth of the time: the grid keeps the CPU (at
      // 1M right after a pull, a third left the page's thread waiting for a core 3.3-3.7 ms a flick frame, a fifth 1.2-2.0)
      if (readRecently() && !awaited) tickAfter(4 * took);
      else inTurn(tick);
    };
    inTurn(tick);
  }

  /** resolves once every row is held, starting the load if need be */
  function ready(): Promise<void> {
    loadInBackground();
    return state === 'ready' ? Promise.resolve() : whenLoaded.wait();
  }

  /** starts reading every row in slices between the worker's other tasks (never ~10 ms at a time) */
  function loadInBackground(): void {
    if (state !== 'empty') return;
    beginLoad();
    const run = loadRun;
    let rowsRead = false;
    const step = () => {
      if (run !== loadRun || state !== 'loading' || !db.open) return;
      const started = performance.now();
      let done = false;
      let sliceMs: number;
      do {
        const sliceStarted = performance.now();
        if (!rowsRead) rowsRead = loadSlice();
        else done = unsupported || defaultOrderSlice();
        if (rowsRead && unsupported) done = true;
        sliceMs = performance.now() - sliceStarted;
        // stop before a slice that would likely end past the budget (slices of a big, cold file take longer)
      } while (!done && performance.now() + sliceMs - started < stepMs);
      longestLoadStepMs = Math.max(longestLoadStepMs, performance.now() - started);
      if (done) finishLoad();
      else inTurn(step);
    };
    inTurn(step);
  }

  /** re-reads the rows writes touched since the last read; false when not ready (then SQL answers) */
  function catchUp(): boolean {
    lastRead = performance.now(); // every read starts here
    const wrote = touched.size > 0 || appliedUnread;
    appliedUnread = false;
    const held = applyTouched();
    if (held && wrote && nextToBuild()) buildInBackground(); // what this made too stale to move at once, once writes pause
    return held;
  }

  /** re-reads touched rows a slice at a time in turns of their own, for a step's time each, until none is left */
  function applyInBackground(): void {
    if (applyArmed) return;
    applyArmed = true;
    inTurn(() => {
      applyArmed = false;
      if (state !== 'ready' || unsupported || !db.open) return;
      const started = performance.now();
      while (touched.size > 0 && performance.now() - started < BUILD_STEP_MS && applyTouched(APPLY_SLICE)) appliedUnread = true;
      if (touched.size >= APPLY_SLICE) applyInBackground();
    });
  }

  /**
   * catchUp without it being a read (the background's moves need every write applied before they read values);
   * `limit` re-reads only that many of the touched rows (the rest stay touched)
   */
  function applyTouched(limit = Infinity): boolean {
    if (state === 'ready' && touched.size > Math.max(MAX_TOUCHED_ROWS, n / 4)) state = 'empty';
    // more rows added since the load than it read (a first pull onto a small cache): read them again in id order,
    // or every id lookup goes through `extra` and the ascending ids need a sort of all of them
    if (state === 'ready' && extra.size > Math.max(maxAddedRows, base)) state = 'empty';
    if (state !== 'ready') {
      loadInBackground();
      return false;
    }
    if (unsupported) return false;
    if (touched.size === 0) return true;
    let list: number[];
    if (touched.size <= limit) {
      list = [...touched];
      touched = new Set();
    } else {
      list = [];
      for (const id of touched) if (list.push(id) >= limit) break;
      for (const id of list) touched.delete(id);
    }
    for (const [column, pending] of orderTouched) {
      if (pending === 'rebuild') continue;
      for (const id of list) pending.add(id);
      if (!movable(pending.size)) orderTouched.set(column, 'rebuild');
    }
    if (building) for (const id of list) building.pending.add(id);
    const found = new Set<number>();
    for (const raw of byIdsStmt.all(JSON.stringify(list)) as RawRow[]) {
      found.add(raw[0]);
      let r = rowOf(raw[0]);
      if (r < 0) {
        if (!fitsId(raw[0])) {
          unsupported = true;
          return false;
        }
        if (n >= ids.length) allocate(Math.ceil(n * 1.5));
        r = n++;
        ids[r] = raw[0];
        extra.set(raw[0], r);
      }
      if (!store(r, raw)) {
        unsupported = true;
        return false;
      }
    }
    addedInIdOrder(); // rows come in page by page during a pull: merged a refresh at a time, not all on the first select all
    for (const id of list) {
      if (found.has(id)) continue;
      const r = rowOf(id);
      if (r >= 0) flags[r] = GONE; // deleted (or renumbered away)
    }
    return true;
  }

  /** the touched rows that still exist, in their new order, with their sort values */
  function sortedWithValues(column: JobSortColumn, idList: readonly number[]): [number, unknown][] {
    let stmt = sortedIdsStmts.get(column);
    if (!stmt) {
      stmt = db
        .prepare(
          `SELECT j.id, ${SORT_SQL[column]} FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?))
           ORDER BY ${SORT_SQL[column]} ASC, j.id ASC`,
        )
        .raw();
      sortedIdsStmts.set(column, stmt);
    }
    return stmt.all(JSON.stringify(idList)) as [number, unknown][];
  }

  function valueOf(column: JobSortColumn, id: number): unknown {
    let stmt = valueStmts.get(column);
    if (!stmt) {
      stmt = db.prepare(`SELECT ${SORT_SQL[column]} FROM jobs j WHERE j.id = ?`).pluck();
      valueStmts.set(column, stmt);
    }
    return stmt.get([id]);
  }

  /** does job `a` sort before job `b` (both in the table) by `column` then id: SQLite's own answer */
  function sqlBefore(column: JobSortColumn, a: number, b: number): boolean {
    let stmt = probeStmts.get(column);
    if (!stmt) {
      stmt = db.prepare(`SELECT j.id FROM jobs j WHERE j.id IN (?, ?) ORDER BY ${SORT_SQL[column]} ASC, j.id ASC LIMIT 1`).pluck();
      probeStmts.set(column, stmt);
    }
    return stmt.get([a, b]) === a;
  }

  /** does (value, id) of a kept job sort before (value, id) of a moving one */
  function keptBefore(column: JobSortColumn, keptId: number, kept: unknown, value: unknown, id: number): boolean {
    const c = compareSqlValues(kept, value);
    if (c === null) return sqlBefore(column, keptId, id); // a value this comparison does not know (a blob)
    return c < 0 || (c === 0 && keptId < id);
  }

  /**
   * The rows added since the load (base..n-1, found through `extra`) in id order. Rows are only ever appended, so
   * only those added since the last call are sorted, and merged in (each read that adds rows does it): a first
   * pull onto a small cache leaves hundreds of thousands, and sorting them all on a select all took ~40 ms at 450k.
   */
  function addedInIdOrder(): Int32Array {
    const covered = base + addedSorted.length;
    if (covered === n) return addedSorted;
    const fresh = Int32Array.from({ length: n - covered }, (_, i) => covered + i).sort((a, b) => ids[a]! - ids[b]!);
    const merged = new Int32Array(addedSorted.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < addedSorted.length && j < fresh.length)
      merged[k++] = ids[addedSorted[i]!]! < ids[fresh[j]!]! ? addedSorted[i++]! : fresh[j++]!;
    while (i < addedSorted.length) merged[k++] = addedSorted[i++]!;
    while (j < fresh.length) merged[k++] = fresh[j++]!;
    return (addedSorted = merged);
  }

  /**
   * The rows (those of `mask`, or all) in id order: the rows read in id order as they are, merged with those
   * added since (no sort by SQLite needed).
   */
  function rowsInIdOrder(mask: Uint8Array | null): Order {
    const added = addedInIdOrder();
    const rows = new Int32Array(mask ? countOf(mask) : Math.ceil(n * 1.05) + 16);
    let k = 0;
    let j = 0;
    for (let r = 0; r < base; r++) {
      if (mask && mask[r] === 0) continue;
      for (const id = ids[r]!; j < added.length && ids[added[j]!]! < id; j++) if (!mask || mask[added[j]!] !== 0) rows[k++] = added[j]!;
      rows[k++] = r;
    }
    for (; j < added.length; j++) if (!mask || mask[added[j]!] !== 0) rows[k++] = added[j]!;
    return { rows, length: k };
  }

  function buildOrder(column: JobSortColumn): Order {
    const started = performance.now();
    let order: Order;
    if (column === 'id') order = rowsInIdOrder(null);
    else {
      order = { rows: new Int32Array(Math.ceil(n * 1.05) + 16), length: 0 };
      const stmt = db.prepare(`SELECT j.id FROM jobs j ORDER BY ${SORT_SQL[column]} ASC, j.id ASC`).pluck();
      for (const id of stmt.iterate() as IterableIterator<number>) order.rows[order.length++] = rowOf(id);
    }
    log?.(`sortIndex: order by ${column} of ${order.length} jobs built in ${Math.round(performance.now() - started)} ms`);
    return order;
  }

  /** can `k` touched rows be moved one by one (~log2(n) value reads each) for less than a rebuild (a sort of all n) */
  const movable = (k: number) => k <= Math.max(16, (n * 0.3) / Math.log2(n + 2));

  /**
   * Moves the touched rows of a kept order to where they now sort (they may also be new, or gone), in place, working
   * until `until.ms` between yields. Its cost is the kept rows' values it reads (a few µs each, ~log2(n) a row): for
   * 1,000 rows at 1M, 10,000 reads held the worker 40-47 ms in one go. The status order reads none: the rows' statuses
   * are held (and every write applied before a move begins). The rows are taken out first (the order is then
   * without them until the end: orderFor moves them before any read of it); each place is found from values read
   * while no write came (moveCurrent), so the kept rows are still in the order those values give.
   */
  function* moveSteps(column: JobSortColumn, order: Order, pending: Set<number>, until: { ms: number }): Generator {
    const { rows } = order;
    if (pending.size <= 8) {
      for (const id of pending) {
        const at = rows.subarray(0, order.length).indexOf(rowOf(id));
        if (at < 0) continue;
        rows.copyWithin(at, at + 1, order.length);
        order.length--;
      }
    } else {
      const moving = scratch(n);
      moving.fill(0);
      for (const id of pending) {
        const r = rowOf(id);
        if (r >= 0) moving[r] = 1;
      }
      let k = 0;
      for (let i = 0; i < order.length; i++) if (moving[rows[i]!] === 0) rows[k++] = rows[i]!;
      order.length = k;
    }
    if (performance.now() > until.ms) yield;
    const incoming = sortedWithValues(column, [...pending]); // deleted ones are not there
    // where each goes among the kept rows: the first kept row sorting after it. Every search starts from the
    // whole range, so the first levels probe the same rows for all of them: their values are read once
    const probed = new Map<number, unknown>();
    const places = new Int32Array(incoming.length);
    for (let i = 0, sinceYield = 0; i < incoming.length; i++) {
      // eight rows at least a step: a step that ends at once still moves on
      if (++sinceYield > 8 && performance.now() > until.ms) {
        yield;
        sinceYield = 0;
      }
      const [id, value] = incoming[i]!;
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const keptRow = rows[mid]!;
        const keptId = ids[keptRow]!;
        let kept: unknown = column === 'status' ? statusNames[status[keptRow]!] : probed.get(keptId);
        if (kept === undefined && !probed.has(keptId)) probed.set(keptId, (kept = valueOf(column, keptId)));
        if (keptBefore(column, keptId, kept, value, id)) lo = mid + 1;
        else hi = mid;
      }
      places[i] = lo;
    }
    if (performance.now() > until.ms) yield;
    let target = rows;
    if (order.length + incoming.length > rows.length) {
      target = new Int32Array(Math.ceil((order.length + incoming.length) * 1.05) + 16);
      target.set(rows.subarray(0, order.length));
    }
    // merge from the back: each block of kept rows moves once
    let src = order.length;
    let dst = order.length + incoming.length;
    for (let i = incoming.length - 1; i >= 0; i--) {
      const p = places[i]!;
      target.copyWithin(dst - (src - p), p, src);
      dst -= src - p;
      src = p;
      target[--dst] = rowOf(incoming[i]![0]);
    }
    order.rows = target;
    order.length += incoming.length;
  }

  const moveUntil = { ms: Infinity };
  function startMove(column: JobSortColumn): NonNullable<typeof moving> {
    const order = orders.get(column)!;
    const pending = orderTouched.get(column) as Set<number>;
    return { column, order, pending, steps: moveSteps(column, order, pending, moveUntil), run: loadRun, since: lastTouch };
  }
  /** no write since the move began (its reads all see one state), and its order and rows are still the ones kept */
  const moveCurrent = (m: NonNullable<typeof moving>) =>
    m.run === loadRun && m.since === lastTouch && orders.get(m.column) === m.order && orderTouched.get(m.column) === m.pending;
  /** works on a move until `until`: 'moved' once its rows are all in place */
  function moveStep(m: NonNullable<typeof moving>, until: number): 'more' | 'moved' {
    moveUntil.ms = until;
    if (!m.steps.next().done) return 'more';
    orderTouched.set(m.column, new Set());
    return 'moved';
  }

  function orderFor(column: JobSortColumn): Order {
    if (moving?.column === column) {
      // a move under way in the background: finished at once if it is still current, else done again below
      const m = moving;
      moving = null;
      if (moveCurrent(m)) moveStep(m, Infinity);
    }
    let order = orders.get(column);
    const pending = orderTouched.get(column);
    if (!order || pending === 'rebuild') order = buildOrder(column);
    else if (pending && pending.size > 0) moveStep(startMove(column), Infinity);
    orders.delete(column);
    orders.set(column, order);
    orderTouched.set(column, new Set());
    while (orders.size > MAX_ORDERS) {
      const oldest = orders.keys().next().value!;
      orders.delete(oldest);
      orderTouched.delete(oldest);
    }
    return order;
  }

  let scratchBuf = new Uint8Array(0);
  let maskBuf = new Uint8Array(0);
  const scratch = (size: number) => {
    if (scratchBuf.length < size) scratchBuf = new Uint8Array(Math.ceil(size * 1.1));
    return scratchBuf;
  };

  /** rows matching `filter` as 1s (the same rows as whereForFilter's WHERE); valid until the next call */
  function maskFor(filter: JobFilter): Uint8Array {
    if (maskBuf.length < n) maskBuf = new Uint8Array(Math.ceil(n * 1.1));
    const mask = maskBuf;
    const hidden = filter.showArchived ? GONE : GONE | DISABLED;
    for (let r = 0; r < n; r++) mask[r] = (((flags[r]! & hidden) + 255) >>> 8) ^ 1; // 1 when none of `hidden` is set, with no branch
    const inList = (column: IdColumn, values: readonly number[] | undefined, alsoNull = false) => {
      if (!values) return;
      const wanted = values.filter((v) => Number.isInteger(v) && v > NULL_ID && v <= INT32_MAX);
      if (alsoNull) wanted.push(NULL_ID);
      keepAnyOf(mask, n, cols[column], wanted);
    };
    if (filter.teamId !== undefined) inList('team_id', [filter.teamId]);
    inList('created_by_id', filter.createdById);
    inList('assigned_to_id', filter.assignedToId);
    inList('reviewer_id', filter.reviewerId);
    inList('project_id', filter.projectId);
    inList('dataset_id', filter.datasetId);
    if (filter.queueId) {
      // 0: jobs that came from no queue
      inList(
        'labeling_queue_id',
        filter.queueId.filter((id) => id !== 0),
        filter.queueId.includes(0),
      );
    }
    if (filter.statuses) {
      const table = new Uint8Array(256);
      for (const s of filter.statuses) {
        const code = statusCodes.get(s);
        if (code !== undefined) table[code] = 1;
      }
      for (let r = 0; r < n; r++) mask[r] = mask[r]! & table[status[r]!]!;
    }
    // text and "only pending" ask another structure: the text's matches (textMatches.ts) and the outbox
    // `matching` ascending: one walk beside the rows read in id order (a search for each of 740k ids cost more)
    const keepIds = (matching: ArrayLike<number>) => {
      const hit = scratch(n);
      hit.fill(0, 0, n);
      let r = 0;
      for (let i = 0; i < matching.length; i++) {
        const id = matching[i]!;
        while (r < base && ids[r]! < id) r++;
        const row = r < base && ids[r] === id ? r : (extra.get(id) ?? -1);
        if (row >= 0) hit[row] = 1;
      }
      for (let r = 0; r < n; r++) mask[r] = mask[r]! & hit[r]!;
    };
    const text = filter.text?.trim();
    if (text) keepIds(matchingText(text));
    if (filter.onlyPending) {
      const where = whereForFilter({ onlyPending: true, showArchived: true });
      keepIds(
        db
          .prepare(`SELECT j.id FROM jobs j WHERE ${where.sql} ORDER BY j.id`)
          .pluck()
          .all(...where.params) as number[],
      );
    }
    return mask;
  }

  const countOf = (mask: Uint8Array) => {
    let total = 0;
    for (let r = 0; r < n; r++) total += mask[r]!;
    return total;
  };

  return {
    /** How many jobs match `filter`; null when SQL must answer (see query). */
    count(filter: JobFilter): number | null {
      return catchUp() ? countOf(maskFor(filter)) : null;
    },
    /**
     * Whether query() by `column` answers at once: its order is kept and has few rows to move. Not while a pull
     * writes thousands of rows between two reads (a million-job order then costs ~0.3 s to bring up to date; it
     * is made anew in the background once writes pause): the caller may have a cheaper way to the first rows.
     */
    quick(column: JobSortColumn): boolean {
      lastAsked = column;
      return catchUp() && (column === 'id' || !needsBuild(column));
    },
    /**
     * Whether `id` is a job held and not removed, from the rows held, without reading any: null when they cannot tell
     * (not read yet, or written since the last read), then SQL must. A bulk action's check of 10,000 ids read as many
     * scattered rows: ~150 ms on a file not read yet.
     */
    holds(id: number): boolean | null {
      if (state !== 'ready' || unsupported || touched.has(id)) return null;
      const r = rowOf(id);
      return r >= 0 && (flags[r]! & GONE) === 0;
    },
    /** Ids a write touched (inserted, changed, deleted): re-read on the next query. */
    touch(idList: Iterable<number>): void {
      if (state === 'empty') return; // the next load reads them
      lastTouch = performance.now();
      for (const id of idList) touched.add(id);
      if (state === 'ready' && touched.size >= APPLY_SLICE) applyInBackground();
    },
    /** `column`'s values changed with no job written (a queue renamed): its order is made anew, not moved row by row. */
    valuesChanged(column: JobSortColumn): void {
      if (building?.build.columns.includes(column)) building = null; // read before the change
      if (orders.has(column)) orderTouched.set(column, 'rebuild');
    },
    /** A write touched rows it cannot name: everything is read again (in the background) on the next query. */
    invalidate(): void {
      state = 'empty';
      loadRun++;
    },
    /** Resolves once every row is held (starting the load if need be): for tests and the benchmark. */
    ready,
    /** Resolves once every row is held and every column's order built in the background: for tests and the benchmark. */
    async ordersBuilt(): Promise<void> {
      for (;;) {
        await ready();
        if (state === 'ready' && (unsupported || (!building && !nextToBuild()))) return;
        const done = whenBuilt.wait();
        buildInBackground();
        await done;
      }
    },
    /**
     * Whether a sort by `column` would build its whole order at once (the rows are held, that order is not, or writes
     * touched too many of its rows to move): the caller may wait for it with whenOrderBuilt instead.
     */
    orderPending(column: JobSortColumn): boolean {
      return catchUp() && column !== 'id' && !sqlOnly.has(column) && needsWholeBuild(column);
    },
    /** when a write last touched rows (performance.now()): a sort that waited for a build while writes go on stops waiting */
    lastTouchAt(): number {
      return lastTouch;
    },
    /**
     * Whether a sort by `column` would move more touched rows of its kept order at once than is quick (a pull's
     * chunk, or a bulk change): the caller may wait for whenOrderBuilt instead, which moves them in steps.
     */
    movePending(column: JobSortColumn): boolean {
      return catchUp() && movesOnly(column);
    },
    /**
     * Builds `column`'s order (or moves its touched rows) next, in steps and at full pace (a build of other columns
     * is dropped), and resolves when a build ends: one order of a million jobs built at once held the worker 1-2 s.
     * Look again then.
     */
    whenOrderBuilt(column: JobSortColumn): Promise<void> {
      awaited = lastAsked = column;
      if (building && !building.build.columns.includes(column)) building = null;
      if (moving && moving.column !== column) moving = null; // its rows taken out stay to move (orderFor does it first)
      const ended = whenBuildEnds.wait();
      if (wakeBuilds) wakeBuilds();
      else buildInBackground();
      return ended;
    },
    /** Its rows are being read, or an order built, in the background (other background work waits for it). */
    backgroundBusy(): boolean {
      return state === 'loading' || building !== null || moving !== null || buildScheduled;
    },
    /** The grid read in the last moments: background work keeps to a part of the time, so the grid keeps the CPU. */
    readRecently,
    /** the longest a background load or build step held the thread, in ms */
    longestLoadStepMs(): number {
      return longestLoadStepMs;
    },
    /** rows writes touched that the structure has not re-read yet */
    touchedCount(): number {
      return touched.size;
    },
    /**
     * A window of the ids matching `filter` in `sort` order, and their count; null while the rows are
     * still being read (the first query starts that) or when this cache holds values the structure cannot:
     * then SQL answers. `limit` Infinity: every matching id. The first sort by a column builds its order.
     */
    query(filter: JobFilter, sort: JobSort, offset: number, limit: number): SortIndexAnswer | null {
      lastAsked = sort.column;
      if (!catchUp()) return null;
      const mask = maskFor(filter);
      const total = countOf(mask);
      const { rows, length } = orderFor(sort.column);
      const out = new Int32Array(Math.max(0, Math.min(limit, total - offset)));
      let skip = offset;
      let k = 0;
      const step = sort.direction === 'desc' ? -1 : 1;
      for (let i = step > 0 ? 0 : length - 1; k < out.length && i >= 0 && i < length; i += step) {
        const r = rows[i]!;
        if (mask[r] === 0) continue;
        if (skip > 0) skip--;
        else out[k++] = ids[r]!;
      }
      return { ids: out, total };
    },
    /** How many jobs match `filter` per status, in SQLite's order of the statuses (GROUP BY status); null when SQL must answer. */
    countsByStatus(filter: JobFilter): { status: string; count: number }[] | null {
      if (!catchUp()) return null;
      const mask = maskFor(filter);
      const counts = new Float64Array(statusCodes.size);
      for (let r = 0; r < n; r++) counts[status[r]!] = counts[status[r]!]! + mask[r]!;
      return [...statusCodes]
        .filter(([, code]) => counts[code]! > 0)
        .map(([s, code]) => ({ status: s, count: counts[code]! }))
        .sort((a, b) => compareSqlValues(a.status, b.status)!);
    },
    /**
     * Every id matching `filter`, ascending (select all matching), without an order: the rows read in id order
     * are walked as they are, and those added since (a few) merged in. Null when SQL must answer.
     */
    idsAscending(filter: JobFilter): Int32Array | null {
      if (!catchUp()) return null;
      const mask = maskFor(filter);
      if (n === base) {
        // every row read in id order (no rows added since): each id written, the next one's place moved on only if
        // its row matches, with no branch on the row (see keepAnyOf)
        const out = new Int32Array(n);
        let k = 0;
        for (let r = 0; r < n; r++) {
          out[k] = ids[r]!;
          k += mask[r]!;
        }
        return out.subarray(0, k);
      }
      const { rows, length } = rowsInIdOrder(mask);
      for (let i = 0; i < length; i++) rows[i] = ids[rows[i]!]!; // rows to their ids, in place
      return rows.subarray(0, length);
    },
    /** what the structure holds, in bytes (for the benchmark's memory figure) */
    bytes(): number {
      let sum = ids.byteLength + status.byteLength + flags.byteLength;
      for (const c of ID_COLUMNS) sum += cols[c]?.byteLength ?? 0;
      for (const o of orders.values()) sum += o.rows.byteLength;
      sum += maskBuf.byteLength + scratchBuf.byteLength;
      return sum + extra.size * 40;
    },
  };
}

export type SortIndex = ReturnType<typeof createSortIndex>;
