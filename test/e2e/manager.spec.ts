// A manager may not remove jobs (Supervisely's role table gives removal to admin and developer): a
// bulk remove ends with a per-job failure naming the reason, the jobs stay, and once the lead's role
// is raised on the server, "Retry failed" finishes the job.
import { expect, test } from './support/fixtures';
import { serverJobMeta } from './support/harness';
import { expectGridNames, selectJobs } from './support/ui';

const NO_META = serverJobMeta();

test('bulk remove refused for a manager, then retried after a role change', async ({ page, harness, snap, cspViolations }) => {
  const { userId } = await harness.callServer<{ userId: number }>('users.add', {
    login: 'lead_manager',
    password: 'password123',
    isRestricted: false,
    name: '',
    email: '',
  });
  await harness.callServer('members.add', { login: 'lead_manager', teamId: 8, roleId: 5 });
  for (const name of ['keep_me_a', 'keep_me_b'])
    await harness.callServer('jobs.add', { name, datasetId: 10555, userIds: [7], meta: NO_META });

  await page.goto(await harness.launchApp({ apiToken: harness.tokenFor('lead_manager') }));
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
  await expectGridNames(page, ['keep_me_a', 'keep_me_b']);

  await selectJobs(page, ['keep_me_a', 'keep_me_b']);
  await page.getByRole('button', { name: 'Remove…' }).click();
  await page.getByRole('dialog', { name: 'Remove 2 jobs?' }).getByRole('button', { name: 'Remove 2 jobs' }).click();
  const batch = page.getByRole('region', { name: 'Bulk action progress' }).getByTestId('batch').filter({ hasText: 'Remove 2 jobs' });
  await expect(batch.getByRole('status')).toHaveText('0 succeeded, 2 failed', { timeout: 30_000 });
  // each failed job says why, in the server's words (the role that may not, the roles that may)
  const reasons = batch.getByRole('list', { name: 'Failed jobs' }).getByRole('listitem');
  await expect(reasons).toHaveCount(2);
  for (const reason of await reasons.allTextContents()) expect(reason).toMatch(/manager/i);
  await expectGridNames(page, ['keep_me_a', 'keep_me_b']);
  await snap('jobs-bulk-remove-refused');

  // the admin makes the lead a team admin; the failed removals go through on retry
  await harness.callServer('members.editInfo', { id: userId, teamId: 8, roleId: 1 });
  await batch.getByRole('button', { name: 'Retry failed' }).click();
  await expect(batch.getByRole('status')).toHaveText('Done: all 2 succeeded', { timeout: 30_000 });
  await expectGridNames(page, []);
  const left = await harness.callServer<{ entities: { name: string }[] }>('jobs.list', { teamId: 8, showDisabled: true, filter: [] });
  expect(left.entities.map((j) => j.name)).toEqual([]);
  expect(cspViolations).toEqual([]);
});
