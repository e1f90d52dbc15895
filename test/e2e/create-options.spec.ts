// Every create option the SDK has, through the UI, reaches jobs.add (online and queued offline); a
// job template saves the form's settings in the cache and lays them back on a new form, offline too.
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import type { Harness } from './support/harness';
import { serverJobs } from './support/harness';
import { goTo, jobRow } from './support/ui';

async function metaOf(harness: Harness, name: string): Promise<Record<string, unknown>> {
  const job = (await serverJobs(harness)).find((j) => j.name === name);
  expect(job, `job ${name} on the server`).toBeDefined();
  return (await harness.callServer<{ meta: Record<string, unknown> }>('jobs.info', { id: job!.id })).meta;
}

const options = (page: Page) => page.getByRole('group', { name: 'Job options' });

async function fillSettings(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'Classes to label' }).getByRole('button', { name: 'kiwi' }).click();
  await page.getByRole('group', { name: 'Tags to label' }).getByRole('button', { name: 'size' }).click();
  await page.getByRole('spinbutton', { name: 'Tags limit per image' }).fill('3');
  await page.getByRole('textbox', { name: 'Readme (Markdown)' }).fill('# Kiwis\n\nOutline each kiwi.');
  await options(page)
    .getByRole('checkbox', { name: /Classes added to the project later/ })
    .check();
  await options(page).getByRole('checkbox', { name: 'Disable the Submit button in the labeling tool' }).check();
  await options(page)
    .getByRole('checkbox', { name: /Quality check/ })
    .check();
  await options(page).getByRole('spinbutton', { name: 'Guide id' }).fill('12');
  await options(page).getByRole('group', { name: 'Read-only tags' }).getByRole('button', { name: 'origin' }).click();
}

const EXPECTED_META = { dynamicClasses: true, disableSubmit: true, enableIntermediateReview: true, guide: 12, readOnlyTags: ['origin'] };

test('the SDK create options reach the server, and a template brings them back', async ({ harness, openApp, snap, cspViolations }) => {
  test.setTimeout(200_000);
  const page = await openApp();
  await goTo(page, 'New job');
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('10555');

  // a bad guide id is refused on its field, nothing is sent
  await page.getByRole('textbox', { name: 'Job name' }).fill('with_options');
  await page.getByRole('checkbox', { name: 'Annotator my_username' }).check();
  await options(page).getByRole('spinbutton', { name: 'Guide id' }).fill('-4');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(options(page).getByText('A guide id is a positive number')).toBeVisible();

  await fillSettings(page);
  await page.getByRole('textbox', { name: 'Template name' }).fill('kiwi outlines');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByText('Template "kiwi outlines" saved')).toBeVisible();
  await options(page).scrollIntoViewIfNeeded();
  await snap('create-options');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(jobRow(page, 'with_options')).toBeVisible();
  await expect(jobRow(page, 'with_options').getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });
  const online = await metaOf(harness, 'with_options');
  expect(online).toMatchObject(EXPECTED_META);
  expect('disableConfirm' in online).toBe(false);
  expect(online.projectTags).toEqual([expect.objectContaining({ name: 'size' })]);

  // offline: the template comes from the cache; the create is queued and sent once, options and all
  await harness.stopServer();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 60_000 });
  await goTo(page, 'New job');
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('10555');
  await page.getByRole('combobox', { name: 'Start from a template' }).selectOption('kiwi outlines');
  await expect(page.getByText('Template "kiwi outlines" applied')).toBeVisible();
  const kiwi = page.getByRole('group', { name: 'Classes to label' }).getByRole('button', { name: 'kiwi' });
  await expect(kiwi).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('spinbutton', { name: 'Tags limit per image' })).toHaveValue('3');
  await expect(page.getByRole('textbox', { name: 'Readme (Markdown)' })).toHaveValue(/Outline each kiwi/);
  await expect(options(page).getByRole('checkbox', { name: /Quality check/ })).toBeChecked();
  await expect(options(page).getByRole('checkbox', { name: 'Disable the Confirm button in the labeling tool' })).not.toBeChecked();
  await expect(options(page).getByRole('spinbutton', { name: 'Guide id' })).toHaveValue('12');
  await page.getByRole('region', { name: 'Job templates' }).scrollIntoViewIfNeeded();
  await snap('create-template-applied');
  await page.getByRole('textbox', { name: 'Job name' }).fill('from_template');
  await page.getByRole('checkbox', { name: 'Annotator my_username' }).check();
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(jobRow(page, 'from_template').getByTestId('pending-marker')).toBeVisible();

  await harness.startServer();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
  await expect(jobRow(page, 'from_template').getByTestId('pending-marker')).toHaveCount(0, { timeout: 100_000 });
  expect((await serverJobs(harness)).filter((j) => j.name === 'from_template')).toHaveLength(1);
  expect(await metaOf(harness, 'from_template')).toMatchObject({ ...EXPECTED_META, imageTagsLimit: 3 });

  // deleting the template leaves none to choose
  await goTo(page, 'New job');
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('10555');
  await page.getByRole('combobox', { name: 'Start from a template' }).selectOption('kiwi outlines');
  await page.getByRole('button', { name: 'Delete template' }).click();
  await expect(page.getByRole('combobox', { name: 'Start from a template' }).locator('option')).toHaveText(['No templates saved yet']);
  expect(cspViolations).toEqual([]);
});
