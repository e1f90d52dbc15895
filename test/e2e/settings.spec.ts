// Settings: a server profile is saved with its token (never shown back), its connection tested;
// the theme setting switches the page between light and dark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

test('server profiles and theme', async ({ harness, openApp, snap, cspViolations }) => {
  const page = await openApp();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add a server…' }).click();
  const form = page.getByRole('form', { name: 'New server profile' });
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(form.getByText('Give the profile a name')).toBeVisible();
  await expect(form.getByText('Paste the API token')).toBeVisible();

  await form.getByLabel('Name').fill('Local test server');
  await form.getByLabel('Server address').fill(harness.serverUrl);
  await form.getByLabel('API token').fill('wrong-token');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status')).toBeVisible({ timeout: 30_000 });
  await expect(form.getByRole('status')).not.toHaveText(/^Connected/);
  await form.getByLabel('API token').fill(harness.adminToken);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status')).toHaveText(/^Connected as my_username/, { timeout: 30_000 });
  await form.getByRole('button', { name: 'Save profile' }).click();

  const profiles = page.getByRole('table', { name: 'Server profiles' });
  const row = profiles.getByRole('row', { name: /Local test server/ });
  await expect(row).toContainText(harness.serverUrl);
  await expect(row).toContainText('saved');
  // The token is write-only: the edit form starts empty and the page never contains it.
  await row.getByRole('button', { name: 'Edit Local test server' }).click();
  await expect(page.getByRole('form', { name: 'Edit Local test server' }).getByLabel('API token')).toHaveValue('');
  expect(await page.content()).not.toContain(harness.adminToken);
  await snap('settings-profile');

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(darkBackground);
  // The choice is stored by the core: it survives a reload.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  expect(cspViolations).toEqual([]);
});

test('a damaged settings file is named in a banner, and kept aside', async ({ harness, openApp }) => {
  mkdirSync(join(harness.dir, 'app'), { recursive: true });
  writeFileSync(join(harness.dir, 'app', 'settings.json'), '{"profiles": [');
  const page = await openApp();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const banner = page.getByRole('alert', { name: 'Damaged data file' });
  await expect(banner).toContainText('settings.json could not be read');
  await expect(banner).toContainText(join(harness.dir, 'app', 'settings.json.broken-'));
});
