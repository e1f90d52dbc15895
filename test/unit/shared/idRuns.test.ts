// The id-set encoding of select-all answers: random sets of every shape round-trip exactly, the
// encoding is compact for dense ids, and malformed strings are refused with a clear error.
import { describe, expect, it } from 'vitest';
import { channels } from '#shared/contract';
import {
  countIdRuns,
  decodeIdRuns,
  encodeIdRuns,
  ID_RUNS_MAX_COUNT,
  ID_RUNS_PATTERN,
  IdRunsError,
  parseIdRuns,
  runsOfSorted,
  type IdRuns,
} from '#shared/idRuns';
import { prng } from '../../fixtures/jobRecords';

const ascending = (ids: Iterable<number>) => Int32Array.from(new Set(ids)).sort();
const roundTrip = (ids: Int32Array) => {
  const encoded = encodeIdRuns(ids);
  expect(encoded).toMatch(ID_RUNS_PATTERN);
  expect(countIdRuns(encoded)).toBe(ids.length);
  return decodeIdRuns(encoded);
};

describe('encodeIdRuns / decodeIdRuns', () => {
  it('the empty set and one id', () => {
    expect(encodeIdRuns([])).toBe('');
    expect(decodeIdRuns('')).toEqual(new Int32Array(0));
    for (const id of [0, 1, -1, 2147483647, -2147483648, 36]) expect(Array.from(roundTrip(Int32Array.of(id)))).toEqual([id]);
  });

  it('writes runs as start, length, then gap and length', () => {
    expect(encodeIdRuns([-2, 3, 4, 5, 9, 10])).toBe('-2,1,5,3,4,2');
    expect(encodeIdRuns([1, 2, 3, 4, 5])).toBe('1,5');
    const runs = { starts: Int32Array.of(-2, 3, 9), lengths: Int32Array.of(1, 3, 2), count: 6 };
    expect(parseIdRuns('-2,1,5,3,4,2')).toEqual(runs);
    expect(runsOfSorted([-2, 3, 4, 5, 9, 10])).toEqual(runs);
  });

  it('random sets round-trip exactly: dense, sparse, negative, mixed', () => {
    const next = prng(14);
    for (let trial = 0; trial < 200; trial++) {
      const size = Math.floor(next() * 2000);
      // how often the next id follows on (dense), else how far it jumps (sparse)
      const dense = [0.99, 0.6, 0.05, 0][trial % 4]!;
      const jump = [3, 50, 100_000][trial % 3]!;
      const ids: number[] = [];
      let id = Math.floor((next() - 0.5) * 2 ** 31 * (trial % 3 === 0 ? 0.9 : 0.001));
      while (ids.length < size) ids.push((id += next() < dense ? 1 : 2 + Math.floor(next() * jump)));
      const set = ascending(ids.filter((id) => id >= -2147483648 && id <= 2147483647));
      expect(roundTrip(set), `trial ${trial}`).toEqual(set);
    }
  });

  it('ids on both sides of zero (offline jobs are negative) and at the int32 ends', () => {
    const set = ascending([-2147483648, -2147483647, -5, -4, -3, -1, 0, 1, 2, 7, 2147483646, 2147483647]);
    expect(roundTrip(set)).toEqual(set);
  });

  it('1M ids round-trip, and 960k dense ids of 1M encode in a few dozen kilobytes', () => {
    const next = prng(1);
    const ids = new Int32Array(1_000_000);
    let id = 5000;
    for (let i = 0; i < ids.length; i++) ids[i] = id += next() < 0.04 ? 2 + Math.floor(next() * 3) : 1;
    const encoded = encodeIdRuns(ids);
    expect(encoded.length).toBeLessThan(500_000); // JSON of the same ids is about 8 MB
    expect(decodeIdRuns(encoded)).toEqual(ids);

    const sparse = Int32Array.from({ length: 1_000_000 }, (_, i) => -3_000_000 + i * 3);
    expect(roundTrip(sparse)).toEqual(sparse);
  });

  it('refuses to encode unsorted, repeated or non-int32 ids', () => {
    expect(() => encodeIdRuns([3, 2])).toThrow(/ascending and distinct/);
    expect(() => encodeIdRuns([2, 2])).toThrow(/ascending and distinct/);
    expect(() => encodeIdRuns([1.5])).toThrow(/32-bit integer/);
    expect(() => encodeIdRuns([1, 2147483648])).toThrow(/32-bit integer/);
  });

  it('refuses malformed strings with a clear error', () => {
    const refused: [string, RegExp][] = [
      ['1', /pairs/],
      ['1,2,3', /pairs/],
      ['1,0', /at least one id/],
      ['1,2,1,3', /gap must be at least 2/], // a gap of 1 would merge two runs: not what an encoder writes
      ['1,2,0,3', /gap must be at least 2/],
      ['1,-2', /base-36/],
      ['1,2,-3,1', /base-36/],
      ['1, 2', /base-36/],
      ['1,2,', /base-36/],
      [',1,2', /base-36/],
      ['1A,2', /base-36/],
      ['ü,2', /base-36/],
      ['1,2;3,4', /base-36/],
      ['1,12345678', /base-36/],
      ['zik0zj,2', /32-bit id range/], // starts at 2^31 - 1, two ids
      ['-zik0zl,1', /32-bit id range/],
    ];
    for (const [encoded, message] of refused) {
      expect(() => decodeIdRuns(encoded), encoded).toThrow(IdRunsError);
      expect(() => decodeIdRuns(encoded), encoded).toThrow(message);
      expect(() => countIdRuns(encoded), encoded).toThrow(message);
    }
    expect(() => decodeIdRuns(123 as unknown as string)).toThrow(/must be a string/);
  });

  it('accepts exactly the strings a split-and-parseInt reading of the format accepts, with the same runs', () => {
    // the reference: the format read the obvious way (pattern, split, parseInt), slow but plain
    const reference = (encoded: string): IdRuns | 'refused' => {
      if (!ID_RUNS_PATTERN.test(encoded)) return 'refused';
      const tokens = encoded === '' ? [] : encoded.split(',');
      if (tokens.length % 2 !== 0) return 'refused';
      const starts: number[] = [];
      const lengths: number[] = [];
      let end = 0;
      for (let r = 0; r < tokens.length / 2; r++) {
        const head = parseInt(tokens[2 * r]!, 36);
        const length = parseInt(tokens[2 * r + 1]!, 36);
        if ((r > 0 && head < 2) || length < 1) return 'refused';
        const start = r === 0 ? head : end + head;
        end = start + length - 1;
        if (start < -(2 ** 31) || end >= 2 ** 31) return 'refused';
        starts.push(start);
        lengths.push(length);
      }
      const count = lengths.reduce((a, b) => a + b, 0);
      return count > ID_RUNS_MAX_COUNT ? 'refused' : { starts: Int32Array.from(starts), lengths: Int32Array.from(lengths), count };
    };
    const next = prng(36);
    const alphabet = '0123456789az,,,--;Z ';
    let accepted = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const length = Math.floor(next() * 12);
      let encoded = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      // every other string a valid encoding (of ids around zero)
      if (trial % 2 === 0) encoded = encodeIdRuns(ascending(Array.from({ length }, () => Math.floor((next() - 0.3) * 60))));
      const expected = reference(encoded);
      if (expected === 'refused') expect(() => parseIdRuns(encoded), JSON.stringify(encoded)).toThrow(IdRunsError);
      else {
        accepted++;
        expect(parseIdRuns(encoded), JSON.stringify(encoded)).toEqual(expected);
        expect(countIdRuns(encoded)).toBe(expected.count);
      }
    }
    expect(accepted).toBeGreaterThan(10_000);
  });

  it('refuses a set over the bound before allocating it', () => {
    expect(countIdRuns('1,100')).toBe(36 * 36);
    expect(() => decodeIdRuns('1,100', 1000)).toThrow(/more than 1,000 ids/);
    expect(() => decodeIdRuns('1,2zzzz')).toThrow(/more than 5,000,000 ids/);
  });
});

describe('the jobs.idSet answer in the contract', () => {
  const schema = channels['jobs.idSet'].response;
  it('accepts well-formed runs with their count', () => {
    expect(schema.parse({ runs: '-2,1,5,3,4,2', count: 6 })).toEqual({ runs: '-2,1,5,3,4,2', count: 6 });
    expect(schema.parse({ runs: '', count: 0 })).toEqual({ runs: '', count: 0 });
  });
  it('refuses malformed runs and a count that does not match, saying which', () => {
    const issue = (value: unknown) => {
      const result = schema.safeParse(value);
      return result.success ? null : result.error.issues[0]!.message;
    };
    expect(issue({ runs: '1,2', count: 3 })).toBe('The id runs hold 2 ids, not 3');
    expect(issue({ runs: '1,2,1,1', count: 3 })).toMatch(/gap must be at least 2/);
    expect(issue({ runs: '1;2', count: 1 })).toMatch(/base-36 numbers/);
    expect(issue({ runs: '1,2', count: -1 })).not.toBeNull();
  });
});
