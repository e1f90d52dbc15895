// Test helper: runs vite.electron.config.ts (the config behind `npm run build:electron`) into a fresh
// folder inside the repo (so the bundle still resolves node_modules/better-sqlite3), not dist/electron.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

export function buildElectron(modes: Array<'main' | 'worker' | 'preload'>): string {
  const parent = join(root, 'node_modules', '.cache', 'ljd-electron-tests');
  mkdirSync(parent, { recursive: true });
  const outDir = mkdtempSync(join(parent, 'out-'));
  for (const mode of modes) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.electron.config.ts', '--mode', mode],
      {
        cwd: root,
        stdio: 'pipe',
        env: { ...process.env, LJD_ELECTRON_OUT_DIR: outDir },
      },
    );
  }
  return outDir;
}
