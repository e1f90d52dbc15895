// Why this exists (issue 14): SQLite sorts a million jobs by a column without an index in one statement of
// 0.6–1.2 s, which is how long the first sort by that column made the lead wait. Here the same order, SQLite's
// (column, id) ascending, is built in steps of a few milliseconds: the values are read in id order in slices,
// then sorted in passes that can stop anywhere: text merge-sorted in runs, numbers and times radix-sorted by
// their bits; a column of few distinct values (a status, a login) is counting-sorted by their rank instead.
// Counting and radix passes are stable and the rows come in id order, so ties stay by id.
// Several such columns are read in one pass (a read of a million rows is most of a build: ~0.4 s of a time
// column's 0.45 s), keeping a small code per row for each, or for numbers and times the value itself (8 bytes a
// row each while the build runs). The sort index runs these steps between the worker's other tasks once its rows
// are read, so a sort change finds its order ready.
import type { JobSortColumn } from '#shared/contract';
import type { Db } from './db';
import { SORT_SQL } from './jobQuery';

/** rows sorted by Array.prototype.sort at once (well under a millisecond) before the merge passes */
const RUN = 1024;
/** elements merged between two looks at the clock */
const CLOCK_EVERY = 1024;
/** rows counted or placed between two looks at the clock (one cheap step each, as in the counting and radix sorts) */
const ROWS_PER_LOOK = 64 * CLOCK_EVERY;
/** a radix sort's digits: four of 16 bits make a number's 64 */
const DIGITS = 4;
const RADIX = 1 << 16;
/** a column with at most this many distinct values (statuses, logins, projects) is ordered by counting, not comparing */
const FEW_VALUES = 4096;
/**
 * A server time of one fixed form. Times of the same length in this form sort as text the way they sort as
 * instants (the fraction has at most the milliseconds Date.parse keeps), so a time column whose every value
 * has the form is merged as numbers, and faster.
 */
const SERVER_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z$/;

/**
 * How the one column of a merge keeps its values by row. A million strings or boxed numbers kept until the
 * merge ends were the longest pauses of a build (scavenges copying them, then a mark-compact over them: 13–20 ms
 * at 1M), so values of one kind live in typed arrays: numbers and times as doubles, text as its UTF-8 bytes
 * (whose byte order is SQLite's order of text). Values of mixed kinds (only a foreign file's: the cache's columns
 * are TEXT or numeric) are not kept: such a column is counted if it has few values, else left to SQLite.
 */
type Kept = 'number' | 'time' | 'text' | 'mixed';

const utf8 = new TextEncoder();

export interface BuiltOrder {
  /** row numbers in (column, id) ascending order; room to grow past `length` */
  rows: Int32Array;
  length: number;
}

/**
 * What a build gives each of its columns: its order; 'sql' when the column holds values this comparison does not
 * know (blobs), or many values of mixed kinds: SQLite must sort that one; 'alone' when a column read with others
 * has too many distinct values to count: it needs a build of its own (which merges).
 */
export type BuildResult = BuiltOrder | 'sql' | 'alone';

