// The column chooser: hide columns, drag a column wider (and narrow it with the keyboard), and find the
// grid as it was left after a reload; "default" brings every column back.
import { expect, test } from './support/fixtures';
import { addServerJob } from './support/harness';
import { expectGridNames, jobsGrid } from './support/ui';

test('hidden columns and dragged widths are remembered across a reload', async ({ harness, openApp, snap, cspViolations }) => {
  await addServerJob(harness, 'column_job');
  const page = await openApp();
  await expectGridNames(page, ['column_job']);
  const headers = () => jobsGrid(page).getByRole('columnheader');
  const header = (key: string) => jobsGrid(page).locator(`[role="columnheader"][data-column="${key}"]`);
  await expect(headers()).toHaveCount(13);
  const initial = (await header('name').boundingBox())!.width;

  await page.getByRole('button', { name: 'Columns' }).click();
  const choices = page.getByRole('group', { name: 'Columns to show' });
  await expect(choices.getByRole('checkbox', { name: 'Name' })).toBeDisabled();
  await choices.getByRole('checkbox', { name: 'Reviewer' }).uncheck();
  await choices.getByRole('checkbox', { name: 'Creator' }).uncheck();
  await expect(headers()).toHaveCount(11);
  await expect(jobsGrid(page).locator('[role="row"][data-job-id]').first().getByRole('gridcell')).toHaveCount(11);
  await snap('jobs-column-chooser');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Columns (2 hidden)' })).toBeVisible();

  // drag the Name column's handle 150 px to the right
  const before = (await header('name').boundingBox())!.width;
  const handle = page.getByRole('separator', { name: 'Resize Name' });
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + 150, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const dragged = (await header('name').boundingBox())!.width;
  expect(dragged).toBeGreaterThan(before + 100);
  // the keyboard: two steps of 10 px narrower
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => Math.round((await header('name').boundingBox())!.width)).toBe(Math.round(dragged) - 20);
  const kept = Math.round((await header('name').boundingBox())!.width);
  // rows follow the header
  expect(Math.round((await jobsGrid(page).locator('[role="row"][data-job-id] .name').first().boundingBox())!.width)).toBe(kept);

  await page.reload();
  await expectGridNames(page, ['column_job']);
  await expect(headers()).toHaveCount(11);
  await expect(header('reviewer')).toHaveCount(0);
  await expect.poll(async () => Math.round((await header('name').boundingBox())!.width)).toBe(kept);
  await snap('jobs-columns-after-reload');

  await page.getByRole('button', { name: 'Columns (2 hidden)' }).click();
  await page.getByRole('button', { name: 'Show all, default widths' }).click();
  await expect(headers()).toHaveCount(13);
  await expect.poll(async () => Math.round((await header('name').boundingBox())!.width)).toBe(Math.round(initial));
  expect(cspViolations).toEqual([]);
});
