// The first pull, with the core in its worker thread (browser mode, as a user starts it): its progress
// reaches the top bar while it runs (sync.state events cross from the worker to the page), the page
// stays usable meanwhile, and the jobs are all there when it ends.
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';

test('the first pull shows its progress in the top bar, then every job', async ({ page }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 1500, latencyMs: 300 });
  try {
    await page.goto(await harness.launchApp());
    const progress = page.getByRole('progressbar', { name: /^Syncing: / });
    await expect(progress).toBeVisible({ timeout: 60_000 });
    // while the worker pulls, a call from the page is answered (Settings reads from the core)
    await page.evaluate(() => {
      location.hash = '#/settings';
    });
    await expect(page.getByRole('heading', { name: 'Servers' })).toBeVisible({ timeout: 10_000 });
    await page.evaluate(() => {
      location.hash = '#/jobs';
    });
    await expect(progress).toHaveCount(0, { timeout: 120_000 });
    const { total: onServer } = await harness.callServer<{ total: number }>('jobs.list', { teamId: 8, filter: [], per_page: 1 });
    const matching = new RegExp(`^${onServer.toLocaleString('en-US')} jobs? match`);
    await expect(page.getByTestId('match-count')).toHaveText(matching, { timeout: 30_000 });
  } finally {
    await harness.dispose();
  }
});
