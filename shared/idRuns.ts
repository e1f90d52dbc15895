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

/** Encodes ascending, distinct int32 ids (IdRunsError otherwise, as runsOfSorted). */
export function encodeIdRuns(sortedIds: ArrayLike<number>): string {
  // one pass writing ASCII bytes, decoded once: runs in arrays, 180k toString(36) and a join took 3× as long
  const n = sortedIds.length;
  let bytes = new Uint8Array(Math.min(n, 1 << 16) * 18 + 18); // a token is at most a sign and 7 digits, then a comma
  let at = 0;
  const write = (value: number) => {
    if (at + 18 > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2);
      grown.set(bytes);
      bytes = grown;
    }
    if (value < 0) {
      bytes[at++] = 45; // '-'
      value = -value;
    }
    let digits = 1;
    for (let rest = value; rest >= 36; rest = Math.floor(rest / 36)) digits++;
    for (let k = at + digits - 1; k >= at; k--) {
      const digit = value % 36;
      bytes[k] = digit < 10 ? 48 + digit : 87 + digit;
      value = (value - digit) / 36;
    }
    at += digits;
    bytes[at++] = 44; // ','
  };
  let prev = 0;
  let runStart = 0;
  let prevEnd = 0; // last id of the run before the current one
  for (let i = 0; i < n; i++) {
    const id = sortedIds[i]!;
    if (!Number.isInteger(id) || id < INT32_MIN || id > INT32_MAX) throw new IdRunsError(`Id at ${i} is not a 32-bit integer: ${id}.`);
    if (i > 0 && id <= prev) throw new IdRunsError(`Ids must be ascending and distinct: ${id} at ${i} follows ${prev}.`);
    if (i > 0 && id !== prev + 1) {
      write(at === 0 ? runStart : runStart - prevEnd);
      write(prev - runStart + 1);
      prevEnd = prev;
      runStart = id;
    } else if (i === 0) runStart = id;
    prev = id;
  }
  if (n > 0) {
    write(at === 0 ? runStart : runStart - prevEnd);
    write(prev - runStart + 1);
  }
  latin1 ??= new TextDecoder('latin1');
  return latin1.decode(bytes.subarray(0, Math.max(0, at - 1)));
}

/** made on the first encoding: the contract (so this module) also loads in the sandboxed preload, which has no TextDecoder */
let latin1: TextDecoder | undefined;

const COMMA = 44;
const MINUS = 45;

/**
 * Reads an encoding's runs in one pass over its characters (no split, no regex: select all at 1M jobs
 * parses ~100k runs in the page and checks them in the core), writing each run into `into` when given;
 * how many runs and ids it holds, or an IdRunsError saying what is wrong.
 */
function scanRuns(encoded: string, maxCount: number, into?: { starts: Int32Array; lengths: Int32Array }): { runs: number; count: number } {
  if (typeof encoded !== 'string') throw new IdRunsError('An id set must be a string.');
  const n = encoded.length;
  const badCharacters = () => new IdRunsError('An id set may hold only base-36 numbers separated by commas.');
  let i = 0;
  /** the base-36 number at i (1 to 7 digits), leaving i after it */
  const token = (): number => {
    let value = 0;
    const first = i;
    for (; i < n; i++) {
      const c = encoded.charCodeAt(i);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
      if (digit < 0) break;
      value = value * 36 + digit;
    }
    if (i === first || i - first > 7 || (i < n && encoded.charCodeAt(i) !== COMMA)) throw badCharacters();
    return value;
  };
  let runs = 0;
  let count = 0;
  let end = 0; // last id of the previous run
  for (let r = 0; i < n; r++) {
    if (r > 0) i++; // the comma after the previous length
    const negative = r === 0 && encoded.charCodeAt(0) === MINUS; // only the first token may be negative
    if (negative) i++;
    if (i >= n) throw badCharacters(); // a trailing comma or a lone sign
    const head = negative ? -token() : token();
    if (i >= n) throw new IdRunsError('An id set must hold pairs of numbers (a start or gap, and a run length).');
    i++;
    const length = token();
    // runs are maximal, so gaps skip an id
    if (r > 0 && head < 2) throw new IdRunsError(`Run ${r + 1}: a gap must be at least 2.`);
    if (length < 1) throw new IdRunsError(`Run ${r + 1}: a run must hold at least one id.`);
    const start = r === 0 ? head : end + head;
    end = start + length - 1;
    if (start < INT32_MIN || end > INT32_MAX) throw new IdRunsError(`Run ${r + 1} leaves the 32-bit id range.`);
    count += length;
    if (count > maxCount) throw new IdRunsError(`The id set holds more than ${maxCount.toLocaleString('en-US')} ids.`);
    if (into) {
      into.starts[r] = start;
      into.lengths[r] = length;
    }
    runs = r + 1;
  }
  return { runs, count };
}

/** The runs of an encoding, checked: IdRunsError when it is malformed or holds more than `maxCount` ids. */
export function parseIdRuns(encoded: string, maxCount = ID_RUNS_MAX_COUNT): IdRuns {
  // each run takes at least four characters ("0,1,"): room for all of them without counting first
  const room = typeof encoded === 'string' ? (encoded.length + 1) >> 2 : 0;
  const into = { starts: new Int32Array(room), lengths: new Int32Array(room) };
  const { runs, count } = scanRuns(encoded, maxCount, into);
  return { starts: into.starts.subarray(0, runs), lengths: into.lengths.subarray(0, runs), count };
}

/** How many ids an encoding holds; IdRunsError when it is malformed or holds more than `maxCount`. */
export function countIdRuns(encoded: string, maxCount = ID_RUNS_MAX_COUNT): number {
  return scanRuns(encoded, maxCount).count;
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
