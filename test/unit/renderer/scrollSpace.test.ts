// The grid's scroll room: a list that fits scrolls 1:1; a list taller than Chromium lays out (2^25 px) gets a
// scroller within that limit whose whole range stands for the list's, so its last rows are reached.
import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, listTopOf, scrollSpace, scrollTopFor } from '../../../renderer/src/lib/scrollSpace';

const CHROMIUM_MAX_PX = 33_554_428;
const HEADER_PX = 31;
const VIEW_PX = 584;

describe('scrollSpace', () => {
  it('leaves a list that fits as it is: 1,000,000 rows of 30 px scroll 1:1', () => {
    const space = scrollSpace(1_000_000 * 30, VIEW_PX);
    expect(space).toEqual({ height: 30_000_000, ratio: 1 });
    expect(listTopOf(space, 12_345)).toBe(12_345);
  });

  it('fits 1,200,000 rows into the browser’s limit, their last row reached at the scroller’s end', () => {
    const listPx = 1_200_000 * 30;
    expect(listPx).toBeGreaterThan(CHROMIUM_MAX_PX);
    const space = scrollSpace(listPx, VIEW_PX);
    expect(space.height + HEADER_PX).toBeLessThanOrEqual(CHROMIUM_MAX_PX);
    const lastScrollTop = space.height - VIEW_PX;
    expect(listTopOf(space, 0)).toBe(0);
    expect(listTopOf(space, lastScrollTop)).toBeCloseTo(listPx - VIEW_PX, 3);
    // a wheel notch (120 px) moves little more than 120 px through the list
    expect(listTopOf(space, 120)).toBeGreaterThan(120);
    expect(listTopOf(space, 120)).toBeLessThan(150);
    // and back: the scroller's top for a place in the list shows that place
    expect(listTopOf(space, scrollTopFor(space, 20_000_000))).toBeCloseTo(20_000_000, 3);
  });

  it('keeps 30 million rows reachable too, within the room it is given', () => {
    const space = scrollSpace(30_000_000 * 30, VIEW_PX, MAX_SCROLL_PX);
    expect(space.height).toBe(MAX_SCROLL_PX);
    expect(listTopOf(space, space.height - VIEW_PX)).toBeCloseTo(30_000_000 * 30 - VIEW_PX, 0);
  });
});
