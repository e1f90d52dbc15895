// Settings → Sync: "Requests at once" shows the default, refuses a value out of range with the range in words,
// and a saved value is kept by the core (settings.json) and shown again after a reload.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

test('requests at once: default 16, bounded, saved and shown again', async ({ harness, openApp, cspViolations }) => {
  const page = await openApp();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const field = page.getByRole('spinbutton', { name: 'Requests at once' });
  await expect(field).toHaveValue('16');
  await expect(field).toHaveAccessibleDescription(/lower is politer/);
  const sync = page.getByRole('region', { name: 'Sync' });
  const save = sync.getByRole('button', { name: 'Save' }).nth(1);

  await field.fill('40');
  await expect(sync.getByText('A whole number from 1 to 32.')).toBeVisible();
  await expect(save).toBeDisabled();

  await field.fill('4');
  await expect(save).toBeEnabled();
  await field.press('Enter'); // the keyboard path: submits the form
  await expect(page.getByText('Saved: up to 4 at once, from now on')).toBeVisible();
  expect(JSON.parse(readFileSync(join(harness.dir, 'app', 'settings.json'), 'utf8'))).toMatchObject({ requestsAtOnce: 4 });

  await page.reload();
  await expect(page.getByRole('spinbutton', { name: 'Requests at once' })).toHaveValue('4');
  expect(cspViolations).toEqual([]);
});
