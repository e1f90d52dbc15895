// Split work among annotators through the UI: each annotator's load beside the picker, the dataset's
// six images divided by weights with a preview of who gets what, one job per share on the server —
// online, and offline where the shares are queued and reach the server exactly once.
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import type { Harness } from './support/harness';
import { serverJobMeta, serverJobs } from './support/harness';
import { goTo, jobRow } from './support/ui';

const NO_META = serverJobMeta();
const DEMO_IMAGES = [3882697, 3882698, 3882699, 3882700, 3882701, 3882702];

/** Two annotators in team 8; ann_busy already has a pending job of two images. */
async function seedTeam(harness: Harness): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const login of ['ann_busy', 'ann_free']) {
    const user = { login, password: 'password123', isRestricted: false, name: '', email: '' };
    ids[login] = (await harness.callServer<{ userId: number }>('users.add', user)).userId;
    await harness.callServer('members.add', { login, teamId: 8, roleId: 3 });
  }
  const meta = { ...NO_META, entityIds: DEMO_IMAGES.slice(0, 2) };
  await harness.callServer('jobs.add', { name: 'earlier_work', datasetId: 10555, userIds: [ids.ann_busy], meta });
  return ids;
}

async function entitiesOf(harness: Harness, jobId: number): Promise<number[]> {
  const info = await harness.callServer<{ entities: { id: number }[] }>('jobs.info', { id: jobId });
  return info.entities.map((e) => e.id).sort();
}

/** Fills the form for a split of all six images, ann_busy : ann_free = 1 : 2, and checks the preview. */
async function fillSplit(page: Page, name: string): Promise<void> {
  await goTo(page, 'New job');
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('10555');
  await page.getByRole('textbox', { name: 'Job name' }).fill(name);
  await page.getByRole('group', { name: 'Classes to label' }).getByRole('button', { name: 'lemon' }).click();
  await page.getByRole('checkbox', { name: 'Annotator ann_busy' }).check();
  await page.getByRole('checkbox', { name: 'Annotator ann_free' }).check();
  await page.getByRole('checkbox', { name: 'Split the images among the annotators' }).check();
  await page.getByRole('spinbutton', { name: 'Weight of ann_free' }).fill('2');
  const preview = page.getByRole('table', { name: 'Who gets which images' });
  await expect(preview.getByRole('row')).toHaveCount(3);
  // ann_busy: 2 of 6 images, 2 still to do before → 4 after; ann_free: 4, nothing before → 4
  await expect(preview.getByRole('row', { name: /ann_busy/ }).getByRole('cell')).toHaveText(['ann_busy', '2', /.+/, '4']);
  await expect(preview.getByRole('row', { name: /ann_free/ }).getByRole('cell')).toHaveText(['ann_free', '4', /…/, '4']);
}

test('split work among annotators, with their load and a preview', async ({ harness, openApp, snap, cspViolations }) => {
  const ids = await seedTeam(harness);
  const page = await openApp();
  await goTo(page, 'New job');
  await expect(page.getByTestId('load-ann_busy')).toHaveText('1 open job, 2 images to do');
  await expect(page.getByTestId('load-ann_free')).toHaveText('no open jobs');
  await expect(page.getByTestId('reviewer-note')).toHaveText(/creator \(you, my_username\) its reviewer/);

  // an impossible split says why before anything is sent
  await page.getByRole('button', { name: 'Pick none' }).click();
  await page
    .getByRole('checkbox', { name: /^Pick / })
    .first()
    .check();
  await page.getByRole('checkbox', { name: 'Annotator ann_busy' }).check();
  await page.getByRole('checkbox', { name: 'Annotator ann_free' }).check();
  await page.getByRole('checkbox', { name: 'Split the images among the annotators' }).check();
  await expect(page.getByTestId('split-problem')).toHaveText('1 image cannot be split among 2 annotators: each needs at least one');
  await snap('create-split-problem');

  await goTo(page, 'Jobs'); // leaving the form drops it: the next one starts empty
  await fillSplit(page, 'split_online');
  await page.getByRole('table', { name: 'Who gets which images' }).scrollIntoViewIfNeeded();
  await snap('create-split-preview');
  await page.getByRole('button', { name: 'Create 2 jobs' }).click();
  await expect(jobRow(page, 'split_online')).toHaveCount(2);
  await expect(page.getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });

  const made = (await serverJobs(harness)).filter((j) => j.name === 'split_online');
  expect(made).toHaveLength(2);
  const byUser = Object.fromEntries(await Promise.all(made.map(async (j) => [j.userId, await entitiesOf(harness, j.id)] as const)));
  expect(byUser[ids.ann_busy!]).toHaveLength(2);
  expect(byUser[ids.ann_free!]).toHaveLength(4);
  expect([...byUser[ids.ann_busy!]!, ...byUser[ids.ann_free!]!].sort()).toEqual(DEMO_IMAGES);

  // the load beside the picker now counts the new jobs
  await goTo(page, 'New job');
  await expect(page.getByTestId('load-ann_free')).toHaveText('1 open job, 4 images to do');
  expect(cspViolations).toEqual([]);
});

test('a split made offline is queued and reaches the server exactly once', async ({ harness, openApp, snap }) => {
  test.setTimeout(200_000);
  const ids = await seedTeam(harness);
  const page = await openApp();
  // a dataset's images are read when a view first needs them (never during sync): the lead saw this one online
  await goTo(page, 'New job');
  await expect(page.getByTestId('image-count')).toHaveText('All 6 images');
  // the count comes from the dataset row at once; the images themselves once their page is read
  await expect(page.getByRole('list', { name: 'Dataset images' }).getByRole('listitem')).toHaveCount(6);
  await harness.stopServer();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 60_000 });

  await fillSplit(page, 'split_offline');
  await page.getByRole('button', { name: 'Create 2 jobs' }).click();
  await expect(jobRow(page, 'split_offline')).toHaveCount(2);
  await expect(jobRow(page, 'split_offline').getByTestId('pending-marker')).toHaveCount(2);
  await snap('jobs-split-offline');

  await harness.startServer();
  expect((await serverJobs(harness)).filter((j) => j.name === 'split_offline')).toHaveLength(0);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
  await expect(jobRow(page, 'split_offline').getByTestId('pending-marker')).toHaveCount(0, { timeout: 100_000 });

  const made = (await serverJobs(harness)).filter((j) => j.name === 'split_offline');
  expect(made.map((j) => j.userId).sort()).toEqual([ids.ann_busy, ids.ann_free].sort());
  const shares = await Promise.all(made.map((j) => entitiesOf(harness, j.id)));
  expect(shares.map((s) => s.length).sort()).toEqual([2, 4]);
  expect(shares.flat().sort()).toEqual(DEMO_IMAGES);
});
