// The sync page's "Retry all refused" sends every refused change again, not only the newest 1,000 it lists:
// a lead whose role was lowered while a bulk stop of over 1,000 jobs ran gets the role back and retries once.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs } from './support/harness';
import { countCalls, goTo, jobsGrid } from './support/ui';

test('Retry all refused retries every refused change, also those past the listed 1,000', async ({ page }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ jobs: 1200 });
  try {
    const login = 'lead_retry';
    const { userId } = await harness.callServer<{ userId: number }>('users.add', {
      login,
      password: 'password123',
      isRestricted: false,
      name: '',
      email: '',
    });
    const asRole = (roleId: number) => harness.callServer('members.editInfo', { id: userId, teamId: 8, roleId });
    await harness.callServer('members.add', { login, teamId: 8, roleId: 5 });
    const outboxReads = await countCalls(page, 'outbox.list');
    await page.goto(await harness.launchApp({ apiToken: harness.tokenFor(login) }));
    const matching = (await serverJobs(harness)).filter((j) => !j.disabled).length;
    expect(matching).toBeGreaterThan(1000);
    await expect(page.getByTestId('match-count')).toHaveText(`${matching.toLocaleString('en-US')} jobs match`, { timeout: 60_000 });

    await jobsGrid(page).locator('[role="row"][data-job-id]').first().locator('[role="gridcell"]').nth(4).click();
    await page.keyboard.press('Control+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${matching.toLocaleString('en-US')} jobs selected`);
    // a viewer may not stop jobs: the server refuses every change of the run
    await asRole(4);
    await page.getByRole('toolbar', { name: 'Actions on selected jobs' }).getByRole('button', { name: 'Stop' }).click();
    await goTo(page, 'Sync');
    const readsBefore = await outboxReads();
    const state = page.getByRole('region', { name: 'Sync state' });
    const refused = state.locator('dt:has-text("Refused by the server") + dd');
    const waiting = state.locator('dt:has-text("Waiting to be sent") + dd');
    await expect(refused).toHaveText(String(matching), { timeout: 120_000 });
    // the page follows the run coalesced: not one read (of 1,000 items) per answer, which slowed the run 5x
    expect(await outboxReads()).toBeLessThan(readsBefore + matching / 10);
    await expect(page.getByTestId('outbox-listed')).toHaveText('Showing the newest 1,000; the counts above are of all of them.');

    await asRole(5);
    await page.getByRole('button', { name: 'Retry all refused' }).click();
    await expect(page.getByText(`${matching.toLocaleString('en-US')} changes are sent again.`)).toBeVisible();
    await expect(waiting).toHaveText('0', { timeout: 120_000 });
    await expect(refused).toHaveText('0');
    const listed = (await serverJobs(harness)).filter((j) => !j.disabled);
    expect(listed).toHaveLength(matching);
    expect(listed.filter((j) => j.status !== 'stopped')).toEqual([]);
  } finally {
    await harness.dispose();
  }
});
