// Temp-dir cache files for tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, type Cache } from '../../../main/cache';

export function tempDir(prefix = 'ljd-cache-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempCache(): { cache: Cache; dir: string; cleanup: () => void } {
  const t = tempDir();
  const cache = openCache(join(t.dir, 'cache.sqlite'));
  return {
    cache,
    dir: t.dir,
    cleanup: () => {
      cache.close();
      t.cleanup();
    },
  };
}
