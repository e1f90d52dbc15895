// A bulk run of over 5,000 jobs whose first changes fail (the jobs were removed on the server meanwhile): the
// batch names those failures and offers a retry. Its list of items holds the newest 5,000, so the failures at
// its start were missed and the line said "all succeeded". A sync meanwhile trims the log of done changes: the
// counts after the retry still hold the whole run.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs } from './support/harness';
import { jobsGrid } from './support/ui';

test('failures at the start of a bulk run of over 5,000 jobs are shown, and retried', async ({ page }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 6000 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    const listed = (await serverJobs(harness)).filter((j) => !j.disabled).sort((a, b) => a.id - b.id);
    expect(listed.length).toBeGreaterThan(5000);
    await expect(page.getByTestId('match-count')).toHaveText(`${listed.length.toLocaleString('en-US')} jobs match`, { timeout: 60_000 });

    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${listed.length.toLocaleString('en-US')} jobs selected`);
    // the three jobs the run sends first are gone from the server before it starts
    const gone = listed.slice(0, 3).map((j) => j.id);
    await harness.callServer('jobs.bulk.remove', { ids: gone });
    await page.getByRole('toolbar', { name: 'Actions on selected jobs' }).getByRole('button', { name: 'Stop' }).click();

    const batch = page.getByTestId('batch');
    await expect(batch.getByRole('status')).toHaveText(`${(listed.length - 3).toLocaleString('en-US')} succeeded, 3 failed`, {
      timeout: 120_000,
    });
    await expect(batch.getByRole('list', { name: 'Failed jobs' }).getByRole('listitem')).toHaveCount(3);
    // a sync trims the outbox's log of done changes to the newest 5,000: the batch's counts must not shrink with it
    // (after a trim the retried batch read "5,000 succeeded, 3 failed")
    const asked = new Date().toISOString();
    await page.getByRole('button', { name: 'Sync now' }).click();
    // that sync ended: the time of the last sync is later than the click (one already under way ended earlier)
    const lastSync = () => page.locator('span[title]', { hasText: '· synced' }).getAttribute('title');
    await expect.poll(async () => ((await lastSync()) ?? '') > asked, { timeout: 60_000 }).toBe(true);
    await batch.getByRole('button', { name: 'Retry failed' }).click();
    // sent again, and refused again (the jobs are still gone): the same three
    await expect(batch.getByRole('status')).toHaveText(`${(listed.length - 3).toLocaleString('en-US')} succeeded, 3 failed`, {
      timeout: 60_000,
    });
    await expect(batch.getByRole('list', { name: 'Failed jobs' }).getByRole('listitem')).toHaveCount(3);
  } finally {
    await harness.dispose();
  }
});
