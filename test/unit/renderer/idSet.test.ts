// The selection's id set: every operation agrees with a plain Set over random sequences of changes
// (adding, removing, intersecting, counting), across the fold into a new base, and leaves its inputs alone.
import { describe, expect, it } from 'vitest';
import { encodeIdRuns, parseIdRuns } from '#shared/idRuns';
import { IdSet } from '../../../renderer/src/lib/idSet';
import { prng } from '../../fixtures/jobRecords';

const asc = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
const same = (set: IdSet, model: Set<number>, what: string) => {
  expect(set.size, what).toBe(model.size);
  expect(Array.from(set.sorted()), what).toEqual(asc(model));
  expect([...set], what).toEqual(asc(model));
  expect(set.toArray(), what).toEqual(asc(model));
};

describe('IdSet', () => {
  it('empty, one id, and ids given in any order with repeats', () => {
    expect(IdSet.empty.size).toBe(0);
    expect([...IdSet.empty]).toEqual([]);
    const set = IdSet.of([5, -3, 5, 2, -3]);
    expect(set.size).toBe(3);
    expect([...set]).toEqual([-3, 2, 5]);
    for (const id of [-3, 2, 5]) expect(set.has(id)).toBe(true);
    for (const id of [-2, 0, 3, 6]) expect(set.has(id)).toBe(false);
  });

  it('agrees with a Set over random changes on a large dense base, through the fold', () => {
    const next = prng(7);
    for (let trial = 0; trial < 4; trial++) {
      const baseIds = Int32Array.from({ length: 20_000 }, (_, i) => -50 + i + Math.floor(i / 7));
      let set = IdSet.fromRuns(parseIdRuns(encodeIdRuns(baseIds)));
      const model = new Set(baseIds);
      for (let step = 0; step < 300; step++) {
        const ids = Array.from({ length: 1 + Math.floor(next() * (step % 50 === 0 ? 3000 : 5)) }, () => Math.floor(next() * 24_000) - 100);
        const checkOld = step % 30 === 0;
        const previous = set;
        const before = checkOld ? [...set] : [];
        if (next() < 0.5) {
          set = set.with(ids);
          for (const id of ids) model.add(id);
        } else {
          set = set.without(ids);
          for (const id of ids) model.delete(id);
        }
        if (checkOld) {
          expect([...previous], 'the old set is unchanged').toEqual(before);
          same(set, model, `trial ${trial} step ${step}`);
        }
        for (const id of ids) expect(set.has(id)).toBe(model.has(id));
      }
      same(set, model, `trial ${trial} end`);
    }
  });

  it('with/without return the same set when nothing changes', () => {
    const set = IdSet.of([1, 2, 3]);
    expect(set.with([1, 3])).toBe(set);
    expect(set.without([4, 9])).toBe(set);
    const removed = set.without([2]);
    expect(removed.with([2]).has(2)).toBe(true);
    expect([...removed.with([2])]).toEqual([1, 2, 3]);
  });

  it('keepOnly keeps the ids also listed and counts the rest, small or large on either side', () => {
    const next = prng(3);
    for (let trial = 0; trial < 40; trial++) {
      const pick = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 5000) - 200);
      const sizes = [1, 10, 3000][trial % 3]!;
      let mine = IdSet.of(pick(sizes));
      if (trial % 2) mine = mine.with(pick(20)).without(pick(20));
      const listedIds = pick([2, 4000, 50][trial % 3]!);
      const listed = IdSet.of(listedIds).with(pick(5)).without(listedIds.slice(0, 3));
      const expected = asc([...mine].filter((id) => listed.has(id)));
      const { kept, dropped } = mine.keepOnly(listed);
      expect([...kept], `trial ${trial}`).toEqual(expected);
      expect(dropped).toBe(mine.size - expected.length);
    }
    const set = IdSet.of([1, 2]);
    expect(set.keepOnly(IdSet.of([0, 1, 2, 3])).kept).toBe(set);
  });

  it('pruning a million selected against a million listed keeps exactly the listed ones', () => {
    const selected = IdSet.fromRuns(parseIdRuns('1,lfls')).without([10, 20]).with([-5, -6]); // 1..1,000,000
    const listedIds = Int32Array.from({ length: 999_900 }, (_, i) => (i < 499_999 ? i + 1 : i + 101)); // 500,000..500,099 left
    const listed = IdSet.fromRuns(parseIdRuns(encodeIdRuns(listedIds)))
      .with([-5])
      .without([30]);
    const { kept, dropped } = selected.keepOnly(listed);
    expect(dropped).toBe(100 + 1 + 1); // the hundred that left, 30, and -6
    expect(kept.size).toBe(1_000_000 - 2 + 2 - dropped);
    for (const [id, has] of [
      [500_050, false],
      [10, false],
      [30, false],
      [-6, false],
      [-5, true],
      [499_999, true],
      [500_100, true],
      [1_000_000, true],
    ] as const)
      expect(kept.has(id), String(id)).toBe(has);
  });

  it('countIn counts the ids of a Set that are here, whichever is smaller', () => {
    const set = IdSet.fromSorted(Int32Array.from({ length: 1000 }, (_, i) => i * 2))
      .without([4])
      .with([7]);
    expect(set.countIn(new Set([0, 1, 4, 7, 1998, 5000]))).toBe(3);
    const big = new Set(Array.from({ length: 5000 }, (_, i) => i));
    expect(set.countIn(big)).toBe(1000); // 0..1998 even: 1000, minus 4, plus 7
    expect(IdSet.empty.countIn(big)).toBe(0);
  });

  it('a million ids: select all, then a toggle, is a small change on a shared base', () => {
    const all = IdSet.fromRuns(parseIdRuns('1,lfls')); // 1..1,000,000 as one run
    expect(all.size).toBe(1_000_000);
    const toggled = all.without([500_000]).with([-1]);
    expect(toggled.size).toBe(1_000_000);
    expect(toggled.has(500_000)).toBe(false);
    expect(toggled.has(-1)).toBe(true);
    expect(all.has(500_000)).toBe(true);
    const ids = toggled.sorted();
    expect(ids[0]).toBe(-1);
    expect(ids.length).toBe(1_000_000);
  });
});
