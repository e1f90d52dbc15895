// Going offline is noticed within seconds, not at the next scheduled sync: the local server is
// stopped mid-session and the header must say Offline without the user pressing anything.
import { expect, test } from './support/fixtures';

test('the header says Offline within a few seconds of the server going away', async ({ harness, openApp, snap }) => {
  const page = await openApp();
  await harness.stopServer();
  const stoppedAt = Date.now();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 6_000 });
  expect(Date.now() - stoppedAt).toBeLessThan(6_000);
  await snap('offline-noticed');

  await harness.startServer();
  await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 15_000 });
});
