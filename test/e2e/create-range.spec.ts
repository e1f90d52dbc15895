// A range of images in the create form is the range the job gets: the form numbers the images in id order,
// the order the server's meta.range counts in (the demo dataset's names sort in another order), so the job's
// images are exactly the ones shown as selected. Picked images too.
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import type { Harness } from './support/harness';
import { serverJobs } from './support/harness';
import { goTo, jobRow } from './support/ui';

async function imagesOf(harness: Harness, name: string): Promise<string[]> {
  const job = (await serverJobs(harness)).find((j) => j.name === name);
  expect(job, `job ${name} on the server`).toBeDefined();
  const info = await harness.callServer<{ entities: { name: string }[] }>('jobs.info', { id: job!.id });
  return info.entities.map((e) => e.name).sort();
}

/** The names the form shows at these 1-based numbers of the list. */
async function namesShownAt(page: Page, numbers: number[]): Promise<string[]> {
  const rows = page.getByRole('list', { name: 'Dataset images' }).getByRole('listitem');
  await expect(rows).toHaveCount(6);
  const names: string[] = [];
  for (const n of numbers) {
    const row = rows.nth(n - 1);
    await expect(row).toContainText(String(n));
    names.push((await row.locator('.name').textContent())!.trim());
  }
  return names.sort();
}

async function startJob(page: Page, name: string): Promise<void> {
  await goTo(page, 'New job');
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('10555');
  await page.getByRole('textbox', { name: 'Job name' }).fill(name);
  await page.getByRole('group', { name: 'Classes to label' }).getByRole('button', { name: 'lemon' }).click();
  await page.getByRole('checkbox', { name: 'Annotator ann_range' }).check();
}

test('the range and the picks the form shows are the images the job gets', async ({ harness, openApp, snap }) => {
  const user = { login: 'ann_range', password: 'password123', isRestricted: false, name: '', email: '' };
  await harness.callServer('users.add', user);
  await harness.callServer('members.add', { login: 'ann_range', teamId: 8, roleId: 3 });
  const page = await openApp();

  await startJob(page, 'range_2_4');
  await page.getByRole('radio', { name: 'Range' }).check();
  await page.getByRole('spinbutton', { name: 'Range start (image number)' }).fill('2');
  await page.getByRole('spinbutton', { name: 'Range end (image number)' }).fill('4');
  await expect(page.getByTestId('image-count')).toHaveText('Images 2–4 of 6');
  const shown = await namesShownAt(page, [2, 3, 4]);
  // a search by name tells the number to use in a range
  await page.getByRole('searchbox', { name: 'Find images by name' }).fill('2084');
  await page.getByRole('searchbox', { name: 'Find images by name' }).press('Enter');
  await expect(page.getByTestId('images-searched')).toHaveText('1 match. Searched all 6 images.');
  await expect(page.getByRole('region', { name: 'Images found' }).getByRole('button')).toHaveText('No. 4: IMG_2084.jpeg');
  expect(shown).toContain('IMG_2084.jpeg');
  await snap('create-range');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(jobRow(page, 'range_2_4')).toHaveCount(1);
  await expect(page.getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });
  expect(await imagesOf(harness, 'range_2_4')).toEqual(shown);

  await startJob(page, 'picked_1_6');
  await page.getByRole('button', { name: 'Pick none' }).click();
  const rows = page.getByRole('list', { name: 'Dataset images' }).getByRole('listitem');
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(5).getByRole('checkbox').check();
  await expect(page.getByTestId('image-count')).toHaveText('2 of 6 images picked');
  const picked = await namesShownAt(page, [1, 6]);
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(jobRow(page, 'picked_1_6')).toHaveCount(1);
  await expect(page.getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });
  expect(await imagesOf(harness, 'picked_1_6')).toEqual(picked);
});
