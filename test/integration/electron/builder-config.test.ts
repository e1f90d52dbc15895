// electron-builder.yml checked offline with electron-builder's own loader and schema validation
// (no packaging, no download): it loads, it is valid, and the validator does catch a bad key.

import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, any>>;
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown };

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'ljd-builder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the project's yml (optionally edited) next to our package.json, loaded the way electron-builder does. */
async function load(edit?: (yml: string) => string): Promise<Record<string, any>> {
  const dir = mkdtempSync(join(scratch, 'p-'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  writeFileSync(join(dir, 'electron-builder.yml'), edit ? edit(yml) : yml);
  return getConfig(dir, join(dir, 'electron-builder.yml'), null);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder 26 schema validation', async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('declares what packaging relies on', async () => {
    const c = await load();
    expect(c.appId).toBe('io.labelingjobs.desktop');
    expect(c.productName).toBe('Labeling Jobs Desktop');
    expect(c.directories.output).toBe('release');
    // getConfig normalises `files` to [{ filter: [...] }]
    const files = (c.files as Array<string | { filter: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
    expect(c.asarUnpack.join(' ')).toContain('better-sqlite3');
    expect(c.publish).toBeNull(); // no publish target: auto-update stays off (main/electron/updates.ts)
    expect(c.npmRebuild).toBe(false); // better-sqlite3 13 ships Node-API prebuilds that Electron loads as they are
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.linux.maintainer).toMatch(/<.+@.+>/);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.win.target).toEqual(['nsis']);
    for (const platform of ['linux', 'mac', 'win']) expect(c[platform].icon).toBe('assets/icon.png');
    expect(c.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('points package.json "main" at the bundled main process the files list ships', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string };
    expect(pkg.main).toBe('dist/electron/main.js');
  });

  it('rejects an unknown top-level key (the validator is really on)', async () => {
    const config = await load((yml) => `${yml}\nnotAnElectronBuilderKey: true\n`);
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/notAnElectronBuilderKey/);
  });

  // For nested objects electron-builder names the section, not the key ("configuration.linux should be …").
  it('rejects an unknown nested key and a misspelt fuse', async () => {
    const linux = await load((yml) => yml.replace('linux:\n', 'linux:\n  categroy: Graphics\n'));
    expect(linux.linux.categroy).toBe('Graphics'); // the edit landed
    await expect(validateConfiguration(linux, new DebugLogger(false))).rejects.toThrow(/configuration\.linux\b/);
    const fuse = await load((yml) => yml.replace('  runAsNode: false\n', '  runAsNodes: false\n'));
    expect(fuse.electronFuses.runAsNodes).toBe(false);
    await expect(validateConfiguration(fuse, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses\b/);
  });
});
