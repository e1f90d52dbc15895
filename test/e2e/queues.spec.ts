// Labeling queues in the UI: the grid gets a Queue column (full name in a tooltip, sortable) and a Queue filter
// once the team has queues, kept in the link; the job page names its queue. And a job page whose job a bulk run
// is still acting on locks its changing actions, says why, and unlocks when that change is discarded.
import { readFile } from 'node:fs/promises';
import { expect, test } from './support/fixtures';
import { addServerJob, createHarness, serverJobs } from './support/harness';
import { addQueue } from './support/queues';
import { expectGridNames, jobRow, jobsGrid, pickFilter } from './support/ui';

test('the queue column, the queue filter and the queue on the job page', async ({ harness, openApp, snap, cspViolations }) => {
  const first = await addServerJob(harness, 'queued_one');
  const second = await addServerJob(harness, 'queued_two');
  const hand = await addServerJob(harness, 'hand_made');
  const longName = 'Lemons of the second harvest, sorted by size and colour before review';
  const queue = addQueue(harness, longName, [first, second]);
  const page = await openApp();
  await expectGridNames(page, ['hand_made', 'queued_one', 'queued_two']);

  const queueHeader = jobsGrid(page).locator('[role="columnheader"][data-column="queue"]');
  await expect(queueHeader).toHaveText(/Queue/);
  // the cell clips the long name; its title carries all of it
  const cell = jobRow(page, 'queued_one').locator('[role="gridcell"]').nth(9);
  await expect(cell).toHaveAttribute('title', longName);
  await expect(jobRow(page, 'hand_made').locator('[role="gridcell"]').nth(9)).toHaveText('');
  // every clipped text cell has its full text as a title, not only the queue's
  await expect(jobRow(page, 'queued_one').getByRole('link', { name: 'queued_one' })).toHaveAttribute('title', 'queued_one');
  await expect(jobRow(page, 'queued_one').locator('[role="gridcell"]').nth(7)).toHaveAttribute('title', 'Lemons (Test)');
  await snap('jobs-queue-column');

  // sorted by queue: jobs from no queue first (the link keeps the sort), then the other way round
  const namesInOrder = () =>
    jobsGrid(page).evaluate((grid) =>
      [...grid.querySelectorAll('[role="row"][data-job-id]')]
        .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
        .map((row) => row.querySelector('.name a')?.textContent?.trim()),
    );
  await page.getByRole('button', { name: 'Sort by Queue' }).click();
  await expect.poll(namesInOrder).toEqual(['hand_made', 'queued_one', 'queued_two']);
  expect(page.url()).toContain('sort=labelingQueueName.asc');
  await page.getByRole('button', { name: 'Sort by Queue' }).click();
  await expect.poll(namesInOrder).toEqual(['queued_two', 'queued_one', 'hand_made']);
  await page.getByRole('button', { name: 'Sort by Created' }).click();

  // the CSV names the queue (quoted: the name is server text with commas), its id in a column of its own
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
  const header = lines[0]!.split(',');
  expect(header.indexOf('queue_id')).toBe(header.indexOf('queue') + 1);
  const lineOf = (jobId: number) => lines.find((l) => l.startsWith(`${jobId},`))!;
  expect(lineOf(first)).toContain(`,ds1,"${longName}",${queue},`);
  expect(lineOf(hand)).toMatch(/,ds1,,,\d+,/);

  await pickFilter(page, 'Queue', [longName]);
  await expectGridNames(page, ['queued_one', 'queued_two']);
  expect(page.url()).toContain('queue=');
  await pickFilter(page, 'Queue', ['Not from a queue']);
  await expectGridNames(page, ['hand_made']);
  await page.reload();
  await expectGridNames(page, ['hand_made']);
  await expect(page.getByRole('button', { name: 'Queue', exact: true })).toContainText('Not from a queue');

  await pickFilter(page, 'Queue', [longName]);
  await jobRow(page, 'queued_two').getByRole('link', { name: 'queued_two' }).click();
  await expect(page.getByTestId('job-queue')).toHaveText(longName);
  // the queue's name leads back to the grid on that queue's jobs
  await page.getByTestId('job-queue').getByRole('link', { name: longName }).click();
  await expectGridNames(page, ['queued_one', 'queued_two']);

  // offline, from the cache: the column, the filter (kept in the link) and the job page's queue
  await harness.stopServer();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 60_000 });
  await page.reload();
  await expectGridNames(page, ['queued_one', 'queued_two']);
  await expect(jobRow(page, 'queued_one').locator('[role="gridcell"]').nth(9)).toHaveAttribute('title', longName);
  await pickFilter(page, 'Queue', ['Not from a queue']);
  await expectGridNames(page, ['hand_made']);
  await jobRow(page, 'hand_made').getByRole('link', { name: 'hand_made' }).click();
  await expect(page.getByTestId('job-queue')).toHaveCount(0);
  await page.goBack();
  await pickFilter(page, 'Queue', [longName]);
  await jobRow(page, 'queued_one').getByRole('link', { name: 'queued_one' }).click();
  await expect(page.getByTestId('job-queue')).toHaveText(longName);
  await snap('job-queue-offline');
  expect(cspViolations).toEqual([]);
});

test("a job page locks its actions while a bulk run still has the job's change to send", async ({ page, snap }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 120, latencyMs: 1000 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    await expect(page.getByTestId('match-count')).toHaveText(/^\d+ jobs match/, { timeout: 60_000 });
    const jobs = (await serverJobs(harness)).filter((j) => !j.disabled && j.status !== 'stopped');
    // the last job the run reaches: the items go out in id order, eight at a time, a second each
    const last = Math.max(...jobs.map((j) => j.id));

    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await page.getByRole('toolbar', { name: 'Actions on selected jobs' }).getByRole('button', { name: 'Archive' }).click();
    await expect(page.getByTestId('batch')).toBeVisible();

    await page.goto(`${new URL(page.url()).origin}/#/job/${last}`);
    const lock = page.getByTestId('bulk-lock');
    await expect(lock).toContainText(/A bulk change of \d+ jobs is still being sent \(Archive ".+"; \d+ not sent yet\)/);
    const actions = page.getByRole('toolbar', { name: 'Job actions' });
    for (const name of ['Archive', 'Set status', 'Remove…', 'Edit assignees…', 'Restart…'])
      await expect(actions.getByRole('button', { name, exact: true })).toBeDisabled();
    await expect(actions.getByRole('combobox', { name: 'New status' })).toBeDisabled();
    await expect(actions.getByRole('button', { name: 'Clone…' })).toBeEnabled();
    await snap('job-locked-by-bulk-run');

    // discard this job's change (not sent yet): the page unlocks
    await page.getByRole('button', { name: /^Discard Archive/ }).click();
    await expect(lock).toHaveCount(0, { timeout: 20_000 });
    await expect(actions.getByRole('button', { name: 'Edit assignees…' })).toBeEnabled();
    await expect(actions.getByRole('button', { name: 'Archive', exact: true })).toBeEnabled();
  } finally {
    await harness.dispose();
  }
});
