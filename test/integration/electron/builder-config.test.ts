// electron-builder.yml checked offline with electron-builder's own loader, schema validation and file
// selection (no packaging, no download): it loads, it is valid, the validator does catch a bad key, a
// package carries only its target's better-sqlite3 prebuild, and the core worker runs outside the asar.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asarUnpacks, builderPlatforms, builderScratch, loadBuilderConfig, root, shippedBetterSqlite } from './builder-files';

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown };

const scratch = builderScratch();
afterAll(() => scratch.remove());
const load = (edit?: (yml: string) => string) => loadBuilderConfig(scratch.dir, edit);

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

  it('ships only the target platform and arch of the better-sqlite3 prebuilds, and none of its sources', async () => {
    const config = await load();
    for (const { os, node } of builderPlatforms) {
      for (const arch of ['x64', 'arm64']) {
        const files = await shippedBetterSqlite(config, os, arch, scratch.dir);
        expect(
          files.filter((f) => f.startsWith('prebuilds/')),
          `${os} ${arch}`,
        ).toEqual([`prebuilds/${node}-${arch}.node`]);
        expect(files).toEqual(expect.arrayContaining(['package.json', 'lib/index.js', 'lib/binding.js', 'lib/database.js']));
        expect(files.filter((f) => /^(deps|src)\//.test(f))).toEqual([]);
      }
    }
  });

  it('the same file selection without our patterns would ship every prebuild (the check can fail)', async () => {
    const config = await load((yml) => yml.replace(/^ {2}files:\n {4}- '!\*\*\/node_modules\/better-sqlite3\/prebuilds\/.*\n/gm, ''));
    const files = await shippedBetterSqlite(config, 'linux', 'x64', scratch.dir);
    expect(files.filter((f) => f.startsWith('prebuilds/')).length).toBeGreaterThanOrEqual(6);
  });

  it('unpacks the core worker bundle and all of better-sqlite3 from the asar, and nothing else of the app', async () => {
    const config = await load();
    for (const { os } of builderPlatforms) {
      const unpacked = asarUnpacks(config, os, scratch.dir);
      expect(unpacked('dist/electron/core-worker.mjs'), os).toBe(true);
      expect(unpacked('dist/electron/main.js'), os).toBe(false);
      expect(unpacked('dist/renderer/index.html'), os).toBe(false);
      expect(unpacked('node_modules/better-sqlite3/package.json'), os).toBe(true);
      expect(unpacked('node_modules/better-sqlite3/lib/index.js'), os).toBe(true);
      expect(unpacked('node_modules/better-sqlite3/prebuilds/linux-x64.node'), os).toBe(true);
      expect(unpacked('node_modules/ky/package.json'), os).toBe(false);
    }
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
