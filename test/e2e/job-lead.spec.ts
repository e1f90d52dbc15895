// The lead's actions on one job, from its page: edit assignees, review images (accept / reject), read
// the stats, restart with the rejected images, clone for another annotator, open it on the server.
// Online, and offline (queued, the server back, each change on the server exactly once).
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { addServerJob, serverJobs, type Harness } from './support/harness';
import { jobRow } from './support/ui';

interface ServerInfo {
  userId: number;
  reviewerId: number | null;
  status: string;
  entities: { id: number; name: string; reviewStatus: string }[];
}
const info = (harness: Harness, id: number) => harness.callServer<ServerInfo>('jobs.info', { id });

async function addLabeler(harness: Harness): Promise<number> {
  const { userId } = await harness.callServer<{ userId: number }>('users.add', { login: 'labeler_1', password: 'password123' });
  await harness.callServer('members.add', { login: 'labeler_1', teamId: 8, roleId: 3 });
  return userId;
}

async function openJob(page: Page, name: string): Promise<void> {
  await jobRow(page, name).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Job images' }).getByRole('row')).toHaveCount(7);
}

/** Every step through the UI; `snap` names carry the mode so both runs keep their screenshots. */
async function leadActions(page: Page, snap: (name: string) => Promise<void>, mode: string, images: string[]): Promise<void> {
  // edit: the new annotator and reviewer show at once
  await page.getByRole('button', { name: 'Edit assignees…' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit assignees' });
  await edit.getByLabel('New annotator').selectOption({ label: 'labeler_1' });
  await edit.getByLabel('New reviewer').selectOption({ label: 'labeler_1' });
  await snap(`job-edit-assignees-${mode}`);
  await edit.getByRole('button', { name: 'Save assignees' }).click();
  const details = page.getByRole('region', { name: 'Details' });
  await expect(details.getByText('labeler_1')).toHaveCount(2);

  // review: one rejected, one accepted, shown in the table and the chart at once
  await page.getByRole('button', { name: `Reject ${images[0]}`, exact: true }).click();
  await page.getByRole('button', { name: `Accept ${images[1]}`, exact: true }).click();
  const table = page.getByRole('table', { name: 'Job images' });
  await expect(table.getByText('rejected', { exact: true })).toHaveCount(1);
  await expect(table.getByText('accepted', { exact: true })).toHaveCount(1);
  await expect(page.getByRole('img', { name: /Images by review status/ })).toHaveAccessibleName(/Accepted 1.*Rejected 1/);
  await table.scrollIntoViewIfNeeded();
  await snap(`job-review-${mode}`);

  // restart: the rejected image goes back to my_username in a new job; this one is completed
  await page.getByRole('button', { name: 'Restart…' }).click();
  const restart = page.getByRole('dialog', { name: 'Restart job' });
  await expect(restart).toContainText('Sends the 1 rejected image of');
  await restart.getByLabel('Restart annotator').selectOption({ label: 'my_username' });
  await restart.getByLabel('Restarted job name').fill(`redo_${mode}`);
  await snap(`job-restart-${mode}`);
  await restart.getByRole('button', { name: 'Restart' }).click();
  await expect(page.locator('.title')).toContainText('Completed');
  if (mode === 'offline') await expect(page.getByRole('button', { name: 'Restart…' })).toBeDisabled();

  // clone: same settings for labeler_1; the app goes to the new job
  await page.getByRole('button', { name: 'Clone…' }).click();
  const clone = page.getByRole('dialog', { name: 'Clone job' });
  await clone.getByLabel('Clone name').fill(`copy_${mode}`);
  await clone.getByLabel('Clone annotator').selectOption({ label: 'labeler_1' });
  await snap(`job-clone-${mode}`);
  await clone.getByRole('button', { name: 'Create clone' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `copy_${mode}` })).toBeVisible();
  if (mode === 'online') await expect(page.getByRole('table', { name: 'Job images' }).getByRole('row')).toHaveCount(7);
  else await expect(page.getByText('created offline — not yet on the server')).toBeVisible();
}

/** What the server must hold after the run: each change exactly once. */
async function expectOnServer(harness: Harness, jobId: number, labeler: number, mode: string): Promise<void> {
  const job = await info(harness, jobId);
  expect(job).toMatchObject({ userId: labeler, reviewerId: labeler, status: 'completed' });
  expect(job.entities.map((e) => e.reviewStatus).sort()).toEqual(['accepted', 'none', 'none', 'none', 'none', 'rejected']);
  const jobs = await serverJobs(harness);
  const redo = jobs.filter((j) => j.name === `redo_${mode}`);
  const copy = jobs.filter((j) => j.name === `copy_${mode}`);
  expect(redo).toHaveLength(1);
  expect(copy).toHaveLength(1);
  const redoInfo = await info(harness, redo[0]!.id);
  expect(redoInfo).toMatchObject({ userId: 7, reviewerId: labeler });
  expect(redoInfo.entities.map((e) => e.id)).toEqual(job.entities.filter((e) => e.reviewStatus === 'rejected').map((e) => e.id));
  const copyInfo = await info(harness, copy[0]!.id);
  expect(copyInfo).toMatchObject({ userId: labeler, reviewerId: labeler });
  expect(copyInfo.entities.map((e) => e.id).sort()).toEqual(job.entities.map((e) => e.id).sort());
}

test('a lead edits, reviews, restarts, clones and opens a job, online', async ({ harness, openApp, snap, cspViolations }) => {
  test.setTimeout(180_000);
  const labeler = await addLabeler(harness);
  const jobId = await addServerJob(harness, 'lead_online');
  const images = (await info(harness, jobId)).entities.map((e) => e.name);
  const page = await openApp();
  await openJob(page, 'lead_online');

  // open on the server: a new tab on the server's own origin
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open on server ↗' }).click()]);
  expect(popup.url()).toBe(`${harness.serverUrl}/labeling/jobs/${jobId}`);
  await popup.close();

  await expect(page.getByTestId('job-time')).toContainText('Annotation time');
  await page.getByRole('region', { name: 'Stats' }).scrollIntoViewIfNeeded();
  await snap('job-stats-online');

  await leadActions(page, snap, 'online', images);
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 60_000 });
  await expectOnServer(harness, jobId, labeler, 'online');
  expect(cspViolations).toEqual([]);
});

test('the same actions offline are queued, then reach the server exactly once', async ({ harness, openApp, snap }) => {
  test.setTimeout(240_000);
  const labeler = await addLabeler(harness);
  const jobId = await addServerJob(harness, 'lead_offline');
  const images = (await info(harness, jobId)).entities.map((e) => e.name);
  const page = await openApp();
  await openJob(page, 'lead_offline');

  await harness.stopServer();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 60_000 });
  await leadActions(page, snap, 'offline', images);
  await expect(page.getByTestId('pending-count')).toBeVisible();
  await snap('job-clone-queued-offline');

  await harness.startServer();
  // nothing reached the server while it was down
  expect((await serverJobs(harness)).map((j) => j.name)).toEqual(['lead_offline']);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 120_000 });
  await expectOnServer(harness, jobId, labeler, 'offline');
});
