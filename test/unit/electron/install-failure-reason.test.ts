// installFailureReason(): the one clause `npm start` prints when Electron's installer fails, taken from
// the installer's stderr (its error line, never the stack), naming the server where the network failed.
import { describe, expect, it } from 'vitest';
import { installFailureReason } from '../../../scripts/lib/electron-install';

const stack = (line: string) =>
  `${line}\n    at FetchDownloader.download (file:///x/FetchDownloader.js:40:23)\n    at async downloadArtifact\n`;

describe('installFailureReason', () => {
  it('keeps the error line of an HTTP failure and drops the stack', () => {
    const line = 'HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip';
    expect(installFailureReason(stack(line), 1, {})).toBe(line);
  });

  it('names the server when there is no connection: the mirror, else github.com', () => {
    expect(installFailureReason(stack('TypeError: fetch failed'), 1, {})).toBe('no connection to github.com: TypeError: fetch failed');
    expect(installFailureReason(stack('TypeError: fetch failed'), 1, { ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' })).toBe(
      'no connection to npmmirror.com: TypeError: fetch failed',
    );
  });

  it('finds the error below the source excerpt Node prints for an uncaught throw', () => {
    const uncaught =
      "/x/install.js:120\n      throw new Error('…');\n      ^\n\n" +
      stack('Error: Electron builds are not available on platform: aix') +
      '\nNode.js v24.22.3\n';
    expect(installFailureReason(uncaught, 1, {})).toBe('Error: Electron builds are not available on platform: aix');
  });

  it('says the exit code when the installer printed no error', () => {
    expect(installFailureReason('', 3, {})).toBe('its installer exited with code 3');
  });
});
