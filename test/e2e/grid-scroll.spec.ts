// The jobs grid while it scrolls: rows are rewritten in the slots they have. A slot created or removed costs a
// row built from nothing (its elements and effects) on each frame, so mid-list none is; and every row between
// the first and the last in view is there, once.
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';
import { jobsGrid } from './support/ui';

test('scrolling mid-list rewrites the rows in their slots: no row element is created or removed, none is missing', async ({ page }) => {
  test.setTimeout(120_000);
  const harness = await createHarness({ jobs: 1000 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('match-count')).toHaveText(/^[\d,]{3,} jobs match/, { timeout: 60_000 });
    const grid = jobsGrid(page);
    await grid.evaluate((g) => (g.scrollTop = 3000));
    await expect(grid.locator('[role="row"][aria-rowindex="102"]')).toBeVisible();

    const seen = await grid.evaluate(async (g) => {
      const body = g.querySelector('[role="rowgroup"]:not(.header)')!;
      let changed = 0;
      const observer = new MutationObserver((records) => {
        for (const r of records) changed += r.addedNodes.length + r.removedNodes.length;
      });
      observer.observe(body, { childList: true });
      const gaps: string[] = [];
      // a wheel's pace (a row or so a frame) and a flick's (a screen a frame), down the middle of the list
      for (const step of [37, 700]) {
        for (let frame = 0; frame < 12; frame++) {
          await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
          g.scrollTop += step;
          await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
          const top = g.getBoundingClientRect().top;
          const indexes = [...body.querySelectorAll<HTMLElement>('[role="row"]')]
            .filter((r) => r.getBoundingClientRect().bottom > top && r.getBoundingClientRect().top < top + g.clientHeight)
            .map((r) => Number(r.getAttribute('aria-rowindex')))
            .sort((a, b) => a - b);
          const contiguous = indexes.every((index, i) => i === 0 || index === indexes[i - 1]! + 1);
          if (!contiguous || indexes.length < g.clientHeight / 30 - 2) gaps.push(`${g.scrollTop}: ${indexes.join()}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      observer.disconnect();
      return { changed, gaps };
    });
    expect(seen.gaps).toEqual([]);
    expect(seen.changed).toBe(0);
  } finally {
    await harness.dispose();
  }
});
