// The seed tutorial (supervisely-api.md §6), done through the UI against a real local server and the real core:
// two labelers, two jobs with the tutorial's options, stop, filters, set status, archive, remove,
// bulk remove — checking the grid after each step and the server at the end.
import { readFile } from 'node:fs/promises';
import { expect, test } from './support/fixtures';
import { serverJobs } from './support/harness';
import { createJob, createUserAndAddToTeam, expectGridNames, goTo, jobRow, pickFilter, selectJobs } from './support/ui';

const job1 = 'labeler1_lemons_task';
const job2 = 'labeler2_kiwi_task_with_complex_settings';

test('the seed tutorial through the UI', async ({ openApp, harness, snap, cspViolations }) => {
  const page = await openApp();

  // Steps 2–5: the two restricted labelers, added to team 8 as annotators.
  await createUserAndAddToTeam(page, 'labeler_1', '11111abc');
  await createUserAndAddToTeam(page, 'labeler_2', '22222abc');
  await snap('team');

  // Step 8: job 1 — labeler_1, class lemon, whole dataset.
  await createJob(page, {
    name: job1,
    annotators: ['labeler_1'],
    classes: ['lemon'],
    readme: 'annotation manual for fruits in markdown format here (optional)',
    description: 'short description is here (optional)',
  });
  await expectGridNames(page, [job1]);

  // Step 11: job 2 — labeler_2, kiwi, tags size + origin, limits 10 and 20, first half of the images.
  await goTo(page, 'New job');
  await snap('create-empty');
  await createJob(page, {
    name: job2,
    annotators: ['labeler_2'],
    classes: ['kiwi'],
    tags: ['size', 'origin'],
    objectsLimit: 10,
    tagsLimit: 20,
    firstHalf: true,
  });
  await expectGridNames(page, [job1, job2]);
  await expect(jobRow(page, job1)).toContainText('Pending');
  await expect(jobRow(page, job2)).toContainText('labeler_2');
  // The queued creations reach the server and the markers clear.
  await expect(page.getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });

  const created = await serverJobs(harness);
  expect(created.map((j) => j.name).sort()).toEqual([job1, job2].sort());

  // Job 2's details carry the tutorial's options.
  await jobRow(page, job2).getByRole('link', { name: job2 }).click();
  await expect(page.getByRole('heading', { name: job2 })).toBeVisible();
  await expect(page.getByTestId('job-classes')).toHaveText('kiwi');
  await expect(page.getByTestId('job-tags')).toHaveText(/size, origin|origin, size/);
  await expect(page.getByText('Objects per image')).toBeVisible();
  await snap('job');
  await goTo(page, 'Jobs');

  // Step 9: stop job 1.
  await selectJobs(page, [job1]);
  await page.getByRole('toolbar', { name: 'Actions on selected jobs' }).getByRole('button', { name: 'Stop' }).click();
  await expect(jobRow(page, job1)).toContainText('Stopped');
  await expect(jobRow(page, job2)).toContainText('Pending');
  await page.keyboard.press('Escape');

  // Steps 13–14: filter by creator, then creator + assignee.
  await pickFilter(page, 'Creator', ['my_username']);
  await expectGridNames(page, [job1, job2]);
  expect(page.url()).toContain('creator=7');
  await pickFilter(page, 'Assignee', ['labeler_2']);
  await expectGridNames(page, [job2]);
  // The filter is in the URL: a reload restores it.
  await page.reload();
  await expectGridNames(page, [job2]);
  await expect(page.getByRole('button', { name: 'Assignee', exact: true })).toHaveText(/labeler_2/);
  await snap('jobs-filtered');
  // Export the visible (filtered) rows as CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^id,name,status,/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,${job2},Pending,false,labeler_2,`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectGridNames(page, [job1, job2]);

  // Step 17: set job 2 to completed.
  await selectJobs(page, [job2]);
  await page.getByRole('combobox', { name: 'New status for selected jobs' }).selectOption('completed');
  await page.getByRole('button', { name: 'Set status' }).click();
  await expect(jobRow(page, job2)).toContainText('Completed');
  await page.getByRole('button', { name: 'Clear selection' }).click();

  // Step 19: archive job 1 — it leaves the default listing, and shows with "Show archived".
  await selectJobs(page, [job1]);
  await page.getByRole('button', { name: 'Archive' }).click();
  await expectGridNames(page, [job2]);
  await page.getByRole('checkbox', { name: 'Show archived' }).check();
  await expectGridNames(page, [job1, job2]);
  await expect(jobRow(page, job1)).toContainText('archived');
  await page.getByRole('checkbox', { name: 'Show archived' }).uncheck();

  // Step 20: remove one job (confirmation names the count).
  await selectJobs(page, [job2]);
  await page.getByRole('button', { name: 'Remove…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove 1 job?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Remove 1 job' }).click();
  await expectGridNames(page, []);

  // Step 21: bulk remove — three jobs (one per annotator), all selected with ctrl+A.
  await createJob(page, { name: 'bulk_task', annotators: ['labeler_1', 'labeler_2', 'my_username'], classes: ['lemon'] });
  await expectGridNames(page, ['bulk_task', 'bulk_task', 'bulk_task']);
  await expect(page.getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });
  // Keyboard: Home focuses the first row, space toggles it, shift+arrow extends, Escape clears,
  // Enter opens the focused job.
  await page.getByRole('grid', { name: 'Jobs' }).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('selection-count')).toHaveText('1 job selected');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.getByTestId('selection-count')).toHaveText('2 jobs selected');
  await expect(page.locator('[role="row"][aria-selected="true"]')).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-count')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'bulk_task' })).toBeVisible();
  await page.goBack();
  await expectGridNames(page, ['bulk_task', 'bulk_task', 'bulk_task']);
  await page.getByRole('grid', { name: 'Jobs' }).focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByTestId('selection-count')).toHaveText('3 jobs selected');
  await snap('jobs-selected');
  // finished bulk actions share one line while more than one is up (6 s each): let the earlier ones go,
  // so the removal below reports on a line of its own
  await expect(page.getByRole('region', { name: 'Bulk action progress' })).toHaveCount(0, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Remove…' }).click();
  await page.getByRole('dialog', { name: 'Remove 3 jobs?' }).getByRole('button', { name: 'Remove 3 jobs' }).click();
  await expectGridNames(page, []);
  const removal = page.getByRole('region', { name: 'Bulk action progress' }).getByTestId('batch').filter({ hasText: 'Remove 3 jobs' });
  await expect(removal).toContainText('Done: all 3 succeeded', { timeout: 30_000 });

  // The server holds exactly the archived job 1 now.
  await expect
    .poll(async () => (await serverJobs(harness)).map((j) => `${j.name}:${j.status}:${j.disabled}`), { timeout: 30_000 })
    .toEqual([`${job1}:stopped:true`]);

  // The remaining views render (and are captured as artifacts).
  await goTo(page, 'Overview');
  await expect(page.getByText('Jobs per status')).toBeVisible();
  await snap('overview');
  await goTo(page, 'Sync');
  await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible();
  await snap('sync');
  await goTo(page, 'Settings');
  await expect(page.getByRole('heading', { name: 'Servers' })).toBeVisible();
  await snap('settings');

  // The strict CSP (no inline scripts or styles) held through every view and action.
  expect(cspViolations).toEqual([]);
});
