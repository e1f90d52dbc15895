// The first pull of a slow server can be cancelled from the top bar, next to its progress: the progress goes,
// the top bar does not say "Last sync failed", the Sync page names the list that was being read as cancelled,
// and Sync now then brings every job.
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';

test('the first pull is cancelled from the top bar, and the next sync completes', async ({ page }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 1500, latencyMs: 300 });
  try {
    await page.goto(await harness.launchApp());
    const bar = page.getByRole('group', { name: 'Sync status' });
    // once lists are being read (not while connecting), cancel next to the progress
    await expect(bar.getByRole('progressbar', { name: /^Syncing: (jobs|members|catalog)/ })).toBeVisible({ timeout: 60_000 });
    await bar.getByRole('button', { name: 'Cancel sync' }).click();
    await expect(bar.getByRole('progressbar')).toHaveCount(0, { timeout: 15_000 });
    await expect(bar.getByRole('button', { name: 'Cancel sync' })).toHaveCount(0);
    await expect(page.getByText('Last sync failed')).toHaveCount(0);
    // the first sync never completed: the top bar does not call it synced
    await expect(bar.getByTestId('stale-lists')).toHaveText('1 list stale');

    await page.evaluate(() => {
      location.hash = '#/sync';
    });
    await expect(page.getByTestId('sync-cancelled')).toContainText('what it read is kept; the next sync reads the rest');
    const stale = page.getByRole('region', { name: 'Stale lists' });
    await expect(
      stale.getByTestId('stale-list').filter({ hasText: 'Sync was cancelled before this list was read to its end.' }),
    ).toHaveCount(1);
    await page.screenshot({ path: 'test-results/screenshots/sync-cancelled.png' });

    // the next sync reads everything: the stale list goes, and every job of the team is in the grid
    await page.getByRole('region', { name: 'Sync state' }).getByRole('button', { name: 'Sync now' }).click();
    await expect(stale).toHaveCount(0, { timeout: 120_000 });
    await expect(page.getByTestId('sync-cancelled')).toHaveCount(0);
    await expect(bar.getByTestId('stale-lists')).toHaveCount(0);
    await page.evaluate(() => {
      location.hash = '#/jobs';
    });
    const { total: onServer } = await harness.callServer<{ total: number }>('jobs.list', { teamId: 8, filter: [], per_page: 1 });
    const matching = new RegExp(`^${onServer.toLocaleString('en-US')} jobs? match`);
    await expect(page.getByTestId('match-count')).toHaveText(matching, { timeout: 30_000 });
  } finally {
    await harness.dispose();
  }
});
