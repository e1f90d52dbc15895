// updateConfigOf(): auto-update is on only in a packaged build that electron-builder made with a
// publish target (it then ships resources/app-update.yml); everywhere else, nothing is checked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkForUpdates, updateConfigOf, updaterSettingsFor } from '../../../main/electron/updates';

const resources = mkdtempSync(join(tmpdir(), 'ljd-updates-'));
afterAll(() => rmSync(resources, { recursive: true, force: true }));

describe('auto-update', () => {
  it('is off unpackaged, off without app-update.yml, on with it', () => {
    writeFileSync(join(resources, 'app-update.yml'), 'provider: generic\nurl: http://127.0.0.1:9/updates\n');
    expect(updateConfigOf({ isPackaged: false, resourcesPath: resources })).toBeNull();
    expect(updateConfigOf({ isPackaged: true, resourcesPath: undefined })).toBeNull();
    expect(updateConfigOf({ isPackaged: true, resourcesPath: mkdtempSync(join(resources, 'none-')) })).toBeNull();
    expect(updateConfigOf({ isPackaged: true, resourcesPath: resources })).toBe(join(resources, 'app-update.yml'));
  });

  it('says it is off, and loads no updater, when the build has no publish target', async () => {
    const lines: string[] = [];
    await checkForUpdates({
      isPackaged: true,
      resourcesPath: mkdtempSync(join(resources, 'none-')),
      channel: 'beta',
      log: (l) => lines.push(l),
    });
    expect(lines).toEqual(['updates: off (this build has no publish target)']);
  });

  it('follows the channel chosen in Settings: beta takes prereleases, latest does not', () => {
    expect(updaterSettingsFor('latest')).toEqual({ channel: 'latest', allowPrerelease: false });
    expect(updaterSettingsFor('beta')).toEqual({ channel: 'beta', allowPrerelease: true });
  });
});
