// The build steps the start commands need: the renderer (vite) when dist/renderer is missing or
// older than its sources, and the Electron bundles (vite.electron.config.ts). Vite runs through
// this Node (no npm/.bin shims), so it works the same on every OS.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
export const rendererDist = join(repoRoot, 'dist', 'renderer');
const viteCli = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

export function rendererIsStale(): boolean {
  const built = join(rendererDist, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['renderer', 'shared', 'vite.config.ts', 'svelte.config.js'].map((p) => join(repoRoot, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

function vite(args: string[]): void {
  execFileSync(process.execPath, [viteCli, ...args], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function ensureRendererBuilt(say: (line: string) => void): void {
  if (!rendererIsStale()) return;
  say('Building the user interface…');
  vite(['build', '--logLevel', 'warn']);
}

/** dist/electron/main.js and preload.cjs (about a second each; always rebuilt, so they never lag the sources). */
export function buildElectronBundles(say: (line: string) => void): void {
  say('Building the Electron main process and preload…');
  vite(['build', '-c', 'vite.electron.config.ts', '--mode', 'main']);
  vite(['build', '-c', 'vite.electron.config.ts', '--mode', 'preload']);
}
