// The split's pool as the create form holds it: bare ids in id order plus the tags of the images that have
// some, turned back into the images the split works on, and an id's number found without a map of them all.
import { describe, expect, it } from 'vitest';
import { emptyForm, poolAsImages, positionOf, splitPreview, subsetImageIds } from '../../../renderer/src/views/create/createRequest';

describe('the split pool', () => {
  const pool = { ids: [11, 12, 15, 20, 31], tagged: [{ id: 15, tags: ['blurry'] }] };

  it('gives every image its tags (none when not tagged), in id order', () => {
    expect(poolAsImages(pool)).toEqual([
      { id: 11, tags: [] },
      { id: 12, tags: [] },
      { id: 15, tags: ['blurry'] },
      { id: 20, tags: [] },
      { id: 31, tags: [] },
    ]);
  });

  it('finds the 1-based number of an id, or null for an id not in the dataset', () => {
    expect(pool.ids.map((id) => positionOf(pool.ids, id))).toEqual([1, 2, 3, 4, 5]);
    expect(positionOf(pool.ids, 13)).toBeNull();
    expect(positionOf(pool.ids, 99)).toBeNull();
    expect(positionOf([], 1)).toBeNull();
  });

  it('splits a range of the pool without the tagged image when it is excluded', () => {
    const form = {
      ...emptyForm(),
      split: true,
      annotators: [1, 2],
      subsetMode: 'range' as const,
      rangeStart: 2,
      rangeEnd: 5,
      excludeTags: ['blurry'],
    };
    expect(splitPreview(form, poolAsImages(pool))).toEqual([
      { userId: 1, imageIds: [12, 20] },
      { userId: 2, imageIds: [31] },
    ]);
  });

  it('picks by id set, keeping id order whatever order they were ticked in', () => {
    const form = { ...emptyForm(), subsetMode: 'pick' as const, picked: [31, 11] };
    expect(subsetImageIds(form, poolAsImages(pool))).toEqual([11, 31]);
  });
});
