// Connectivity learns from every HTTP attempt and from its probe: a real local server stopped
// mid-session is seen as offline within one probe period, and coming back within the next one.
import { afterAll, describe, expect, it } from 'vitest';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { Connectivity } from '../../../main/sync/connectivity';
import { startServer, tempDir } from '../support';

describe('connectivity probe', () => {
  const temp = tempDir('ljd-connectivity-');
  afterAll(() => temp.cleanup());

  it('notices a stopped server from the probe alone, then notices it back', async () => {
    let server = await startServer(temp.dir);
    const port = Number(new URL(server.url).port);
    const connectivity = new Connectivity(Date.now, 50);
    const api = createSuperviselyApi({
      serverAddress: server.url,
      apiToken: server.adminToken,
      retryLimit: 2,
      retryBaseMs: 10,
      onAttempt: (e) => connectivity.observeAttempt(e),
    });
    await api.instanceVersion();
    expect(connectivity.online).toBe(true);
    connectivity.startProbe(() => api.instanceVersion(), 100);
    try {
      await server.close();
      const stoppedAt = Date.now();
      await expect.poll(() => connectivity.online, { timeout: 2000, interval: 20 }).toBe(false);
      expect(Date.now() - stoppedAt).toBeLessThan(1000);
      server = await startServer(temp.dir, { port });
      await expect.poll(() => connectivity.online, { timeout: 2000, interval: 20 }).toBe(true);
    } finally {
      connectivity.stopProbe();
      await server.close();
    }
  });

  it('counts an HTTP error answer as reachable and a refused connection as offline', () => {
    const connectivity = new Connectivity();
    connectivity.observeAttempt({ endpoint: 'jobs.list', attempt: 1, outcome: 'ECONNREFUSED', ms: 1 });
    expect(connectivity.online).toBe(false);
    connectivity.observeAttempt({ endpoint: 'jobs.list', attempt: 1, outcome: '403', ms: 1 });
    expect(connectivity.online).toBe(true);
    connectivity.observeAttempt({ endpoint: 'jobs.list', attempt: 1, outcome: 'timeout', ms: 1 });
    expect(connectivity.online).toBe(false);
  });
});
