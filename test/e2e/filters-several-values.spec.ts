// Filters with several values: two assignees at once, three statuses at once, kept in the URL so a
// reload brings them back; the field says what is chosen.
import { expect, test } from './support/fixtures';
import { addServerJob } from './support/harness';
import { expectGridNames, pickFilter } from './support/ui';

test('two assignees and three statuses filter together and survive a reload', async ({ harness, openApp, snap, cspViolations }) => {
  const ids: Record<string, number> = {};
  for (const login of ['ann_a', 'ann_b', 'ann_c']) {
    const user = { login, password: 'password123', isRestricted: false, name: '', email: '' };
    ids[login] = (await harness.callServer<{ userId: number }>('users.add', user)).userId;
    await harness.callServer('members.add', { login, teamId: 8, roleId: 3 });
  }
  const statusOf: Record<string, string> = {
    job_a1: 'pending',
    job_a2: 'in_progress',
    job_b1: 'completed',
    job_b2: 'stopped',
    job_c1: 'on_review',
  };
  for (const [name, status] of Object.entries(statusOf)) {
    const id = await addServerJob(harness, name, [ids[`ann_${name[4]}`]!]);
    if (status !== 'pending') await harness.callServer('jobs.set-status', { id, status });
  }
  const page = await openApp();
  await expectGridNames(page, Object.keys(statusOf));

  await pickFilter(page, 'Assignee', ['ann_a', 'ann_b']);
  await expectGridNames(page, ['job_a1', 'job_a2', 'job_b1', 'job_b2']);
  await expect(page.getByRole('button', { name: 'Assignee', exact: true })).toHaveText(/ann_a, ann_b/);
  expect(decodeURIComponent(page.url())).toContain(`assignee=${ids.ann_a},${ids.ann_b}`);

  for (const status of ['Pending', 'In progress', 'Completed']) await page.getByRole('checkbox', { name: `Status ${status}` }).check();
  await expectGridNames(page, ['job_a1', 'job_a2', 'job_b1']);
  await page.getByRole('button', { name: 'Assignee', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Assignee choices' })).toBeVisible();
  await snap('jobs-filter-several-values');
  await page.keyboard.press('Escape');

  await page.reload();
  await expectGridNames(page, ['job_a1', 'job_a2', 'job_b1']);
  await expect(page.getByRole('button', { name: 'Assignee', exact: true })).toHaveText(/ann_a, ann_b/);
  await expect(page.getByRole('checkbox', { name: 'Status In progress' })).toBeChecked();

  // a third assignee: the field counts instead of naming
  await pickFilter(page, 'Assignee', ['ann_a', 'ann_b', 'ann_c']);
  await expect(page.getByRole('button', { name: 'Assignee', exact: true })).toHaveText(/3 chosen/);
  await page.getByRole('checkbox', { name: 'Status On review' }).check();
  await expectGridNames(page, ['job_a1', 'job_a2', 'job_b1', 'job_c1']);
  expect(cspViolations).toEqual([]);
});