export interface OrderBuild {
  readonly columns: readonly JobSortColumn[];
  /** Works until `deadline` (performance.now()); 'more' while not done, then each column's result. */
  step(deadline: number): 'more' | Map<JobSortColumn, BuildResult>;
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
 * One column as it is read: whether it holds blobs; while its values are few, a code per row (by read position);
 * and its values by row (see Kept), for a sort of many values.
 */
interface ColumnRead {
  column: JobSortColumn;
  blob: boolean;
  /** value → code while there are few (then code → rank once sorted); null once there are too many */
  distinct: Map<unknown, number> | null;
  codes: Int32Array | null;
  /** the kind of its values, from the first that is not NULL */
  kept: Kept | null;
  isNull: Uint8Array;
  /** numbers and times, by row (allocated once the column is seen to hold them) */
  numbers: Float64Array | null;
  /** the length every time shares (while kept as times) */
  timeLength: number;
}

/**
 * Starts building the orders of `columns` over the jobs now in the table, from one read. `rowOf` gives the sort
 * index's row number of an id, or -1 for a row it has not read yet (written since: the caller moves those in
 * afterwards, as it does for every write). `rowCount` bounds the row numbers. One column may have many distinct
 * values of any kind; of several, each must have few, or be numbers or times of one form (else it is left 'alone').
 */
export function startOrderBuild(
  db: Db,
  columns: readonly JobSortColumn[],
  rowOf: (id: number) => number,
  rowCount: number,
  sliceRows: number,
): OrderBuild {
  const list = columns.map((c) => SORT_SQL[c]).join(', ');
  // a slice of several columns costs about as much more: fewer rows keep one slice within a step
  const rowsPerSlice = Math.max(1, Math.ceil(sliceRows / columns.length));
  const slice = db.prepare(`SELECT j.id, ${list} FROM jobs j WHERE j.id > ? ORDER BY j.id LIMIT ${rowsPerSlice}`).raw();
  const single = columns.length === 1;
  // the one column's text by row, for its merge sort should it have many values (see Kept)
  const textStart = new Int32Array(single ? rowCount : 0);
  const textBytes = new Int32Array(single ? rowCount : 0);
  let textPool = new Uint8Array(single ? 1024 : 0);
  let textUsed = 0;
  const idAt = new Int32Array(rowCount);
  /** the rows as read, in id order (the counting sorts' codes are by this position) */
  const inReadOrder = new Int32Array(Math.ceil(rowCount * 1.05) + 16);
  /** the rows the merge or radix sort of the current column moves */
  let items: Int32Array = inReadOrder;
  const freshRead = (column: JobSortColumn, kept: Kept | null = null): ColumnRead => ({
    column,
    blob: false,
    distinct: new Map(),
    codes: new Int32Array(inReadOrder.length),
    kept,
    isNull: new Uint8Array(rowCount),
    numbers: null,
    timeLength: 0,
  });
  const reads: ColumnRead[] = columns.map((c) => freshRead(c));
  let length = 0;
  let after = -Infinity;
  let read = false;
  let readAgain = false;
  const results = new Map<JobSortColumn, BuildResult>();
  /** the column being ordered (after the read), and its counting sort's state */
  let current = 0;
  let counting: { rankOf: Int32Array; starts: Int32Array; out: Int32Array; cursor: number; placing: boolean } | null = null;
  let compare: Compare | null = null;
  // the merge sort's state: runs sorted up to `sortedRuns`, then passes of `width` from items into dst (swapped after each)
  let sortedRuns = 0;
  let width = RUN;
  let dst: Int32Array | null = null;
  let spare: Int32Array | null = null;
  let lo = 0;
  let i = 0;
  let j = 0;
  let k = 0;

  /**
   * keeps a column's value of row `r`. Text is kept for a build of one column only; a time of another form has that
   * column read again, as text (one of several is left 'alone': its own build does that)
   */
  function keep(col: ColumnRead, r: number, value: unknown): void {
    if (value === null) {
      col.isNull[r] = 1;
      return;
    }
    if (col.kept === null) {
      if (typeof value === 'number') col.kept = 'number';
      else if (typeof value === 'string' && SERVER_TIME.test(value)) [col.kept, col.timeLength] = ['time', value.length];
      else col.kept = typeof value === 'string' ? 'text' : 'mixed';
      if (col.kept === 'number' || col.kept === 'time') col.numbers = new Float64Array(rowCount);
    }
    const kept = col.kept;
    if (kept === 'number' && typeof value === 'number')
      col.numbers![r] = value || 0; // -0 ties with 0, as in SQLite
    else if (kept === 'time' && typeof value === 'string' && value.length === col.timeLength && SERVER_TIME.test(value))
      col.numbers![r] = Date.parse(value);
    else if (kept === 'text' && typeof value === 'string') {
      if (single) keepText(r, value);
    } else if (kept === 'time' && typeof value === 'string' && single) {
      col.kept = 'text';
      readAgain = true;
    } else col.kept = 'mixed';
  }

  function keepText(r: number, value: string): void {
    if (textUsed + value.length * 3 > textPool.length) {
      const grown = new Uint8Array(Math.max(textPool.length * 2, textUsed + value.length * 3));
      grown.set(textPool.subarray(0, textUsed));
      textPool = grown;
    }
    const { written } = utf8.encodeInto(value, textPool.subarray(textUsed));
    textStart[r] = textUsed;
    textBytes[r] = written;
    textUsed += written;
  }

  function readSlice(): boolean {
    const rows = slice.all(after) as [number, ...unknown[]][];
    for (const row of rows) {
      const id = row[0];
      const r = rowOf(id);
      if (r < 0 || r >= rowCount) continue;
      for (let c = 0; c < reads.length; c++) {
        const col = reads[c]!;
        const value = row[c + 1];
        if (value !== null && typeof value === 'object') col.blob = true;
        if (col.distinct) {
          let code = col.distinct.get(value);
          if (code === undefined && col.distinct.size < FEW_VALUES) col.distinct.set(value, (code = col.distinct.size));
          if (code === undefined) {
            col.distinct = null;
            col.codes = null;
          } else col.codes![length] = code;
        }
        // text is kept for one column only; of several, a text column is counted or left alone
        if (col.kept !== 'mixed' && (single || col.kept !== 'text')) keep(col, r, value);
      }
      idAt[r] = id;
      inReadOrder[length++] = r;
    }
    if (readAgain) {
      // a time of another form: read everything again, kept as text
      readAgain = false;
      after = -Infinity;
      length = 0;
      textUsed = 0;
      for (const col of reads) Object.assign(col, freshRead(col.column, col.kept));
      return false;
    }
    if (rows.length < rowsPerSlice) return true;
    after = rows[rows.length - 1]![0];
    return false;
  }

  /** the one text column's order by its UTF-8 bytes (SQLite's order of text), nulls first, ties by id */
  function textComparison({ isNull }: ColumnRead): Compare {
    const tie = (a: number, b: number) => idAt[a]! - idAt[b]!;
    const nulls = (a: number, b: number) => (isNull[a] ? (isNull[b] ? tie(a, b) : -1) : 1);
    return (a, b) => {
      if (isNull[a]! | isNull[b]!) return nulls(a, b);
      const lengthA = textBytes[a]!;
      const lengthB = textBytes[b]!;
      const n = lengthA < lengthB ? lengthA : lengthB;
      const p = textStart[a]!;
      const q = textStart[b]!;
      for (let c = 0; c < n; c++) {
        const x = textPool[p + c]!;
        const y = textPool[q + c]!;
        if (x !== y) return x - y;
      }
      return lengthA - lengthB || tie(a, b);
    };
  }

  /** the counting sort: ranks of the few values, then how many rows each has, then rows placed in id order */
  function countingStep(col: ColumnRead, deadline: number): BuiltOrder | 'more' {
    const few = col.distinct!;
    const codes = col.codes!;
    if (!counting) {
      const sorted = [...few.keys()].sort((a, b) => compareSqlValues(a, b) ?? 0); // no blobs here (checked before)
      const rankOf = new Int32Array(sorted.length);
      sorted.forEach((value, rank) => (rankOf[few.get(value)!] = rank));
      counting = { rankOf, starts: new Int32Array(sorted.length + 1), out: new Int32Array(inReadOrder.length), cursor: 0, placing: false };
    }
    const state = counting;
    const { rankOf, starts, out } = state;
    while (state.cursor < length) {
      const end = Math.min(length, state.cursor + ROWS_PER_LOOK);
      if (!state.placing) {
        for (let p = state.cursor; p < end; p++) starts[rankOf[codes[p]!]! + 1]!++;
      } else {
        for (let p = state.cursor; p < end; p++) out[starts[rankOf[codes[p]!]!]!++] = inReadOrder[p]!;
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

  /** the one text column's merge sort (items sorted in place, in runs, then merged pass by pass) */
  function mergeStep(col: ColumnRead, deadline: number): BuiltOrder | 'more' {
    const cmp = (compare ??= textComparison(col));
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
  }

  /** the radix sort's state: each row's key, a count of each 16-bit digit, then the passes that move rows */
  let radix: { keys: Uint32Array; counts: Int32Array; digit: number; cursor: number; counted: boolean } | null = null;

  /**
   * The one column's order when it is kept as numbers (or times): a least-significant-digit radix sort of each
   * row's 64 bits, a few times faster than merging. Each pass is stable and the rows come in id order, so ties
   * stay by id; a null's key is below every number's, as SQLite puts NULL first.
   */
  function radixStep({ numbers, isNull }: ColumnRead, deadline: number): BuiltOrder | 'more' {
    if (!radix) {
      // of several columns, each one's passes start from a copy of the rows as read (the counting sorts read them)
      if (!single) items = inReadOrder.slice();
      // numbers' own bits, as two 32-bit halves (low first: the platforms Node runs on are little-endian)
      const keys = new Uint32Array(numbers!.buffer, numbers!.byteOffset, numbers!.length * 2);
      radix = { keys, counts: new Int32Array(DIGITS * RADIX), digit: 0, cursor: 0, counted: false };
    }
    const state = radix;
    const { keys, counts } = state;
    while (!state.counted) {
      // each row's bits made to sort as unsigned integers (negatives flipped whole, others their sign bit), then
      // every digit counted in one look at the row
      const end = Math.min(length, state.cursor + ROWS_PER_LOOK);
      for (let p = state.cursor; p < end; p++) {
        const r = items[p]!;
        let hi = keys[2 * r + 1]!;
        let lo = keys[2 * r]!;
        if (isNull[r]) hi = lo = 0;
        else if (hi & 0x80000000) {
          hi = ~hi >>> 0;
          lo = ~lo >>> 0;
        } else hi = (hi | 0x80000000) >>> 0;
        keys[2 * r + 1] = hi;
        keys[2 * r] = lo;
        counts[lo & 0xffff]!++;
        counts[RADIX + (lo >>> 16)]!++;
        counts[2 * RADIX + (hi & 0xffff)]!++;
        counts[3 * RADIX + (hi >>> 16)]!++;
      }
      state.cursor = end;
      if (end === length) {
        state.counted = true;
        state.cursor = -1;
      }
      if (performance.now() >= deadline) return 'more';
    }
    for (; state.digit < DIGITS; state.digit++, state.cursor = -1) {
      const base = state.digit * RADIX;
      const word = state.digit >> 1;
      const shift = (state.digit & 1) * 16;
      if (state.cursor === -1) {
        // a digit every row shares moves nothing: its pass is skipped (times share their top bits)
        if (length === 0 || counts[base + ((keys[2 * items[0]! + word]! >>> shift) & 0xffff)] === length) continue;
        let sum = 0;
        for (let d = base; d < base + RADIX; d++) {
          const count = counts[d]!;
          counts[d] = sum;
          sum += count;
        }
        dst = spare ?? new Int32Array(items.length);
        state.cursor = 0;
      }
      const out = dst!;
      while (state.cursor < length) {
        const end = Math.min(length, state.cursor + ROWS_PER_LOOK);
        for (let p = state.cursor; p < end; p++) {
          const r = items[p]!;
          out[counts[base + ((keys[2 * r + word]! >>> shift) & 0xffff)]!++] = r;
        }
        state.cursor = end;
        if (end < length && performance.now() >= deadline) return 'more';
      }
      spare = items;
      items = out;
      dst = null;
      if (performance.now() >= deadline) {
        state.digit++;
        state.cursor = -1;
        return 'more';
      }
    }
    return { rows: items, length };
  }

  return {
    columns,
    step(deadline) {
      while (!read) {
        const started = performance.now();
        read = readSlice();
        const now = performance.now();
        if (!read && now + (now - started) >= deadline) return 'more'; // the next slice would likely end past it
      }
      for (; current < reads.length; current++, counting = radix = null) {
        const col = reads[current]!;
        const { kept } = col;
        let result: BuildResult | 'more';
        if (col.blob) result = 'sql';
        else if (col.distinct) result = countingStep(col, deadline);
        else if (kept === 'number' || kept === 'time') result = radixStep(col, deadline);
        else if (!single) result = 'alone';
        else if (kept === 'mixed') result = 'sql';
        else result = mergeStep(col, deadline);
        if (result === 'more') return 'more';
        results.set(col.column, result);
        if (performance.now() >= deadline && current + 1 < reads.length) {
          current++;
          counting = radix = null;
          return 'more';
        }
      }
      return results;
    },
  };
}
