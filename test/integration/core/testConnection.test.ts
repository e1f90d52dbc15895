// Settings → Test connection names the one real cause: a refused token is not a network problem,
// and an address nobody answers on is not a token problem.
import { describe, expect, it } from 'vitest';
import { coreOnServer } from '../support';

describe('settings.testConnection', () => {
  const env = coreOnServer('ljd-testconn-');

  it('a wrong token is named as the token, with no word about the network', async () => {
    const answer = await env.core.handlers['settings.testConnection']({ serverAddress: env.server.url, apiToken: 'wrong-token' });
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/refused this API token \(401\)/);
    expect(answer.message).not.toMatch(/reach|network/i);
  });

  it('an address with nothing listening is named as unreachable, with no word about the token', async () => {
    const answer = await env.core.handlers['settings.testConnection']({ serverAddress: 'http://127.0.0.1:9', apiToken: 'any-token' });
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9/);
    expect(answer.message).not.toMatch(/token|401/i);
  });
});
