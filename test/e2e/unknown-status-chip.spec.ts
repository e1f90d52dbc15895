// A status newer than this app (the team world's `quality_check`) gets its own filter chip once the jobs that
// carry it are in the cache, also when the jobs list was opened before the first sync wrote them.
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';

test('a status newer than the app gets a chip after the first sync, and filters by it', async ({ page }) => {
  test.setTimeout(120_000);
  const harness = await createHarness({ world: 'team', jobs: 300, quirks: { pageLatencyMs: 250 } }); // slow lists: the view opens first
  try {
    await page.goto(await harness.launchApp()); // the jobs list opens while the first sync runs
    const chip = page.getByRole('checkbox', { name: 'Status quality_check' });
    await expect(page.getByRole('group', { name: 'Sync status' })).toContainText(/synced (?!never)/, { timeout: 90_000 });
    await expect(chip).toBeVisible();
    const count = page.getByTestId('match-count');
    await expect(count).toHaveText(/^2\d\d jobs match/); // the 300 jobs but the archived ones
    await chip.check();
    await expect(count).toHaveText(/^[1-9]\d? jobs? match/); // about 8% of them
    const rows = page.locator('[role="row"][data-job-id]');
    await expect(rows.first()).toContainText('quality_check');
    for (const text of await rows.allTextContents()) expect(text).toContain('quality_check');
  } finally {
    await harness.dispose();
  }
});
