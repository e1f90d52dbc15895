// Small helpers that drive the UI the way a person does: by role and accessible name.
import { expect, type Locator, type Page } from '@playwright/test';

export async function goTo(page: Page, view: 'Jobs' | 'New job' | 'Overview' | 'Team' | 'Sync' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: view, exact: true }).click();
}

export function jobsGrid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Jobs' });
}

export function jobRow(page: Page, name: string): Locator {
  return jobsGrid(page).locator('[role="row"][data-job-id]', { hasText: name });
}

/** Names of the rows the grid shows (all rows fit on screen in these tests). */
export async function gridNames(page: Page): Promise<string[]> {
  const names = await jobsGrid(page).locator('[role="row"][data-job-id] [role="gridcell"].name a').allTextContents();
  return names.map((n) => n.trim()).sort();
}

export async function expectGridNames(page: Page, names: string[]): Promise<void> {
  await expect.poll(() => gridNames(page), { timeout: 20_000 }).toEqual([...names].sort());
  await expect(page.getByTestId('match-count')).toHaveText(new RegExp(`^${names.length} jobs? match`));
}

/** Opens a several-values filter (Creator, Assignee, …), ticks exactly `labels`, and closes it. */
export async function pickFilter(page: Page, field: string, labels: string[]): Promise<void> {
  await page.getByRole('button', { name: field, exact: true }).click();
  const choices = page.getByRole('group', { name: `${field} choices` });
  for (const box of await choices.getByRole('checkbox').all()) await box.setChecked(false);
  for (const label of labels) await choices.getByRole('checkbox', { name: label, exact: true }).check();
  await page.keyboard.press('Escape');
  await expect(choices).toBeHidden();
}

export async function selectJobs(page: Page, names: string[]): Promise<void> {
  for (const name of names) await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).click();
  await expect(page.getByTestId('selection-count')).toHaveText(`${names.length} job${names.length === 1 ? '' : 's'} selected`);
}

export async function createUserAndAddToTeam(page: Page, login: string, password: string): Promise<void> {
  await goTo(page, 'Team');
  const form = page.getByRole('region', { name: 'Create an annotator account' });
  await form.getByLabel('Login').fill(login);
  await form.getByLabel('Password').fill(password);
  await expect(form.getByRole('checkbox', { name: /Restricted/ })).toBeChecked();
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(`Account ${login} created`)).toBeVisible();
  await page.getByRole('combobox', { name: 'User to add' }).selectOption({ label: login });
  await page.getByRole('combobox', { name: 'Role for the added user' }).selectOption({ label: 'annotator' });
  await page.getByRole('button', { name: 'Add to team' }).click();
  const members = page.getByRole('table', { name: 'Team members' });
  await expect(members.getByRole('row', { name: new RegExp(login) })).toBeVisible();
  await expect(members.getByRole('combobox', { name: `Role of ${login}` })).toHaveValue('3');
}

export interface JobForm {
  name: string;
  annotators: string[];
  classes?: string[];
  tags?: string[];
  objectsLimit?: number;
  tagsLimit?: number;
  firstHalf?: boolean;
  readme?: string;
  description?: string;
}

export async function createJob(page: Page, job: JobForm): Promise<void> {
  await goTo(page, 'New job');
  // Team 8 has one workspace, one project and one dataset: the pickers fill themselves in.
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('10555');
  await page.getByRole('textbox', { name: 'Job name' }).fill(job.name);
  if (job.description) await page.getByRole('textbox', { name: 'Description' }).fill(job.description);
  for (const name of job.classes ?? []) await page.getByRole('group', { name: 'Classes to label' }).getByRole('button', { name }).click();
  for (const name of job.tags ?? []) await page.getByRole('group', { name: 'Tags to label' }).getByRole('button', { name }).click();
  if (job.objectsLimit) await page.getByRole('spinbutton', { name: 'Objects limit per image' }).fill(String(job.objectsLimit));
  if (job.tagsLimit) await page.getByRole('spinbutton', { name: 'Tags limit per image' }).fill(String(job.tagsLimit));
  if (job.firstHalf) {
    await page.getByRole('button', { name: 'First half' }).click();
    await expect(page.getByTestId('image-count')).toHaveText('Images 1–3 of 6');
  }
  for (const login of job.annotators) await page.getByRole('checkbox', { name: `Annotator ${login}` }).check();
  if (job.readme) await page.getByRole('textbox', { name: 'Readme (Markdown)' }).fill(job.readme);
  await page.getByRole('button', { name: /^Create (job|\d+ jobs)$/ }).click();
  await expect(page.getByRole('grid', { name: 'Jobs' })).toBeVisible();
}

/**
 * Counts the page's calls of one core channel (its requests to the bridge) from before the app loads; the
 * function it gives reads the count so far.
 */
export async function countCalls(page: Page, channel: string): Promise<() => Promise<number>> {
  await page.addInitScript((name) => {
    const counts = ((window as unknown as { callCounts?: Record<string, number> }).callCounts ??= {});
    counts[name] = 0;
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).includes(name)) counts[name]!++;
      return realFetch(input, init);
    };
  }, channel);
  return () => page.evaluate((name) => (window as unknown as { callCounts: Record<string, number> }).callCounts[name]!, channel);
}
