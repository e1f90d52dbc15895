// Where a virtual list's rows are while its scroller has only so much room. Chromium lays a box out at most
// 2^25 px tall (33,554,428 px of scroll), so 30 px rows past the 1,118,480th could never be scrolled to. A list
// taller than `maxPx` gets a scroller of `maxPx` whose range stands for the list's whole range: each scrolled px
// moves `ratio` px through the list, and the rows in view are placed where the scroller shows them. Shorter
// lists scroll 1:1 (ratio 1, no offset), as before. Pure.

/** Room below Chromium's limit, for the header and the browser's own rounding. */
export const MAX_SCROLL_PX = 32_000_000;

export interface ScrollSpace {
  /** the scroller's content height, px */
  height: number;
  /** list px per scroller px (1 when the list fits) */
  ratio: number;
}

/**
 * The scroller's room for a list `listPx` tall, seen through `viewPx` of the scroller (its height less what
 * covers it: the sticky header).
 */
export function scrollSpace(listPx: number, viewPx: number, maxPx = MAX_SCROLL_PX): ScrollSpace {
  if (listPx <= maxPx) return { height: listPx, ratio: 1 };
  const room = maxPx - viewPx;
  return { height: maxPx, ratio: room > 0 ? (listPx - viewPx) / room : 1 };
}

/** Where in the list the scroller's top is. */
export const listTopOf = (space: ScrollSpace, scrollTop: number): number => scrollTop * space.ratio;

/** The scroller's top that shows the list from `listTop` (the browser may round it). */
export const scrollTopFor = (space: ScrollSpace, listTop: number): number => listTop / space.ratio;
