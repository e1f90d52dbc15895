// Words that say what really happens: a refused token is named as such in Settings (no talk of the
// network), and the create form says who reviews a job when no reviewer is picked.
import { expect, test } from './support/fixtures';
import { createJob, goTo, jobRow } from './support/ui';

test('a wrong token is named as the one cause; the default reviewer is named before creating', async ({ harness, openApp, snap }) => {
  const page = await openApp();
  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Add a server…' }).click();
  const form = page.getByRole('form', { name: 'New server profile' });
  await form.getByLabel('Name').fill('Wrong token');
  await form.getByLabel('Server address').fill(harness.serverUrl);
  await form.getByLabel('API token').fill('wrong-token');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status')).toHaveText(/refused this API token \(401\)/, { timeout: 30_000 });
  await expect(form.getByRole('status')).not.toHaveText(/reach|network/i);
  await snap('settings-wrong-token');

  await goTo(page, 'New job');
  const reviewer = page.getByRole('combobox', { name: 'Reviewer' });
  await expect(reviewer.locator('option:checked')).toHaveText(/the creator/);
  await snap('create-default-reviewer');
  await createJob(page, { name: 'reviewed_by_default', annotators: ['my_username'], classes: ['kiwi'] });
  await expect(jobRow(page, 'reviewed_by_default').getByRole('gridcell').nth(5)).toHaveText('my_username');
});
