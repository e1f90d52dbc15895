// The create form's choices cascade (team → workspace → project → dataset), each loading the next list. An
// answer for a choice the user has already replaced must not land: here the workspaces of the team the form
// picks by itself arrive late, after the user chose another team, and must not replace that team's list.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';
import { goTo } from './support/ui';

test('a late answer for a replaced choice does not land in the form', async ({ page }) => {
  test.setTimeout(180_000);
  const harness = await createHarness({ world: 'team', jobs: 100 });
  try {
    const world = new Database(join(harness.dir, 'server.sqlite'), { readonly: true });
    const workspacesOf = (teamId: number) =>
      world.prepare('SELECT name FROM workspaces WHERE team_id = ? ORDER BY name').pluck().all(teamId) as string[];
    await page.goto(await harness.launchApp());
    // the first sync has ended ("synced never" says it has not)
    await expect(page.getByRole('group', { name: 'Sync status' })).toContainText(/synced (?!never)/, { timeout: 120_000 });

    // every workspaces answer asked for before the user's own choice (the team the form picks on opening) is
    // held back 2 s
    let held = false;
    let userChose = false;
    await page.route('**/api/catalog.workspaces', async (route) => {
      if (!userChose) {
        held = true;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
      await route.continue();
    });
    await goTo(page, 'New job');
    const team = page.getByRole('combobox', { name: 'Team', exact: true });
    await expect.poll(() => held).toBe(true);
    const first = Number(await team.inputValue());
    const options = await team.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const other = Number(options.find((v) => Number(v) !== first && workspacesOf(Number(v)).length > 1));
    userChose = true;
    await team.selectOption(String(other));

    const workspace = page.getByRole('combobox', { name: 'Workspace', exact: true });
    const shown = () => workspace.locator('option').evaluateAll((os) => os.map((o) => o.textContent ?? '').filter((t) => t !== 'Choose…'));
    await expect.poll(shown).toEqual(workspacesOf(other));
    // the held answer for the first team has arrived by now, and changed nothing
    await page.waitForTimeout(2_500);
    expect(await shown()).toEqual(workspacesOf(other));
    await expect(team).toHaveValue(String(other));
    world.close();
  } finally {
    await harness.dispose();
  }
});
