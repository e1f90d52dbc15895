// Split work: shares add up to the pool, follow the weights within one image, never overlap, and
// impossible splits are refused with a sentence.
import { describe, expect, it } from 'vitest';
import { splitImages } from '../../../renderer/src/views/create/splitWork';

const pool = (n: number) => Array.from({ length: n }, (_, i) => 100 + i);

describe('splitImages', () => {
  it('evenly: 6 images among 3 annotators, consecutive runs in pool order', () => {
    expect(
      splitImages(pool(6), [
        { userId: 1, weight: 1 },
        { userId: 2, weight: 1 },
        { userId: 3, weight: 1 },
      ]),
    ).toEqual([
      { userId: 1, imageIds: [100, 101] },
      { userId: 2, imageIds: [102, 103] },
      { userId: 3, imageIds: [104, 105] },
    ]);
  });

  it('leftover images go to the largest remainders, ties to the earlier annotator', () => {
    const even = [
      { userId: 1, weight: 1 },
      { userId: 2, weight: 1 },
      { userId: 3, weight: 1 },
    ];
    const counts = splitImages(pool(7), even).map((a) => a.imageIds.length);
    expect(counts).toEqual([3, 2, 2]);
  });

  it('by weights: 2:1 of 6 is 4 and 2; 1000 images by 3:2:5 exactly', () => {
    expect(
      splitImages(pool(6), [
        { userId: 1, weight: 2 },
        { userId: 2, weight: 1 },
      ]).map((a) => a.imageIds.length),
    ).toEqual([4, 2]);
    const big = splitImages(pool(1000), [
      { userId: 1, weight: 3 },
      { userId: 2, weight: 2 },
      { userId: 3, weight: 5 },
    ]);
    expect(big.map((a) => a.imageIds.length)).toEqual([300, 200, 500]);
    expect(new Set(big.flatMap((a) => a.imageIds)).size).toBe(1000);
  });

  it('every image exactly once, each share within one image of its exact proportion', () => {
    const weights = [0.5, 3, 1.25, 7];
    const n = 97;
    const out = splitImages(
      pool(n),
      weights.map((weight, i) => ({ userId: i + 1, weight })),
    );
    expect(out.flatMap((a) => a.imageIds)).toEqual(pool(n));
    const total = weights.reduce((a, b) => a + b, 0);
    out.forEach((a, i) => expect(Math.abs(a.imageIds.length - (n * weights[i]!) / total)).toBeLessThan(1));
  });

  it('refuses what cannot be split, saying why', () => {
    expect(() =>
      splitImages(pool(2), [
        { userId: 1, weight: 1 },
        { userId: 2, weight: 1 },
        { userId: 3, weight: 1 },
      ]),
    ).toThrow('2 images cannot be split among 3 annotators: each needs at least one');
    expect(() => splitImages(pool(5), [{ userId: 1, weight: 0 }])).toThrow('Each weight must be a number above 0');
    expect(() =>
      splitImages(pool(5), [
        { userId: 1, weight: 100 },
        { userId: 2, weight: 1 },
      ]),
    ).toThrow(/would get no image/);
    expect(() => splitImages(pool(5), [])).toThrow(/at least one annotator/);
  });
});
