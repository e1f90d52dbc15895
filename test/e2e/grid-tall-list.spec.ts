// The jobs grid's far rows. A list taller than the browser can scroll (Chromium stops at 2^25 px: past
// 1,118,480 rows of 30 px): the grid's scroller stands for the whole list, so the last jobs are reached by End,
// by the scrollbar and row by row. A million rows are too slow for a test, so the page is told its room is
// 20,000 px (the test hook `ljdTestMaxScrollPx`) and 3,000 jobs are more than that. And the keys keep working
// after End: the clicked row's element, which held the focus, is gone from the DOM there.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs } from './support/harness';
import { jobsGrid } from './support/ui';

const ROOM_PX = 20_000;

test('a list taller than the scroller’s room is reached to its last row by End, by scrolling and row by row', async ({ page }) => {
  test.setTimeout(120_000);
  const harness = await createHarness({ jobs: 3000 });
  try {
    await page.addInitScript((room) => Object.assign(globalThis, { ljdTestMaxScrollPx: room }), ROOM_PX);
    await page.goto(await harness.launchApp());
    // the whole list, once the first pull has written it (archived jobs are not shown by default)
    const count = (await serverJobs(harness)).filter((j) => !j.disabled).length;
    await expect(page.getByTestId('match-count')).toHaveText(`${count.toLocaleString('en-US')} jobs match`, { timeout: 60_000 });
    expect(count * 30).toBeGreaterThan(2 * ROOM_PX);

    const grid = jobsGrid(page);
    const scroll = () => grid.evaluate((g) => ({ height: g.scrollHeight, top: g.scrollTop, view: g.clientHeight }));
    expect((await scroll()).height).toBeLessThanOrEqual(ROOM_PX + 40); // and its header
    const row = (index: number) => grid.locator(`[role="row"][aria-rowindex="${index + 2}"]`);

    // End: the last job is in view, whole, and focused (its data loaded)
    await row(0).locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('End');
    await expect(row(count - 1)).toBeInViewport({ ratio: 1 });
    await expect(grid).toHaveAttribute('aria-activedescendant', `job-row-${count - 1}`);
    await expect(row(count - 1)).toHaveAttribute('data-job-id', /\d+/);
    // row by row back up: each focused row whole in view, never a jump
    for (let index = count - 2; index >= count - 40; index--) {
      await page.keyboard.press('ArrowUp');
      await expect(grid).toHaveAttribute('aria-activedescendant', `job-row-${index}`);
      await expect(row(index)).toBeInViewport({ ratio: 1 });
    }
    // Home, then the scrollbar dragged to the bottom and to the middle: the rows there
    await page.keyboard.press('Home');
    await expect(row(0)).toBeInViewport({ ratio: 1 });
    await grid.evaluate((g) => (g.scrollTop = g.scrollHeight));
    await expect(row(count - 1)).toBeInViewport({ ratio: 1 });
    await expect(row(count - 1)).toHaveAttribute('data-job-id', /\d+/);
    const { height, view } = await scroll();
    await grid.evaluate((g, top) => (g.scrollTop = top), (height - view) / 2);
    const middle = Math.floor((count - (view - 30) / 30) / 2);
    await expect(row(middle)).toBeInViewport();
    await expect(row(middle)).toHaveAttribute('data-job-id', /\d+/);
    // a small scroll moves the rows by that much times the ratio: a few rows, not a screen
    const topRow = () =>
      grid.evaluate((g) => {
        const below = g.getBoundingClientRect().top + 30 - 1;
        const shown = [...g.querySelectorAll('[role="row"][aria-rowindex]')].filter((r) => r.getBoundingClientRect().top >= below);
        return Math.min(...shown.map((r) => Number(r.getAttribute('aria-rowindex'))));
      });
    const before = await topRow();
    await grid.evaluate((g) => (g.scrollTop += 20));
    await expect.poll(topRow).toBeGreaterThan(before);
    expect(await topRow()).toBeLessThan(before + (view - 30) / 30);
  } finally {
    await harness.dispose();
  }
});

test('after a click and End the arrow keys still move the focus (the clicked row’s element is gone)', async ({ page }) => {
  test.setTimeout(120_000);
  const harness = await createHarness({ jobs: 3000 });
  try {
    await page.goto(await harness.launchApp());
    const count = (await serverJobs(harness)).filter((j) => !j.disabled).length;
    await expect(page.getByTestId('match-count')).toHaveText(`${count.toLocaleString('en-US')} jobs match`, { timeout: 60_000 });
    const grid = jobsGrid(page);
    await grid.locator('[role="row"][aria-rowindex="2"] [role="gridcell"]').nth(4).click();
    await page.keyboard.press('End');
    await expect(grid).toHaveAttribute('aria-activedescendant', `job-row-${count - 1}`);
    await expect(grid).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(grid).toHaveAttribute('aria-activedescendant', `job-row-${count - 2}`);
    await page.keyboard.press('Shift+Home');
    await expect(page.getByTestId('selection-count')).toHaveText(`${(count - 1).toLocaleString('en-US')} jobs selected`);
  } finally {
    await harness.dispose();
  }
});
