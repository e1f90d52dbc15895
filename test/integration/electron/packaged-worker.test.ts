// The core's worker in the packaged layout: main.js runs from resources/app.asar, and host.ts starts the
// worker bundle from resources/app.asar.unpacked (a worker thread's ESM loader cannot be relied on to read
// inside an asar). Here the bundle and better-sqlite3 — exactly the files electron-builder would ship for
// this machine — are laid out as in app.asar.unpacked, with no package.json above them, and the real
// core answers from there.

import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideAsar, startCoreWorker } from '../../../main/worker/host';
import { buildElectron } from './build';
import { builderScratch, loadBuilderConfig, root, shippedBetterSqlite } from './builder-files';

describe('outsideAsar', () => {
  it('moves a path inside app.asar to app.asar.unpacked, on POSIX and Windows paths', () => {
    expect(outsideAsar('/opt/Labeling Jobs Desktop/resources/app.asar/dist/electron/core-worker.mjs')).toBe(
      '/opt/Labeling Jobs Desktop/resources/app.asar.unpacked/dist/electron/core-worker.mjs',
    );
    expect(outsideAsar('C:\\Program Files\\Labeling Jobs Desktop\\resources\\app.asar\\dist\\electron\\core-worker.mjs')).toBe(
      'C:\\Program Files\\Labeling Jobs Desktop\\resources\\app.asar.unpacked\\dist\\electron\\core-worker.mjs',
    );
    expect(outsideAsar('/Applications/L.app/Contents/Resources/app.asar/dist/electron/core-worker.mjs')).toBe(
      '/Applications/L.app/Contents/Resources/app.asar.unpacked/dist/electron/core-worker.mjs',
    );
  });

  it('leaves paths outside an archive as they are, and never unpacks twice', () => {
    for (const path of [
      '/home/me/ljd/dist/electron/core-worker.mjs',
      '/opt/L/resources/app.asar.unpacked/dist/electron/core-worker.mjs',
      '/home/me/my-app.asar-notes/core-worker.mjs',
      '/home/me/app.asarx/core-worker.mjs',
    ]) {
      expect(outsideAsar(path)).toBe(path);
    }
  });
});

describe('the bundled core worker from an app.asar.unpacked layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-unpacked-'));
  const scratch = builderScratch();
  let entry: string;
  let bundleDir: string;

  beforeAll(async () => {
    bundleDir = buildElectron(['worker']);
    const unpacked = join(dir, 'resources', 'app.asar.unpacked');
    entry = join(unpacked, 'dist', 'electron', 'core-worker.mjs');
    mkdirSync(dirname(entry), { recursive: true });
    cpSync(join(bundleDir, 'core-worker.mjs'), entry);
    const os = { linux: 'linux', darwin: 'mac', win32: 'win' }[process.platform as string] ?? 'linux';
    const config = await loadBuilderConfig(scratch.dir);
    const packageDir = join(root, 'node_modules', 'better-sqlite3');
    for (const file of await shippedBetterSqlite(config, os, process.arch, scratch.dir)) {
      cpSync(join(packageDir, file), join(unpacked, 'node_modules', 'better-sqlite3', file));
    }
  }, 90_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
    scratch.remove();
  });

  it('starts as ESM without a package.json, loads better-sqlite3 from beside it, and answers from its cache', async () => {
    const lines: string[] = [];
    const core = startCoreWorker({ entry, dataDir: join(dir, 'data'), homeDir: dir, syncIntervalSec: 3600, log: (l) => lines.push(l) });
    try {
      await core.start();
      const info = await core.handlers['app.info']({});
      expect(info, lines.join('\n')).toMatchObject({ demo: true });
      const window = await core.handlers['jobs.query']({ filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 5 });
      expect(window.total).toBeGreaterThanOrEqual(0);
      expect(lines.filter((l) => /exited unexpectedly|could not start/.test(l))).toEqual([]);
    } finally {
      await core.close();
    }
  }, 60_000);
});
