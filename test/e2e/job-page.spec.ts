// The job page tells one story: after the server accepted two images, the progress, the review
// chart and the images table all say two accepted.
import { expect, test } from './support/fixtures';
import { addServerJob } from './support/harness';
import { jobRow } from './support/ui';

test('progress, review chart and images agree after the server moved the job', async ({ harness, openApp, snap }) => {
  const jobId = await addServerJob(harness, 'story_job');
  const page = await openApp();
  await jobRow(page, 'story_job').getByRole('link', { name: 'story_job' }).click();
  const images = page.getByRole('table', { name: 'Job images' });
  await expect(images.getByRole('row')).toHaveCount(7);
  await expect(images).not.toContainText('accepted');

  const info = await harness.callServer<{ entities: { id: number }[] }>('jobs.info', { id: jobId });
  for (const entity of info.entities.slice(0, 2)) {
    await harness.callServer('jobs.entities.update-review-status', { jobId, entityId: entity.id, status: 'accepted' });
  }
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(images.getByText('accepted', { exact: true })).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByRole('img', { name: /Images by review status/ })).toHaveAccessibleName(/Accepted 2/);
  await images.scrollIntoViewIfNeeded();
  await snap('job-page-one-story');
});
