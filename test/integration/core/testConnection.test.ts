// Settings → Test connection names the one real cause: a refused token is not a network problem,
// and an address nobody answers on is not a token problem.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { startCoreWorker } from '../../../main/worker/host';
import type { RunningEmulator } from '../../../main/emulator';
import { startServer, tempDir } from '../sync/helpers';

describe('settings.testConnection', () => {
  const t = tempDir('ljd-testconn-');
  let core: Core;
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await startServer(t.dir);
    core = startCoreWorker({
      dataDir: join(t.dir, 'data'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: server.url, apiToken: server.adminToken },
    });
    await core.start();
  });
  afterAll(async () => {
    await core.close();
    await server.close();
    t.cleanup();
  });

  it('a wrong token is named as the token, with no word about the network', async () => {
    const answer = await core.handlers['settings.testConnection']({ serverAddress: server.url, apiToken: 'wrong-token' });
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/refused this API token \(401\)/);
    expect(answer.message).not.toMatch(/reach|network/i);
  });

  it('an address with nothing listening is named as unreachable, with no word about the token', async () => {
    const answer = await core.handlers['settings.testConnection']({ serverAddress: 'http://127.0.0.1:9', apiToken: 'any-token' });
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9/);
    expect(answer.message).not.toMatch(/token|401/i);
  });
});
