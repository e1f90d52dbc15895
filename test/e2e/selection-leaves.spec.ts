// A selection acts only on jobs the current filter shows: archiving selected jobs takes them out of
// the list, so they leave the selection too (with a word saying so) and no action stays armed.
import { expect, test } from './support/fixtures';
import { addServerJob, serverJobs } from './support/harness';
import { expectGridNames, selectJobs } from './support/ui';

const names = ['sel_a', 'sel_b', 'sel_c', 'sel_d'];

test('archived jobs leave the selection; the bulk bar never acts on hidden jobs', async ({ harness, openApp, snap }) => {
  for (const name of names) await addServerJob(harness, name);
  const page = await openApp();
  await expectGridNames(page, names);

  await selectJobs(page, ['sel_a', 'sel_b', 'sel_c']);
  await page.getByRole('toolbar', { name: 'Actions on selected jobs' }).getByRole('button', { name: 'Archive' }).click();
  await expectGridNames(page, ['sel_d']);
  await expect(page.getByTestId('selection-count')).toHaveCount(0);
  await expect(page.getByRole('toolbar', { name: 'Actions on selected jobs' })).toHaveCount(0);
  await expect(page.getByTestId('selection-notice')).toHaveText(/3 selected jobs left this list/);
  await snap('selection-left-list');

  // Showing archived jobs again does not bring back a selection that could remove them.
  await page.getByRole('checkbox', { name: 'Show archived' }).check();
  await expectGridNames(page, names);
  await expect(page.getByTestId('selection-count')).toHaveCount(0);
  await expect
    .poll(
      async () =>
        (await serverJobs(harness))
          .filter((j) => j.disabled)
          .map((j) => j.name)
          .sort(),
      { timeout: 20_000 },
    )
    .toEqual(['sel_a', 'sel_b', 'sel_c']);
});
