// A job's page open while a bulk run goes follows the run coalesced: it read the job again at every answer of
// the run (every outbox change): a stop of 2,164 jobs sent the core 1,938 reads of the one job's details.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs } from './support/harness';
import { countCalls, jobsGrid } from './support/ui';

test('a job page open during a bulk stop reads the job a few times, and shows it stopped', async ({ page }) => {
  test.setTimeout(120_000);
  const harness = await createHarness({ jobs: 1000 });
  try {
    const jobReads = await countCalls(page, 'jobs.get');
    await page.goto(await harness.launchApp());
    const listed = (await serverJobs(harness)).filter((j) => !j.disabled && j.status !== 'stopped').sort((a, b) => a.id - b.id);
    const all = (await serverJobs(harness)).filter((j) => !j.disabled).length;
    await expect(page.getByTestId('match-count')).toHaveText(`${all.toLocaleString('en-US')} jobs match`, { timeout: 60_000 });

    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await page.getByRole('toolbar', { name: 'Actions on selected jobs' }).getByRole('button', { name: 'Stop' }).click();
    // the job sent last (the run goes in id order), its page opened while the run goes
    const last = listed[listed.length - 1]!;
    await page.evaluate((id) => (location.hash = `#/job/${id}`), last.id);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(last.name);
    const readsBefore = await jobReads();
    await expect.poll(async () => (await serverJobs(harness)).find((j) => j.id === last.id)?.status, { timeout: 90_000 }).toBe('stopped');
    await expect(page.locator('h1 + .badge')).toHaveText('Stopped');
    // the page followed the run to its end: its change is shown sent
    await expect(page.getByRole('table', { name: 'Queued changes for this job' }).locator('.state')).toHaveText('done');
    expect(await jobReads()).toBeLessThan(readsBefore + listed.length / 10);
  } finally {
    await harness.dispose();
  }
});
