// Where the Electron binary is, without ever starting its download: node_modules/electron's own
// index.js downloads on first use (Electron 42+), which fails on machines with no internet access.
// Node-only: no electron import, so the start script can ask before anything is built.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinaryPath(env: NodeJS.ProcessEnv = process.env): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null; // the electron package itself is not installed
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  const binary = join(distDir, relative || 'electron');
  return existsSync(binary) ? binary : null;
}
