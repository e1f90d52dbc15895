// Why this exists (issue 14): SQLite sorts a million jobs by a column without an index in one statement of
// 0.6–1.2 s, which is how long the first sort by that column made the lead wait. Here the same order, SQLite's
// (column, id) ascending, is built in steps of a few milliseconds: the values are read in id order in slices,
// then merge-sorted in runs and passes that can stop anywhere; a column of few distinct values (a status, a
// login) is counting-sorted by their rank instead, since the rows come in id order and its ties are by id.
// The sort index runs these steps between the worker's other tasks once its rows are read, so a sort change
// finds its order ready.
import type { JobSortColumn } from '#shared/contract';
import type { Db } from './db';
import { SORT_SQL } from './jobQuery';

/** rows sorted by Array.prototype.sort at once (well under a millisecond) before the merge passes */
const RUN = 1024;
/** elements merged between two looks at the clock */
const CLOCK_EVERY = 1024;
/** a column with at most this many distinct values (statuses, logins, projects) is ordered by counting, not comparing */
const FEW_VALUES = 4096;

export interface BuiltOrder {
  /** row numbers in (column, id) ascending order; room to grow past `length` */
  rows: Int32Array;
  length: number;
}

export interface OrderBuild {
  readonly column: JobSortColumn;
  /**
   * Works until `deadline` (performance.now()); the order once built, 'more' while not, or 'sql' when the
   * column holds values this comparison does not know (blobs): SQLite must sort that one.
   */
  step(deadline: number): BuiltOrder | 'more' | 'sql';
}

type Compare = (a: number, b: number) => number;

/**
 * SQLite's order of two values of one column (NULL, then numbers, then text by its UTF-8 bytes, which is
 * code point order: UTF-16 code units compare the same except that surrogates must sort after U+E000–U+FFFF).
 * Null for values it does not know (blobs): the caller asks SQLite.
 */
export function compareSqlValues(a: unknown, b: unknown): number | null {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const numA = typeof a === 'number' || typeof a === 'bigint';
  const numB = typeof b === 'number' || typeof b === 'bigint';
  if (numA && numB) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') {
    const len = Math.min(a.length, b.length);
    for (let i = 0; i < len; i++) {
      let x = a.charCodeAt(i);
      let y = b.charCodeAt(i);
      if (x === y) continue;
      if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      return x < y ? -1 : 1;
    }
    return a.length - b.length;
  }
  if (numA && typeof b === 'string') return -1;
  if (typeof a === 'string' && numB) return 1;
  return null;
}

/**
 * Starts building `column`'s order over the jobs now in the table. `rowOf` gives the sort index's row number
 * of an id, or -1 for a row it has not read yet (written since: the caller moves those in afterwards, as it
 * does for every write). `rowCount` bounds the row numbers.
 */
