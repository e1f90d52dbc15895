// Notices do not pile up: the same toast four times is one toast counted ×4, and finished batch
// lines leave the jobs page on their own.
import { expect, test } from './support/fixtures';
import { addServerJob } from './support/harness';
import { expectGridNames, selectJobs } from './support/ui';

const names = ['note_a', 'note_b', 'note_c', 'note_d', 'note_e'];

test('repeated toasts are grouped and finished batches go away', async ({ harness, openApp, snap }) => {
  for (const name of names) await addServerJob(harness, name);
  const page = await openApp();
  await expectGridNames(page, names);
  const bar = page.getByRole('toolbar', { name: 'Actions on selected jobs' });
  for (const name of names.slice(0, 4)) {
    await selectJobs(page, [name]);
    await bar.getByRole('button', { name: 'Archive' }).click();
    await expect(bar).toHaveCount(0);
  }
  const toasts = page.getByRole('status', { name: 'Notifications' }).getByTestId('toast');
  await expect(toasts).toHaveCount(1);
  await expect(toasts.first()).toContainText('Archive 1 job: sending');
  await expect(toasts.first()).toContainText('×4');
  // finished batches share one line while they linger
  await expect(page.getByTestId('batch')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.getByTestId('batch')).toContainText(/Done: 4 bulk actions/);
  await snap('notices-grouped');

  await expect(page.getByTestId('batch')).toHaveCount(0, { timeout: 20_000 });
  await expect(toasts).toHaveCount(0, { timeout: 20_000 });
});
