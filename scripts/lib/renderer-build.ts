// Builds the renderer (vite) when dist/renderer is missing or older than its sources, so the start
// commands always serve the code in the tree without rebuilding on every launch.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const rendererDist = join(repoRoot, 'dist', 'renderer');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

export function rendererIsStale(): boolean {
  const built = join(rendererDist, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['renderer', 'preload/contract.ts', 'vite.config.ts', 'svelte.config.js'].map((p) => join(repoRoot, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

export function ensureRendererBuilt(say: (line: string) => void): void {
  if (!rendererIsStale()) return;
  say('Building the user interface…');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}
