// A readme is server text anyone can write: rendered as Markdown only after sanitising. An
// <img onerror>, a <script> and a javascript: link must do nothing, in the job view and the preview.
import { expect, test } from './support/fixtures';
import { serverJobMeta } from './support/harness';

const hostile = [
  '# Manual',
  'Label **every** lemon. See [the docs](https://docs.supervisely.com).',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<script>window.__xss = "script"</script>',
  "[click me](javascript:window.__xss='link')",
  '<a href="javascript:window.__xss=\'raw-link\'">raw link</a>',
  '<div onmouseover="window.__xss=\'hover\'">hover me</div>',
].join('\n\n');

test('a hostile readme renders inert', async ({ harness, openApp, page, cspViolations }) => {
  await harness.callServer('jobs.add', {
    name: 'hostile_readme',
    datasetId: 10555,
    userIds: [7],
    readme: hostile,
    description: 'xss probe',
    meta: serverJobMeta(),
  });
  await openApp();
  await page.getByRole('link', { name: 'hostile_readme' }).click();
  const readme = page.getByRole('region', { name: 'Job readme' });
  await expect(readme.getByRole('heading', { name: 'Manual' })).toBeVisible();
  await expect(readme.locator('strong')).toHaveText('every');

  // The safe link survives with rel=noopener; the javascript: links lose their href.
  const docs = readme.getByRole('link', { name: 'the docs' });
  await expect(docs).toHaveAttribute('href', 'https://docs.supervisely.com');
  await expect(docs).toHaveAttribute('rel', /noopener/);
  for (const text of ['click me', 'raw link']) {
    const anchor = readme.locator('a', { hasText: text });
    await expect(anchor).toHaveCount(1);
    expect(await anchor.getAttribute('href')).toBeNull();
    await anchor.click();
  }
  await readme.getByText('hover me').hover();

  expect(await readme.locator('script').count()).toBe(0);
  expect(await readme.locator('[onerror], [onmouseover], [onclick]').count()).toBe(0);
  const images = readme.locator('img');
  for (let i = 0; i < (await images.count()); i++) expect(await images.nth(i).getAttribute('src')).toBeNull();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();

  // The same text in the create view's live preview.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New job' }).click();
  await page.getByRole('textbox', { name: 'Readme (Markdown)' }).fill(hostile);
  const preview = page.getByRole('region', { name: 'Readme preview' });
  await expect(preview.getByRole('heading', { name: 'Manual' })).toBeVisible();
  expect(await preview.locator('a[href^="javascript"], script, [onerror]').count()).toBe(0);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();

  // Chromium reports the page CSP against inline handlers already when DOMPurify parses the hostile
  // text in its inert document (nothing runs there, and __xss proves nothing ran anywhere). Any other
  // violation — an inline style or script the UI itself relied on — fails the test.
  expect(cspViolations.filter((text) => !/inline event handler/i.test(text))).toEqual([]);
});

test('a plain http: link opens only after a confirmation naming its host', async ({ harness, openApp, page }) => {
  await harness.callServer('jobs.add', {
    name: 'http_readme',
    datasetId: 10555,
    userIds: [7],
    readme: 'See [the wiki](http://wiki.example.test:8081/lemons).',
    meta: serverJobMeta(),
  });
  await openApp();
  let popups = 0;
  page.on('popup', () => popups++);
  await page.getByRole('link', { name: 'http_readme' }).click();
  await page.getByRole('region', { name: 'Job readme' }).getByRole('link', { name: 'the wiki' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open an unencrypted link?' });
  await expect(dialog).toContainText('wiki.example.test:8081');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(300);
  expect(popups).toBe(0);
});
