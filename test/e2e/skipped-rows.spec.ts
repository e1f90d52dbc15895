// A server that puts one unreadable row into its jobs list (as a newer server might): the sync still
// completes, the readable jobs reach the grid, and the Sync page says, for that team's list, "1 row skipped"
// with the row's id and why it could not be read. The server is the local server behind a small proxy that
// appends the bad row to every real jobs.list page; the app reaches it through a server profile, as a user does.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './support/fixtures';
import { addServerJob } from './support/harness';
import { goTo } from './support/ui';

/** Forwards everything to `target`; a jobs.list answer gets one more row that no reader can parse. */
async function badRowProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let body = Buffer.concat(parts);
            const headers = { ...answer.headers };
            if (req.url?.endsWith('/jobs.list') && answer.statusCode === 200) {
              const page = JSON.parse(body.toString()) as { total: number; entities: unknown[] };
              page.entities.push({ id: 'not-a-number', name: 'broken row' });
              page.total += 1;
              body = Buffer.from(JSON.stringify(page));
              headers['content-length'] = String(body.length);
            }
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(body);
          });
        },
      );
      up.on('error', () => res.writeHead(502).end());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a row the server sent unreadable is skipped, counted and explained on the Sync page', async ({ harness, page }) => {
  await addServerJob(harness, 'readable job');
  const proxy = await badRowProxy(harness.serverUrl);
  try {
    await page.goto(await harness.launchApp({ demo: true }));
    await goTo(page, 'Settings');
    await page.getByRole('button', { name: 'Add a server…' }).click();
    const form = page.getByRole('form', { name: 'New server profile' });
    await form.getByLabel('Name').fill('Newer server');
    await form.getByLabel('Server address').fill(proxy.url);
    await form.getByLabel('API token').fill(harness.adminToken);
    await form.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('button', { name: 'Use Newer server' }).click();
    await expect(page.getByTestId('connection-status')).toHaveText('Online', { timeout: 30_000 });

    await goTo(page, 'Sync');
    const skipped = page.getByRole('region', { name: 'Skipped rows' }).getByTestId('skipped-rows');
    await expect(skipped).toHaveCount(1, { timeout: 30_000 });
    await expect(skipped).toContainText('jobs');
    await expect(skipped).toContainText('1 row skipped');
    await expect(skipped).toContainText('The row with id "not-a-number"');
    await expect(page.getByText('Last sync failed')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/skipped-rows.png' });

    // the rest of the page survived
    await goTo(page, 'Jobs');
    await expect(page.getByText('readable job').first()).toBeVisible({ timeout: 30_000 });
  } finally {
    await proxy.close();
  }
});
