// A sorted set of job ids as a short string, for answers that carry every matching id (select all).
// Ids are mostly dense (server ids count up, offline ones count down from -1), so the set is written as
// runs of consecutive ids: the first run's start, its length, then for each further run the gap since
// the previous run's end and its length, all base 36, comma-separated. 960,000 dense ids are about
// 160 kB instead of 7 MB of JSON, and parse into the runs themselves (the renderer's IdSet keeps them
// as they are) or into a sorted Int32Array.
//   [3, 4, 5, 9, 10, -2]  →  sorted [-2, 3, 4, 5, 9, 10]  →  runs (-2,1) (3,3) (9,2)  →  "-2,1,5,3,4,2"
// Pure module (no imports): the core encodes, the renderer decodes, the contract checks it.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** what a decoder accepts by default: well above the 1M jobs a cache is sized for */
export const ID_RUNS_MAX_COUNT = 5_000_000;
/** the characters an encoding may contain (the empty string is the empty set) */
export const ID_RUNS_PATTERN = /^(?:-?[0-9a-z]{1,7}(?:,[0-9a-z]{1,7})*)?$/;

export class IdRunsError extends Error {
  override name = 'IdRunsError';
}

/** A sorted id set as its runs of consecutive ids: each run's first id and length, ascending. */
export interface IdRuns {
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  /** how many ids the runs hold */
  readonly count: number;
}

/**
 * The runs of ascending, distinct int32 ids. Refuses anything else (unsorted, repeated, not an int32):
 * runs that silently reordered or merged ids would select other jobs than the caller meant.
 */
export function runsOfSorted(sortedIds: ArrayLike<number>): IdRuns {
  const n = sortedIds.length;
  const starts: number[] = [];
  const lengths: number[] = [];
  let prev = 0;
  let runStart = 0;
  for (let i = 0; i < n; i++) {
    const id = sortedIds[i]!;
    if (!Number.isInteger(id) || id < INT32_MIN || id > INT32_MAX) throw new IdRunsError(`Id at ${i} is not a 32-bit integer: ${id}.`);
    if (i > 0 && id <= prev) throw new IdRunsError(`Ids must be ascending and distinct: ${id} at ${i} follows ${prev}.`);
    if (i === 0 || id !== prev + 1) {
      if (i > 0) lengths.push(prev - runStart + 1);
      starts.push((runStart = id));
    }
    prev = id;
  }
  if (n > 0) lengths.push(prev - runStart + 1);
  return { starts: Int32Array.from(starts), lengths: Int32Array.from(lengths), count: n };
}

/** Encodes ascending, distinct int32 ids (IdRunsError otherwise, see runsOfSorted). */
export function encodeIdRuns(sortedIds: ArrayLike<number>): string {
  const { starts, lengths } = runsOfSorted(sortedIds);
  const parts = new Array<string>(starts.length * 2);
  for (let r = 0; r < starts.length; r++) {
    parts[2 * r] = (r === 0 ? starts[0]! : starts[r]! - (starts[r - 1]! + lengths[r - 1]! - 1)).toString(36);
    parts[2 * r + 1] = lengths[r]!.toString(36);
  }
  return parts.join(',');
}

/** The token list of a well-formed encoding, or an IdRunsError saying what is wrong with it. */
function tokensOf(encoded: string): string[] {
  if (typeof encoded !== 'string') throw new IdRunsError('An id set must be a string.');
  if (encoded === '') return [];
  if (!ID_RUNS_PATTERN.test(encoded)) throw new IdRunsError('An id set may hold only base-36 numbers separated by commas.');
  const tokens = encoded.split(',');
  if (tokens.length % 2 !== 0) throw new IdRunsError('An id set must hold pairs of numbers (a start or gap, and a run length).');
  return tokens;
}

/** The runs of an encoding, checked: IdRunsError when it is malformed or holds more than `maxCount` ids. */
export function parseIdRuns(encoded: string, maxCount = ID_RUNS_MAX_COUNT): IdRuns {
  const tokens = tokensOf(encoded);
  const starts = new Int32Array(tokens.length / 2);
  const lengths = new Int32Array(tokens.length / 2);
  let count = 0;
  let end = 0; // last id of the previous run
  for (let r = 0; r < starts.length; r++) {
    const head = parseInt(tokens[2 * r]!, 36);
    const length = parseInt(tokens[2 * r + 1]!, 36);
    // only the first token may be negative (the pattern says so); runs are maximal, so gaps skip an id
    if (r > 0 && head < 2) throw new IdRunsError(`Run ${r + 1}: a gap must be at least 2.`);
    if (length < 1) throw new IdRunsError(`Run ${r + 1}: a run must hold at least one id.`);
    const start = r === 0 ? head : end + head;
    end = start + length - 1;
    if (start < INT32_MIN || end > INT32_MAX) throw new IdRunsError(`Run ${r + 1} leaves the 32-bit id range.`);
    count += length;
    if (count > maxCount) throw new IdRunsError(`The id set holds more than ${maxCount.toLocaleString('en-US')} ids.`);
    starts[r] = start;
    lengths[r] = length;
  }
  return { starts, lengths, count };
}

/** How many ids an encoding holds; IdRunsError when it is malformed or holds more than `maxCount`. */
export function countIdRuns(encoded: string, maxCount = ID_RUNS_MAX_COUNT): number {
  return parseIdRuns(encoded, maxCount).count;
}

/** The ids of an encoding, ascending; IdRunsError when it is malformed or holds more than `maxCount`. */
export function decodeIdRuns(encoded: string, maxCount = ID_RUNS_MAX_COUNT): Int32Array {
  const { starts, lengths, count } = parseIdRuns(encoded, maxCount);
  const out = new Int32Array(count);
  let k = 0;
  for (let r = 0; r < starts.length; r++) {
    const start = starts[r]!;
    for (let i = 0, n = lengths[r]!; i < n; i++) out[k++] = start + i;
  }
  return out;
}
