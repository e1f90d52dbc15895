// The project browser: a lead opens a project, sees its classes with their colours and shapes and its tags,
// opens a dataset and sees its thumbnails, and starts a job on that dataset from there: the create form opens
// on that team, workspace, project and dataset, and the job the server gets is on that dataset.
import { expect, test } from './support/fixtures';
import { createHarness, serverJobs } from './support/harness';
import { jobRow } from './support/ui';

test('open a project, see its classes and a dataset’s thumbnails, and start a job there', async ({ page, snap, cspViolations }) => {
  test.setTimeout(180_000);
  // with load data the team has four projects and datasets of 20–60 images, so nothing is chosen by default
  const harness = await createHarness({ jobs: 30 });
  try {
    await page.goto(await harness.launchApp());
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();

    const list = page.getByRole('navigation', { name: 'Projects of the team' });
    await expect(list.getByRole('link', { name: /Lemons \(Test\)/ })).toBeVisible({ timeout: 30_000 });
    await list.getByRole('link', { name: /Street Scenes/ }).click();
    await expect(page.getByRole('heading', { name: 'Street Scenes', level: 2 })).toBeVisible();

    const classes = page.getByRole('table', { name: 'Classes' });
    const car = classes.getByRole('row', { name: /car/ });
    await expect(car).toContainText('Polygon');
    await expect(car.locator('.swatch')).toHaveCSS('background-color', 'rgb(190, 85, 206)');
    await expect(classes.getByRole('row', { name: /person/ }).locator('.swatch')).toHaveCSS('background-color', 'rgb(245, 166, 35)');
    const quality = page.getByRole('table', { name: 'Tags' }).getByRole('row', { name: /quality/ });
    await expect(quality).toContainText('One of: good, blurry');
    await expect(quality.locator('.swatch')).toHaveCSS('background-color', 'rgb(80, 227, 194)');
    await expect(page.getByTestId('meta-fetched')).toHaveText(/^Read /);

    const datasets = page.getByRole('table', { name: 'Datasets' });
    await datasets.getByRole('link', { name: 'suburbs', exact: true }).click();
    const grid = page.getByRole('list', { name: 'Images of suburbs' });
    await expect(grid.getByRole('listitem').first()).toBeVisible({ timeout: 30_000 });
    const shown = await grid.getByRole('listitem').count();
    expect(shown).toBe(48);
    await expect(page.getByTestId('images-shown')).toHaveText(new RegExp(`^Images 1–${shown} of \\d+`));
    // the first thumbnails are read through the core and shown as data: URLs
    await expect(grid.getByRole('img', { name: 'suburbs_0001.jpg' })).toHaveAttribute('src', /^data:image\/png;base64,/, {
      timeout: 30_000,
    });
    await snap('projects-dataset');
    // 48 a page: the rest of the dataset is on the next one, in id order
    const total = Number((await page.getByTestId('images-shown').textContent())!.match(/of (\d+)/)![1]);
    expect(total, 'the seeded suburbs dataset has more than one page').toBeGreaterThan(48);
    await page.getByRole('navigation', { name: 'Pages of images' }).getByRole('link', { name: 'Next page' }).click();
    await expect(page.getByTestId('images-shown')).toHaveText(new RegExp(`^Images 49–${total} of ${total}`));
    await expect(grid.getByRole('img', { name: 'suburbs_0049.jpg' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Pages of images' }).getByRole('link', { name: 'Previous page' }).click();
    await expect(grid.getByRole('img', { name: 'suburbs_0001.jpg' })).toBeVisible();

    await page.getByTestId('create-on-dataset').click();
    await expect(page.getByRole('heading', { name: 'New labeling job' })).toBeVisible();
    const projectBox = page.getByRole('combobox', { name: 'Project', exact: true });
    await expect(projectBox.locator('option:checked')).toHaveText('Street Scenes');
    const datasetBox = page.getByRole('combobox', { name: 'Dataset', exact: true });
    await expect(datasetBox.locator('option:checked')).toHaveText(/^suburbs/);
    const datasetId = Number(await datasetBox.inputValue());
    // the form loaded that dataset's images and that project's classes
    await expect(page.getByTestId('image-count')).toHaveText(/^All \d+ images$/);
    await page.getByRole('group', { name: 'Classes to label' }).getByRole('button', { name: 'car' }).click();

    await page.getByRole('textbox', { name: 'Job name' }).fill('from the browser');
    await page.getByRole('checkbox', { name: 'Annotator my_username' }).check();
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect(jobRow(page, 'from the browser')).toBeVisible();
    await expect(jobRow(page, 'from the browser').getByTestId('pending-marker')).toHaveCount(0, { timeout: 30_000 });
    const job = (await serverJobs(harness)).find((j) => j.name === 'from the browser');
    expect(job).toBeDefined();
    const info = await harness.callServer<{ datasetId: number; datasetTitle: string; projectTitle: string; classesToLabel: string[] }>(
      'jobs.info',
      { id: job!.id },
    );
    expect(info).toMatchObject({ datasetId, datasetTitle: 'suburbs', projectTitle: 'Street Scenes' });

    // offline, the project and the dataset opened before come from the cache, and the page says so
    await harness.stopServer();
    await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 30_000 });
    // a fresh page: nothing kept in the renderer's memory, all from the core's cache
    await page.reload();
    await expect(page.getByTestId('connection-status')).toHaveText('Offline', { timeout: 30_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
    await list.getByRole('link', { name: /Street Scenes/ }).click();
    await page.getByRole('button', { name: 'Read again' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Offline: these are the classes and tags as last read' })).toBeVisible();
    await expect(classes.getByRole('row', { name: /car/ }).locator('.swatch')).toHaveCSS('background-color', 'rgb(190, 85, 206)');
    await datasets.getByRole('link', { name: 'suburbs', exact: true }).click();
    await expect(grid.getByRole('img', { name: 'suburbs_0001.jpg' })).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect(page.getByTestId('images-shown')).toHaveText(/^Images 1–48 of \d+/);
    await snap('projects-offline');
    expect(cspViolations).toEqual([]);
  } finally {
    await harness.dispose();
  }
});
