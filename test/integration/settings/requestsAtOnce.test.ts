// "Requests at once" in the real settings file: old files without it read as the default, a saved value
// survives a restart next to the profiles, and a value out of range is refused at the contract, changing nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError, parseRequest, REQUESTS_AT_ONCE } from '#shared/contract';
import { createSettingsFile } from '../../../main/settings/settings';
import { tempDir } from '../support';

describe('the requests-at-once setting', () => {
  const t = tempDir('ljd-requests-at-once-');
  afterAll(() => t.cleanup());
  const noProblems = () => {
    throw new Error('the settings file should read cleanly');
  };

  it('reads an older file without it as the default, and keeps a saved value across a restart', () => {
    const file = join(t.dir, 'settings.json');
    const profile = { id: 'p1', name: 'Work', serverAddress: 'https://app.supervisely.com', source: 'user' };
    // a file written before the setting existed
    writeFileSync(file, JSON.stringify({ profiles: [profile], activeProfileId: 'p1', syncIntervalSec: 120, theme: 'dark' }));
    const first = createSettingsFile(file, noProblems);
    expect(first.get().requestsAtOnce).toBe(REQUESTS_AT_ONCE.default);
    expect(REQUESTS_AT_ONCE.default).toBe(16);

    first.update({ requestsAtOnce: 4 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ requestsAtOnce: 4, syncIntervalSec: 120, profiles: [profile] });

    const again = createSettingsFile(file, noProblems);
    expect(again.get()).toMatchObject({ requestsAtOnce: 4, activeProfileId: 'p1', theme: 'dark', profiles: [profile] });
  });

  it('refuses a value outside 1–32 at the contract with a message naming the range', () => {
    for (const bad of [0, 33, 2.5, -1, '8']) {
      let error: unknown;
      try {
        parseRequest('settings.update', { requestsAtOnce: bad });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe('settings.update: Requests at once must be a whole number from 1 to 32 (requestsAtOnce)');
    }
    expect(parseRequest('settings.update', { requestsAtOnce: 1 })).toEqual({ requestsAtOnce: 1 });
    expect(parseRequest('settings.update', { requestsAtOnce: 32 })).toEqual({ requestsAtOnce: 32 });
  });
});
