// Select all matching over more jobs than one bulk action takes (100,000): the bar counts them all,
// says why the actions are off and how to narrow the list, and sends nothing; fewer jobs turn them on.
// Then a bulk action of ~74,000 jobs: queuing them takes seconds, so its line shows at once, counts every job and
// how many are still being queued, and its Cancel stops the queuing too: the server gets only what was sent.
import { expect, test } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';
import { jobsGrid } from './support/ui';

/** how many jobs of the team the server lists as not archived */
const activeOnServer = async (harness: Harness) =>
  (await harness.callServer<{ total: number }>('jobs.list', { teamId: 8, showDisabled: false, filter: [], per_page: 1 })).total;

/** how many jobs of the team the server lists as archived */
const archivedOnServer = async (harness: Harness) =>
  (await harness.callServer<{ total: number }>('jobs.list', { teamId: 8, showDisabled: true, filter: [], per_page: 1 })).total -
  (await activeOnServer(harness));

const numberIn = (text: string | null, pattern: RegExp) => Number((pattern.exec(text ?? '')?.[1] ?? 'NaN').replace(/,/g, ''));

test('more than 100,000 selected jobs: the actions say the limit instead of failing; fewer are queued with a cancel', async ({
  page,
  snap,
}) => {
  test.setTimeout(360_000);
  const harness = await createHarness({ jobs: 110_000 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    // the first pull is done when the sync button is idle and the count held still for 2 s (rows show while it writes)
    const syncNow = page.getByRole('button', { name: 'Sync now' });
    const count = async () => Number(((await page.getByTestId('match-count').textContent()) ?? '').replace(/\D/g, '') || 0);
    let matching = -1;
    await expect
      .poll(
        async () => {
          const before = await count();
          await page.waitForTimeout(2_000);
          const settled = (await syncNow.isEnabled()) && before > 0 && (await count()) === before;
          matching = before;
          return settled;
        },
        { timeout: 240_000, intervals: [0] },
      )
      .toBe(true);
    expect(matching).toBeGreaterThan(100_000);
    const activeBefore = await activeOnServer(harness);

    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${matching.toLocaleString('en-US')} jobs selected`);
    const bar = page.getByRole('toolbar', { name: 'Actions on selected jobs' });
    for (const name of ['Stop', 'Archive', 'Set status', 'Remove…']) await expect(bar.getByRole('button', { name })).toBeDisabled();
    await expect(bar.getByTestId('bulk-limit')).toHaveText(
      `A bulk action takes at most 100,000 jobs at a time; ${matching.toLocaleString('en-US')} are selected. Narrow the filter (a team, a status, an annotator) or select fewer.`,
    );
    await snap('bulk-limit');

    // one job toggled off is still too many; a plain click selects one job and the actions are back
    await page.keyboard.press('Space');
    await expect(page.getByTestId('selection-count')).toHaveText(`${(matching - 1).toLocaleString('en-US')} jobs selected`);
    await expect(bar.getByRole('button', { name: 'Archive' })).toBeDisabled();
    await jobsGrid(page).locator('[role="row"][data-job-id]').nth(1).locator('[role="gridcell"]').nth(4).click();
    await expect(page.getByTestId('selection-count')).toHaveText('1 job selected');
    await expect(bar.getByRole('button', { name: 'Archive' })).toBeEnabled();
    await expect(bar.getByTestId('bulk-limit')).toHaveCount(0);

    // nothing was sent on the way
    expect(await activeOnServer(harness)).toBe(activeBefore);

    // two thirds of them (none archived): one bulk action, queued over seconds
    const archivedBefore = await archivedOnServer(harness);
    await page.evaluate(() => (location.hash = '#/jobs?status=pending,in_progress,on_review,review_completed'));
    await expect.poll(async () => (await count()) > 50_000 && (await count()) < 100_000, { timeout: 30_000 }).toBe(true);
    const some = await count();
    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${some.toLocaleString('en-US')} jobs selected`);
    await bar.getByRole('button', { name: 'Archive' }).click();
    const batch = page.getByTestId('batch').filter({ hasText: `Archive ${some.toLocaleString('en-US')} jobs` });
    // the whole action is counted while it is queued, not only the changes written so far
    await expect(batch.getByTestId('batch-queuing')).toBeVisible({ timeout: 30_000 });
    await expect(batch).toContainText(`of ${some.toLocaleString('en-US')} sent`);
    await snap('bulk-action-queuing');

    // a second action on other jobs (the stopped ones) asked for meanwhile waits for that queuing, and says so
    await page.evaluate(() => (location.hash = '#/jobs?status=stopped'));
    await expect.poll(async () => (await count()) > 0 && (await count()) < some, { timeout: 30_000 }).toBe(true);
    const others = await count();
    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${others.toLocaleString('en-US')} jobs selected`);
    await bar.getByRole('button', { name: 'Archive' }).click();
    await expect(bar.getByTestId('bulk-waiting')).toContainText(`Starts once “Archive ${some.toLocaleString('en-US')} jobs” is queued`);
    await snap('bulk-action-waiting');

    // the first one's Cancel: its queuing stops, what it wrote and did not send is discarded, and the second one starts.
    // Meanwhile its line says so and its button cannot be pressed again (seen by an observer: it may be quick)
    await page.evaluate(() => {
      const seen = window as unknown as { cancelling?: string };
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid="batch-cancelling"]');
        const button = status?.closest('[data-testid="batch"]')?.querySelector('button:disabled');
        seen.cancelling ??= status ? `${status.textContent?.trim()} | ${button?.textContent ?? 'no disabled button'}` : undefined;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const cancelPressed = Date.now();
    await batch.getByRole('button', { name: 'Cancel unsent' }).click();
    await expect(batch.getByRole('status')).toContainText(/Cancelled [\d,]+ before sending; [\d,]+ sent/, { timeout: 60_000 });
    console.log(`cancel of a bulk action being queued: ${Date.now() - cancelPressed} ms to its settled line`);
    expect(await page.evaluate(() => (window as unknown as { cancelling?: string }).cancelling)).toMatch(
      /^· cancelling( [\d,]+ unsent)?… \| Cancel unsent$/,
    );
    const line = await batch.getByRole('status').textContent();
    const cancelled = numberIn(line, /Cancelled ([\d,]+)/);
    const sent = numberIn(line, /; ([\d,]+) sent/);
    expect(cancelled + sent).toBe(some);
    expect(cancelled).toBeGreaterThan(some / 2);
    const second = page.getByTestId('batch').filter({ hasText: `Archive ${others.toLocaleString('en-US')} jobs` });
    await expect(second).toContainText(`of ${others.toLocaleString('en-US')} sent`, { timeout: 30_000 });
    await expect(bar.getByTestId('bulk-waiting')).toHaveCount(0);
    await second.getByRole('button', { name: 'Cancel unsent' }).click();
    await expect(second.getByRole('status')).toContainText(/Cancelled [\d,]+ before sending; [\d,]+ sent/, { timeout: 60_000 });
    const secondLine = await second.getByRole('status').textContent();
    const secondSent = numberIn(secondLine, /; ([\d,]+) sent/);
    expect(numberIn(secondLine, /Cancelled ([\d,]+)/) + secondSent).toBe(others);
    // exactly what was sent reached the server, and nothing is left to send
    expect((await archivedOnServer(harness)) - archivedBefore).toBe(sent + secondSent);
    await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 30_000 });
  } finally {
    await harness.dispose();
  }
});
