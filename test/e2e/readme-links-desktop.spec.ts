// In the desktop app a plain http: readme link is asked about once, by the main process's native dialog
// (main/electron/external-links.ts), not a second time by the page. Electron's binary is not on every machine,
// so this plays the desktop renderer in Chromium: a `window.ljd` like the preload's, carried over the browser
// bridge. The page must then leave the link to the window-open path that Electron's main process guards.
import { expect, test } from './support/fixtures';
import { serverJobMeta } from './support/harness';

test('with the desktop bridge, a plain http: readme link is left to the main process, with no page dialog', async ({
  harness,
  openApp,
  page,
}) => {
  await page.addInitScript(() => {
    // the preload's shape (shared/bridge-types.ts): invoke → Envelope, on → unsubscribe
    let stream: EventSource | null = null;
    (window as unknown as { ljd: unknown }).ljd = {
      invoke: async (channel: string, payload: unknown) =>
        (
          await fetch(`./api/${channel}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(payload ?? {}),
          })
        ).json(),
      on: (event: string, listener: (payload: unknown) => void) => {
        stream ??= new EventSource('./api/events');
        const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
        stream.addEventListener(event, handler);
        return () => stream?.removeEventListener(event, handler);
      },
    };
  });
  await page.context().route('http://wiki.example.test:8081/**', (route) => route.fulfill({ contentType: 'text/plain', body: 'wiki' }));
  await harness.callServer('jobs.add', {
    name: 'http_readme_desktop',
    datasetId: 10555,
    userIds: [7],
    readme: 'See [the wiki](http://wiki.example.test:8081/lemons).',
    meta: serverJobMeta(),
  });
  await openApp();
  await page.getByRole('link', { name: 'http_readme_desktop' }).click();
  const popup = page.waitForEvent('popup', { timeout: 15_000 });
  await page.getByRole('region', { name: 'Job readme' }).getByRole('link', { name: 'the wiki' }).click();
  // in Electron this window-open is where setWindowOpenHandler asks (the one question); the page asks nothing
  const opened = await popup;
  await opened.waitForLoadState();
  expect(opened.url()).toBe('http://wiki.example.test:8081/lemons');
  await expect(page.getByRole('dialog', { name: 'Open an unencrypted link?' })).toHaveCount(0);
});
