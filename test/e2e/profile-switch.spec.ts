// Switching the server profile: the sidebar names the server in use at once, not after a reload.
import { expect, test } from './support/fixtures';
import { goTo } from './support/ui';

test('the sidebar follows the active profile without a reload', async ({ harness, page, snap }) => {
  await page.goto(await harness.launchApp({ demo: true }));
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  await expect(sidebar).toContainText('Local server', { timeout: 60_000 });

  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Add a server…' }).click();
  const form = page.getByRole('form', { name: 'New server profile' });
  await form.getByLabel('Name').fill('Team server');
  await form.getByLabel('Server address').fill(harness.serverUrl);
  await form.getByLabel('API token').fill(harness.adminToken);
  await form.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('button', { name: 'Use Team server' }).click();

  await expect(sidebar).toContainText(harness.serverUrl);
  await expect(sidebar).not.toContainText('Local server');
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 30_000 });
  await snap('profile-switched');

  await page.getByRole('button', { name: 'Use demo mode' }).click();
  await expect(sidebar).toContainText('Local server');
});
