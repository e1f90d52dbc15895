// electronBinaryPath(): finds the binary the way node_modules/electron/index.js does (path.txt +
// dist/, or ELECTRON_OVERRIDE_DIST_PATH) and answers null instead of ever starting a download.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinaryPath } from '../../../main/electron/binary';

const scratch = mkdtempSync(join(tmpdir(), 'ljd-binary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const pathTxt = join(packageDir, 'path.txt');
const executable = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : 'electron';

describe('electronBinaryPath', () => {
  it('finds the executable in ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = mkdtempSync(join(scratch, 'dist-'));
    writeFileSync(join(dir, executable), '');
    expect(electronBinaryPath({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toBe(join(dir, executable));
  });

  it('answers null (no download) when the override folder has no executable', () => {
    expect(electronBinaryPath({ ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(scratch, 'empty-')) })).toBeNull();
  });

  it('without an override, answers node_modules/electron/dist/<path.txt> only when that file exists', () => {
    const expected = existsSync(pathTxt) && existsSync(join(packageDir, 'dist', executable)) ? join(packageDir, 'dist', executable) : null;
    expect(electronBinaryPath({})).toBe(expected);
  });
});
