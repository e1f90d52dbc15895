// Layout at 1,400 px wide, judged by measurement and by the screenshots: demo mode opens with a hint
// how to start; the jobs grid fits (no column off screen); the per-day chart and a job's status
// timeline use their card's width and spread their time axis with round ticks.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs, type Harness } from './support/harness';
import { addQueue } from './support/queues';
import { goTo, jobsGrid } from './support/ui';

test.use({ viewport: { width: 1400, height: 900 } });

test('demo mode opens with a hint how to start', async ({ harness, page, snap }) => {
  await page.goto(await harness.launchApp({ demo: true }));
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
  const hint = page.getByRole('region', { name: 'Getting started' });
  await expect(hint).toContainText('built-in local server');
  await snap('demo-first-open');
  await hint.getByRole('link', { name: 'Create a job' }).click();
  await expect(page.getByRole('textbox', { name: 'Job name' })).toBeVisible();
});

test('the grid fits 1,400 px; charts and the timeline use their cards', async ({ page, snap }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 300 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    await expect(page.getByTestId('match-count')).toHaveText(/^\d+ jobs match/, { timeout: 60_000 });
    await expect(page.getByRole('region', { name: 'Getting started' })).toHaveCount(0);
    await expectGridFits(page);
    await snap('jobs-grid-1400');

    await goTo(page, 'Overview');
    const perDay = page.getByRole('img', { name: /^Jobs created per day/ });
    await expect(perDay).toBeVisible();
    expect(await widthShare(perDay)).toBeGreaterThan(0.9);
    await snap('overview-1400');

    // a completed job has a history over days or weeks
    await goTo(page, 'Jobs');
    const completed = jobsGrid(page)
      .locator('[role="row"][data-job-id]', { has: page.getByText('Completed', { exact: true }) })
      .first();
    await completed.locator('[role="gridcell"].name a').click();
    const timeline = page.getByRole('img', { name: /^Status history/ });
    await expect(timeline).toBeVisible();
    expect(await widthShare(timeline)).toBeGreaterThan(0.9);
    expect(await timeline.locator('text.tick').count()).toBeGreaterThanOrEqual(3);
    await snap('job-timeline-1400');
  } finally {
    await harness.dispose();
  }
});

test('with labeling queues, the grid fits 1,400 px with its Queue column', async ({ page, snap }) => {
  test.setTimeout(180_000);
  const harness: Harness = await createHarness({ jobs: 300 });
  try {
    const jobs = await serverJobs(harness);
    addQueue(
      harness,
      'Lemons of the second harvest, sorted by size and colour before review',
      jobs.slice(0, 40).map((j) => j.id),
    );
    addQueue(
      harness,
      'Re-check',
      jobs.slice(40, 60).map((j) => j.id),
    );
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    await expect(page.getByTestId('match-count')).toHaveText(/^\d+ jobs match/, { timeout: 60_000 });
    await expect(jobsGrid(page).locator('[role="columnheader"][data-column="queue"]')).toBeVisible();
    await expectGridFits(page);
    await snap('jobs-grid-queues-1400');
  } finally {
    await harness.dispose();
  }
});

/** Every default column on screen (the last, Finished, ends inside the window) and no sideways scrolling. */
async function expectGridFits(page: import('@playwright/test').Page): Promise<void> {
  const finished = jobsGrid(page).getByRole('button', { name: 'Sort by Finished' });
  const box = await finished.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(1400);
  const overflow = await jobsGrid(page).evaluate((el) => {
    const scroller = el.querySelector('.viewport') ?? el;
    return scroller.scrollWidth - scroller.clientWidth;
  });
  expect(overflow, 'px the grid is wider than its card').toBeLessThanOrEqual(0);
}

/** The element's width as a share of the width inside its card. */
async function widthShare(locator: import('@playwright/test').Locator): Promise<number> {
  return locator.evaluate((el) => {
    const card = el.closest('.card')!;
    const style = getComputedStyle(card);
    const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return el.getBoundingClientRect().width / inner;
  });
}
