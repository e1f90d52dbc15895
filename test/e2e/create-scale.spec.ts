// The create form on the team world's biggest image dataset (100,000 to 250,000 images): opening it costs a
// few small answers, the list draws only the rows in view, a jump far down fetches just that window, and a job
// on "all images" is created without any id list, and a split of a range among two annotators from the bare ids.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './support/fixtures';
import { createHarness } from './support/harness';
import { goTo, jobRow } from './support/ui';

test('a huge dataset opens in a few small answers; a job on all of it and a split of a range are created', async ({ page }) => {
  test.setTimeout(240_000);
  const harness = await createHarness({ world: 'team', jobs: 300 });
  try {
    const world = new Database(join(harness.dir, 'server.sqlite'), { readonly: true });
    const huge = world
      .prepare(
        `SELECT d.id, d.synth_count AS count, d.synth_first_id AS firstId, p.id AS projectId, p.workspace_id AS workspaceId,
          p.team_id AS teamId FROM datasets d JOIN projects p ON p.id = d.project_id
        WHERE p.type = 'images' ORDER BY d.synth_count DESC LIMIT 1`,
      )
      .get() as { id: number; count: number; firstId: number; projectId: number; workspaceId: number; teamId: number };
    const [annotator, second] = world
      .prepare(
        `SELECT u.login FROM members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? AND m.role_id = 3 ORDER BY u.login LIMIT 2`,
      )
      .pluck()
      .all(huge.teamId) as [string, string];
    world.close();
    expect(huge.count).toBeGreaterThanOrEqual(100_000);

    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    // the form reads the catalog the first sync writes: wait for it to end ("synced never" says it has not)
    await expect(page.getByRole('group', { name: 'Sync status' })).toContainText(/synced (?!never)/, { timeout: 120_000 });
    await goTo(page, 'New job');
    for (const [name, value] of [
      ['Team', huge.teamId],
      ['Workspace', huge.workspaceId],
      ['Project', huge.projectId],
    ] as const) {
      await page.getByRole('combobox', { name, exact: true }).selectOption(String(value));
    }

    // from choosing the dataset on, every answer the form gets about its images is counted and weighed
    const answers: { channel: string; bytes: number }[] = [];
    page.on('response', (response) => {
      const channel = /\/api\/(catalog\.[a-zA-Z]+)/.exec(response.url())?.[1];
      if (channel) void response.body().then((b) => answers.push({ channel, bytes: b.length }));
    });
    await page.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption(String(huge.id));
    const count = huge.count.toLocaleString('en');
    await expect(page.getByTestId('image-count')).toHaveText(`All ${count} images`);
    const list = page.getByRole('list', { name: 'Dataset images' });
    await expect(list.getByRole('listitem').first()).toContainText('_0000001.jpg');
    // only the rows in view (and a few around them) are in the page
    expect(await list.getByRole('listitem').count()).toBeLessThan(40);
    await expect.poll(() => answers.filter((a) => a.channel === 'catalog.imagesPage').length).toBeGreaterThan(0);
    const opened = answers.filter((a) => a.channel === 'catalog.imagesPage' || a.channel === 'catalog.images');
    expect(opened.every((a) => a.channel === 'catalog.imagesPage')).toBe(true);
    expect(opened.length).toBeLessThanOrEqual(3);
    const openedBytes = opened.reduce((n, a) => n + a.bytes, 0);
    test.info().annotations.push({ type: 'opened', description: `${huge.count} images: ${opened.length} answers, ${openedBytes} bytes` });
    expect(openedBytes).toBeLessThan(100_000);

    // a jump far down shows that image, numbered as the server's range counts (id order)
    const deep = Math.floor(huge.count * 0.8);
    await page.getByRole('spinbutton', { name: 'Go to image number' }).fill(String(deep));
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    const row = list.getByRole('listitem').filter({ hasText: `_${String(deep).padStart(7, '0')}.jpg` });
    await expect(row).toContainText(String(deep));
    expect(await list.getByRole('listitem').count()).toBeLessThan(40);

    // the form keeps a bounded number of rows: after visits to 31 other places, the first rows are asked again
    const asked: number[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/catalog.imagesPage'))
        asked.push((JSON.parse(request.postData() ?? '{}') as { offset: number }).offset);
    });
    const goToImage = page.getByRole('spinbutton', { name: 'Go to image number' });
    for (let k = 1; k <= 31; k++) {
      await goToImage.fill(String(k * 3_000));
      await goToImage.press('Enter');
      await expect(list.getByRole('listitem').filter({ hasText: `_${String(k * 3_000).padStart(7, '0')}.jpg` })).toHaveCount(1);
    }
    expect(asked).not.toContain(0);
    await goToImage.fill('1');
    await goToImage.press('Enter');
    await expect(list.getByRole('listitem').first()).toContainText('_0000001.jpg');
    expect(asked).toContain(0);

    await page.getByRole('textbox', { name: 'Job name' }).fill('all_of_huge');
    await page.getByRole('checkbox', { name: `Annotator ${annotator}` }).check();
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect(jobRow(page, 'all_of_huge')).toHaveCount(1);
    await expect(jobRow(page, 'all_of_huge').getByTestId('pending-marker')).toHaveCount(0, { timeout: 60_000 });
    const listed = await harness.callServer<{ entities: { name: string; imagesCount: number }[] }>('jobs.list', {
      teamId: huge.teamId,
      filter: [{ field: 'name', operator: '=', value: 'all_of_huge' }],
    });
    expect(listed.entities.map((j) => j.imagesCount)).toEqual([huge.count]);
    // no window ever asked for more than 100 rows, and the whole list was never read
    expect(answers.some((a) => a.channel === 'catalog.images')).toBe(false);

    // a split of images 1–10,000 between two annotators: every id is read (as bare ids), each gets 5,000
    await goTo(page, 'New job');
    for (const [name, value] of [
      ['Team', huge.teamId],
      ['Workspace', huge.workspaceId],
      ['Project', huge.projectId],
      ['Dataset', huge.id],
    ] as const) {
      await page.getByRole('combobox', { name, exact: true }).selectOption(String(value));
    }
    await expect(page.getByTestId('image-count')).toHaveText(`All ${count} images`);
    await page.getByRole('textbox', { name: 'Job name' }).fill('split_of_huge');
    await page.getByRole('radio', { name: 'Range' }).check();
    await page.getByRole('spinbutton', { name: 'Range end (image number)' }).fill('10000');
    await page.getByRole('checkbox', { name: `Annotator ${annotator}` }).check();
    await page.getByRole('checkbox', { name: `Annotator ${second}` }).check();
    await page.getByRole('checkbox', { name: 'Split the images among the annotators' }).check();
    const preview = page.getByRole('table', { name: 'Who gets which images' });
    await expect(
      preview
        .getByRole('row', { name: new RegExp(annotator) })
        .getByRole('cell')
        .nth(1),
    ).toHaveText('5000', { timeout: 60_000 });
    await expect(
      preview
        .getByRole('row', { name: new RegExp(second) })
        .getByRole('cell')
        .nth(1),
    ).toHaveText('5000');
    await page.getByRole('button', { name: 'Create 2 jobs' }).click();
    await expect(jobRow(page, 'split_of_huge')).toHaveCount(2);
    await expect(jobRow(page, 'split_of_huge').getByTestId('pending-marker')).toHaveCount(0, { timeout: 60_000 });
    const split = await harness.callServer<{ entities: { id: number; imagesCount: number }[] }>('jobs.list', {
      teamId: huge.teamId,
      filter: [{ field: 'name', operator: '=', value: 'split_of_huge' }],
    });
    expect(split.entities.map((j) => j.imagesCount)).toEqual([5000, 5000]);
    const shares = await Promise.all(
      split.entities.map(async (j) =>
        (await harness.callServer<{ entities: { id: number }[] }>('jobs.info', { id: j.id })).entities.map((e) => e.id),
      ),
    );
    const ids = shares.flat().sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 10_000 }, (_, k) => huge.firstId + k));
    const pool = answers.filter((a) => a.channel === 'catalog.imagePool');
    expect(pool).toHaveLength(1);
    test.info().annotations.push({ type: 'pool', description: `${huge.count} ids: ${pool[0]!.bytes} bytes` });
  } finally {
    await harness.dispose();
  }
});
