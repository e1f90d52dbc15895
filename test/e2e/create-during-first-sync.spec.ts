// The create form opened while the first sync is still reading (every list page of the server takes 0.8 s here,
// so the form opens well before the sync's catalog step): its teams or its team's workspaces are not in the
// cache yet; when the sync ends the form reads them again by itself, without being opened again.
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';
import { goTo } from './support/ui';

test('the create form opened during the first sync gets its workspaces when the sync ends', async ({ page }) => {
  test.setTimeout(200_000);
  const harness = await createHarness({ world: 'team', jobs: 300, quirks: { pageLatencyMs: 800 } });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    await goTo(page, 'New job');
    const status = page.getByRole('group', { name: 'Sync status' });
    const team = page.getByRole('combobox', { name: 'Team', exact: true });
    const workspace = page.getByRole('combobox', { name: 'Workspace', exact: true });
    // opened during the first sync, before its catalog step: no workspace to choose yet
    await expect(status).toContainText('synced never');
    await expect(workspace.locator('option')).toHaveCount(1); // "Choose…" alone
    await expect(status).toContainText(/synced (?!never)/, { timeout: 150_000 });
    await expect(team).not.toHaveValue('', { timeout: 10_000 });
    await expect(workspace.locator('option')).not.toHaveCount(1, { timeout: 10_000 });
    await expect(page.getByRole('heading', { name: 'New labeling job' })).toBeVisible(); // still the same form
  } finally {
    await harness.dispose();
  }
});
