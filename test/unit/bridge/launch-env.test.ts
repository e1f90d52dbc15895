// The LJD_* launch variables both start paths read, and browser mode's per-OS data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchEnvOf } from '../../../main/bridge/launch-env';
import { defaultDataDir } from '../../../main/bridge/browser-mode';

describe('launchEnvOf', () => {
  it('gives nothing but a free port for an empty environment', () => {
    expect(launchEnvOf({})).toEqual({ port: 0 });
    expect(launchEnvOf({ LJD_SERVER_ADDRESS: '', LJD_API_TOKEN: '', LJD_PORT: '' })).toEqual({ port: 0 });
  });

  it('reads the data folder, a pinned server profile and a fixed port', () => {
    expect(
      launchEnvOf({ LJD_DATA_DIR: '/tmp/d', LJD_SERVER_ADDRESS: ' http://127.0.0.1:5000 ', LJD_API_TOKEN: 'tok', LJD_PORT: '8123' }),
    ).toEqual({
      dataDir: '/tmp/d',
      profileOverride: { serverAddress: 'http://127.0.0.1:5000', apiToken: 'tok' },
      port: 8123,
    });
  });

  it('refuses half a profile and a port that is not one', () => {
    expect(() => launchEnvOf({ LJD_SERVER_ADDRESS: 'http://x' })).toThrow(/both LJD_SERVER_ADDRESS and LJD_API_TOKEN/);
    expect(() => launchEnvOf({ LJD_API_TOKEN: 'tok' })).toThrow(/both/);
    for (const port of ['80.5', '-1', '70000', 'http']) expect(() => launchEnvOf({ LJD_PORT: port }), port).toThrow(/LJD_PORT/);
  });
});

describe('defaultDataDir', () => {
  it('follows each OS: XDG on Linux, Application Support on macOS, APPDATA on Windows', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe(join('/xdg', 'labeling-jobs-desktop'));
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'labeling-jobs-desktop'));
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'labeling-jobs-desktop'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\me\\AppData\\Roaming', 'labeling-jobs-desktop'),
    );
  });
});
