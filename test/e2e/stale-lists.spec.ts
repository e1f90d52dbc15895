// A server whose role rules forbid one list (members.list answers 403): the sync still completes, the
// top bar says "Synced · 1 list stale" instead of a failure, and the Sync page names the list, its
// team and the server's reason; jobs still reach the grid.
import { expect, test } from './support/fixtures';
import { addServerJob, createHarness } from './support/harness';

test('one forbidden list is shown as stale, per team, with the reason', async ({ page }) => {
  const harness = await createHarness({ quirks: { forbiddenList: 'members.list' } });
  try {
    await addServerJob(harness, 'still listed');
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    const stale = page.getByTestId('stale-lists');
    await expect(stale).toHaveText('Synced · 1 list stale', { timeout: 30_000 });
    await expect(page.getByText('Last sync failed')).toHaveCount(0);
    await expect(page.getByText('still listed').first()).toBeVisible();

    await stale.click();
    const section = page.getByRole('region', { name: 'Stale lists' });
    await expect(section.getByRole('heading', { name: 'my_team' })).toBeVisible();
    const item = section.getByTestId('stale-list');
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('members');
    await expect(item).toContainText('Your role does not allow this (403)');
    await page.screenshot({ path: 'test-results/screenshots/stale-lists.png' });
  } finally {
    await harness.dispose();
  }
});
