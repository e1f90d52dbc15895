// Offline: the server goes away, the lead keeps working (archive three jobs from a multi-select,
// create one), the changes wait as pending; the server comes back on the same port and data file,
// the queue drains, the markers clear, and the server holds exactly those changes.
import { expect, test } from './support/fixtures';
import { serverJobMeta, serverJobs } from './support/harness';
import { createJob, expectGridNames, jobRow, jobsGrid } from './support/ui';

const seeded = ['offline_a', 'offline_b', 'offline_c', 'offline_d'];

test('changes made offline are queued, then synced exactly once', async ({ harness, openApp, snap, cspViolations }) => {
  test.setTimeout(240_000);
  for (const name of seeded)
    await harness.callServer('jobs.add', {
      name,
      datasetId: 10555,
      userIds: [7],
      meta: serverJobMeta({ classes: ['lemon'] }),
    });
  const before = await serverJobs(harness);
  expect(before).toHaveLength(4);

  const page = await openApp();
  await page.getByRole('button', { name: 'Sort by Name' }).click(); // ascending by name: a, b, c, d
  await expectGridNames(page, seeded);

  await harness.stopServer();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 60_000 });

  // Multi-select with click + shift-click: a..c.
  await jobRow(page, 'offline_a').locator('[role="gridcell"]').nth(4).click();
  await jobRow(page, 'offline_c')
    .locator('[role="gridcell"]')
    .nth(4)
    .click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selection-count')).toHaveText('3 jobs selected');
  await page.getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByText(/offline: the changes will be sent/i)).toBeVisible();
  await expectGridNames(page, ['offline_d']);

  await createJob(page, { name: 'made_offline', annotators: ['my_username'], classes: ['kiwi'] });
  await expect(jobRow(page, 'made_offline')).toBeVisible();
  await expect(jobRow(page, 'made_offline').getByTestId('pending-marker')).toBeVisible();

  await page.getByRole('checkbox', { name: 'Show archived' }).check();
  await expectGridNames(page, [...seeded, 'made_offline']);
  for (const name of ['offline_a', 'offline_b', 'offline_c', 'made_offline']) {
    await expect(jobRow(page, name).getByTestId('pending-marker')).toBeVisible();
  }
  await expect(jobRow(page, 'offline_d').getByTestId('pending-marker')).toHaveCount(0);
  await expect(page.getByTestId('pending-count')).toBeVisible();
  await snap('jobs-offline');

  // Nothing reached the server while it was down.
  await harness.startServer();
  expect((await serverJobs(harness)).map((j) => `${j.name}:${j.disabled}`).sort()).toEqual(seeded.map((n) => `${n}:false`));

  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
  // An item that failed while the server was down waits out its retry backoff (capped at 60 s by the
  // core) before it is sent again, so allow for that.
  await expect(jobsGrid(page).getByTestId('pending-marker')).toHaveCount(0, { timeout: 100_000 });
  await expect(page.getByTestId('pending-count')).toHaveCount(0);

  const after = await serverJobs(harness);
  expect(after.map((j) => `${j.name}:${j.disabled}`).sort()).toEqual([
    'made_offline:false',
    'offline_a:true',
    'offline_b:true',
    'offline_c:true',
    'offline_d:false',
  ]);
  // Exactly once: one new job, the four old ones kept their ids.
  expect(after.filter((j) => j.name === 'made_offline')).toHaveLength(1);
  expect(
    after
      .filter((j) => seeded.includes(j.name))
      .map((j) => j.id)
      .sort(),
  ).toEqual(before.map((j) => j.id).sort());

  // The strict CSP (no inline scripts or styles) held through every view and action.
  expect(cspViolations).toEqual([]);
});
