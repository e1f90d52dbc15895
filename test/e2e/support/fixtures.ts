// Playwright fixtures: `harness` (server + data dir, app not yet launched), `app` (launched, page
// open and online), `snap(name)` saving a view under test-results/screenshots/, and, for every test,
// coreLogOnFailure keeping the core's log of a failed one.
import { writeFileSync } from 'node:fs';
import { expect, test as base, type Page } from '@playwright/test';
import { createHarness, logTail, takeCreatedHarnesses, type Harness } from './harness';

interface Fixtures {
  harness: Harness;
  openApp: () => Promise<Page>;
  snap: (name: string) => Promise<void>;
  cspViolations: string[];
  coreLogOnFailure: void;
}

export const test = base.extend<Fixtures>({
  // A failed test keeps the log of each app it launched (the bridge runs the core with LJD_DEBUG=1): attached to its
  // result as a file, and printed to stderr, so CI's output shows why (a passing test prints nothing). An auto
  // fixture is torn down after the others: the logs are whole, the `harness` fixture's included.
  coreLogOnFailure: [
    async ({}, use, testInfo) => {
      takeCreatedHarnesses(); // what an earlier test left is not this one's
      await use();
      const harnesses = takeCreatedHarnesses().filter((h) => h.bridgeLog.length > 0);
      if (testInfo.status === testInfo.expectedStatus) return;
      for (const [i, h] of harnesses.entries()) {
        const name = harnesses.length > 1 ? `core-log-${i + 1}` : 'core-log';
        const tail = logTail(h.bridgeLog);
        const path = testInfo.outputPath(`${name}.txt`);
        writeFileSync(path, tail);
        await testInfo.attach(name, { path, contentType: 'text/plain' });
        process.stderr.write(`\n──── ${name} of "${testInfo.title}" (the bridge's output) ────\n${tail}\n──── end of ${name} ────\n`);
      }
    },
    { auto: true },
  ],

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
