// Playwright fixtures: `harness` (server + data dir, app not yet launched), `app` (launched, page
// open and online), and `snap(name)` saving a view under test-results/screenshots/.
import { expect, test as base, type Page } from '@playwright/test';
import { createHarness, type Harness } from './harness';

interface Fixtures {
  harness: Harness;
  openApp: () => Promise<Page>;
  snap: (name: string) => Promise<void>;
  cspViolations: string[];
}

export const test = base.extend<Fixtures>({
  harness: async ({}, use) => {
    const harness = await createHarness();
    try {
      await use(harness);
    } finally {
      await harness.dispose();
    }
  },

  cspViolations: async ({ page }, use) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
    await use(violations);
  },

  openApp: async ({ page, harness, cspViolations }, use) => {
    void cspViolations; // installs the listeners before the first navigation
    await use(async () => {
      const url = harness.appUrl || (await harness.launchApp());
      await page.goto(url);
      await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 60_000 });
      return page;
    });
  },

  snap: async ({ page }, use, testInfo) => {
    await use(async (name: string) => {
      const path = `test-results/screenshots/${name}.png`;
      await page.screenshot({ path, fullPage: false });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    });
  },
});

export { expect };
