// A long bulk run against a slow server: the toast says the changes are being sent (not "queued",
// we are online), the rows in flight are marked and cannot be acted on again, the batch shows an
// ETA, and Cancel discards what has not been sent yet, so the server gets only what was sent. Over 6,000
// jobs: more than one page (5,000) of the outbox's list, which Cancel once discarded alone.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs } from './support/harness';
import { jobsGrid } from './support/ui';

test('a bulk run shows pending rows and an ETA, and can be cancelled', async ({ page, snap }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 6000, latencyMs: 1000 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    const before = (await serverJobs(harness)).filter((j) => !j.disabled);
    await expect(page.getByTestId('match-count')).toHaveText(`${before.length.toLocaleString('en-US')} jobs match`, { timeout: 60_000 });
    const stoppedBefore = before.filter((j) => j.status === 'stopped').length;

    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${before.length.toLocaleString('en-US')} jobs selected`);
    const bar = page.getByRole('toolbar', { name: 'Actions on selected jobs' });
    await bar.getByRole('button', { name: 'Stop' }).click();

    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
      `Stop ${before.length.toLocaleString('en-US')} jobs: sending`,
    );
    await expect(page.getByRole('status', { name: 'Notifications' })).not.toContainText('queued');
    const batch = page.getByTestId('batch');
    await expect(batch).toContainText(/sent · about \d+ (s|min) left/, { timeout: 20_000 });
    await expect(jobsGrid(page).getByTestId('pending-marker').first()).toBeVisible();
    await expect(bar.getByRole('button', { name: 'Stop' })).toBeDisabled();
    await expect(bar).toContainText(/being sent/);
    await snap('bulk-run-in-flight');

    await batch.getByRole('button', { name: 'Cancel unsent' }).click();
    await expect(batch).toContainText(/cancelled \d+/i, { timeout: 20_000 });
    await expect(jobsGrid(page).getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });
    await expect(bar.getByRole('button', { name: 'Stop' })).toBeEnabled();
    await snap('bulk-run-cancelled');

    // exactly the sent part reached the server: some jobs stopped, not all
    const cancelled = Number(/cancelled ([\d,]+)/i.exec((await batch.textContent()) ?? '')![1]!.replace(/,/g, ''));
    expect(cancelled).toBeGreaterThan(before.length - 1000); // at ~16 a second, all but what went out before the click
    const stoppedAfter = (await serverJobs(harness)).filter((j) => !j.disabled && j.status === 'stopped').length;
    expect(stoppedAfter - stoppedBefore).toBeLessThanOrEqual(before.length - cancelled);
    expect(stoppedAfter).toBeLessThan(before.length);
  } finally {
    await harness.dispose();
  }
});