export function startOrderBuild(
  db: Db,
  column: JobSortColumn,
  rowOf: (id: number) => number,
  rowCount: number,
  sliceRows: number,
): OrderBuild {
  const slice = db.prepare(`SELECT j.id, ${SORT_SQL[column]} FROM jobs j WHERE j.id > ? ORDER BY j.id LIMIT ${sliceRows}`).raw();
  const values: unknown[] = new Array<unknown>(rowCount);
  const idAt = new Int32Array(rowCount);
  let items: Int32Array = new Int32Array(Math.ceil(rowCount * 1.05) + 16);
  let length = 0;
  let after = -Infinity;
  let read = false;
  /** kinds seen: text with a character at or above U+D800 (JS and SQLite order those differently), blobs */
  let numbers = false;
  let texts = false;
  let wideText = false;
  let blob = false;
  let compare: Compare | null = null;
  /** the distinct values while there are few, then each one's rank; null once there are too many */
  let distinct: Map<unknown, number> | null = new Map();
  let ranked: { rankAt: Int32Array; starts: Int32Array; out: Int32Array; cursor: number; placing: boolean } | null = null;
  // the merge sort's state: runs sorted up to `sortedRuns`, then passes of `width` from items into dst (swapped after each)
  let sortedRuns = 0;
  let width = RUN;
  let dst: Int32Array | null = null;
  let spare: Int32Array | null = null;
  let lo = 0;
  let i = 0;
  let j = 0;
  let k = 0;

  function readSlice(): boolean {
    const rows = slice.all(after) as [number, unknown][];
    for (const [id, value] of rows) {
      const r = rowOf(id);
      if (r < 0 || r >= rowCount) continue;
      if (typeof value === 'string') {
        texts = true;
        if (!wideText && /[\uD800-\uFFFF]/.test(value)) wideText = true;
      } else if (typeof value === 'number' || typeof value === 'bigint') numbers = true;
      else if (value !== null) blob = true;
      values[r] = value;
      idAt[r] = id;
      items[length++] = r;
      if (distinct && !distinct.has(value)) {
        if (distinct.size < FEW_VALUES) distinct.set(value, 0);
        else distinct = null;
      }
    }
    if (rows.length < sliceRows) return true;
    after = rows[rows.length - 1]![0];
    return false;
  }

  /** the comparison for the kinds this column holds: native where it equals SQLite's, else compareSqlValues */
  function comparison(): Compare {
    const tie = (a: number, b: number) => idAt[a]! - idAt[b]!;
    // (the cache's columns are TEXT or numeric, so mixed kinds would be a foreign file's)
    if (wideText || (numbers && texts)) return (a, b) => compareSqlValues(values[a], values[b]) || tie(a, b);
    return (a, b) => {
      const x = values[a] as string | number | null;
      const y = values[b] as string | number | null;
      if (x === y) return tie(a, b);
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    };
  }

  /** the counting sort: ranks of the few values, then how many rows each has, then rows placed in id order */
  function countingStep(few: Map<unknown, number>, deadline: number): BuiltOrder | 'more' {
    if (!ranked) {
      const sorted = [...few.keys()].sort((a, b) => compareSqlValues(a, b) ?? 0); // no blobs here (checked before)
      sorted.forEach((value, rank) => few.set(value, rank));
      ranked = {
        rankAt: new Int32Array(length),
        starts: new Int32Array(sorted.length + 1),
        out: new Int32Array(items.length),
        cursor: 0,
        placing: false,
      };
    }
    const state = ranked;
    const { rankAt, starts, out } = state;
    while (state.cursor < length) {
      const end = Math.min(length, state.cursor + 64 * CLOCK_EVERY);
      if (!state.placing) {
        for (let p = state.cursor; p < end; p++) starts[(rankAt[p] = few.get(values[items[p]!])!) + 1]!++;
      } else {
        for (let p = state.cursor; p < end; p++) out[starts[rankAt[p]!]!++] = items[p]!;
      }
      state.cursor = end;
      if (state.cursor === length && !state.placing) {
        for (let r = 1; r < starts.length; r++) starts[r]! += starts[r - 1]!;
        state.placing = true;
        state.cursor = 0;
      }
      if (performance.now() >= deadline) return 'more';
    }
    return { rows: out, length };
  }

  /** merges the next pairs of runs of `width` from items into dst; false at the deadline */
  function mergePass(cmp: Compare, deadline: number): boolean {
    const out = dst!;
    let budget = CLOCK_EVERY;
    while (lo < length) {
      const mid = Math.min(lo + width, length);
      const hi = Math.min(lo + 2 * width, length);
      while (i < mid && j < hi) {
        out[k++] = cmp(items[i]!, items[j]!) <= 0 ? items[i++]! : items[j++]!;
        if (--budget === 0) {
          if (performance.now() >= deadline) return false;
          budget = CLOCK_EVERY;
        }
      }
      while (i < mid) out[k++] = items[i++]!;
      while (j < hi) out[k++] = items[j++]!;
      lo = hi;
      i = lo;
      j = Math.min(lo + width, length);
    }
    return true;
  }

  return {
    column,
    step(deadline) {
      while (!read) {
        const started = performance.now();
        read = readSlice();
        const now = performance.now();
        if (!read && now + (now - started) >= deadline) return 'more'; // the next slice would likely end past it
      }
      if (blob) return 'sql';
      if (distinct) return countingStep(distinct, deadline);
      compare ??= comparison();
      const cmp = compare;
      while (sortedRuns * RUN < length) {
        const from = sortedRuns * RUN;
        items.subarray(from, Math.min(from + RUN, length)).sort(cmp);
        sortedRuns++;
        if (performance.now() >= deadline) return 'more';
      }
      while (width < length) {
        if (!dst) {
          dst = spare ?? new Int32Array(items.length);
          lo = 0;
          i = 0;
          j = Math.min(width, length);
          k = 0;
        }
        if (!mergePass(cmp, deadline)) return 'more';
        spare = items;
        items = dst!;
        dst = null;
        width *= 2;
        if (performance.now() >= deadline) return 'more';
      }
      return { rows: items, length };
    },
  };
}
