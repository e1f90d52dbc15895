// Starting npm and stopping a process with everything it started, the same way on Linux, macOS and
// Windows (the CI matrix has all three). On Windows `npm` is npm.cmd, which Node refuses to spawn
// without a shell, and there are no process groups (process.kill(-pid) throws): a tree is ended with
// taskkill /T instead.

import { spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface NpmCommand {
  command: string;
  args: string[];
  /** only for the last resort on Windows (npm.cmd); the arguments must then be plain words */
  shell: boolean;
}

export interface NpmLookup {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  execPath?: string;
  exists?: (path: string) => boolean;
}

/**
 * How to run `npm <args>`: npm's own npm-cli.js on this Node when it can be found (no shell, the same
 * on every OS): the one npm ran us with (npm_execpath), else the one installed beside this Node;
 * only then the `npm` command (npm.cmd through a shell on Windows).
 */
export function npmCommand(args: string[], lookup: NpmLookup = {}): NpmCommand {
  const { env = process.env, platform = process.platform, execPath = process.execPath, exists = existsSync } = lookup;
  const fromEnv = env.npm_execpath && /^npm-cli\.c?js$/.test(basename(env.npm_execpath)) ? [env.npm_execpath] : [];
  const beside = [
    join(dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'), // Windows installs
    join(dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), // Unix installs
  ];
  const cli = [...fromEnv, ...beside].find((path) => exists(path));
  if (cli) return { command: execPath, args: [cli, ...args], shell: false };
  return platform === 'win32' ? { command: 'npm.cmd', args, shell: true } : { command: 'npm', args, shell: false };
}

/** Spawn options for a process stopTree can end with its children: its own process group where groups exist. */
export function treeSpawnOptions(platform: NodeJS.Platform = process.platform): Pick<SpawnOptions, 'detached' | 'windowsHide'> {
  // on Windows `detached` would open a console window of its own, and taskkill /T needs no group
  return { detached: platform !== 'win32', windowsHide: true };
}

/**
 * Ends `child` and everything it started. POSIX: `signal` to its process group (spawn it with
 * treeSpawnOptions). Windows: taskkill /T /F, always forced (console programs have no SIGTERM).
 * Quietly does nothing for a process (POSIX: a group) that is already gone.
 */
export function stopTree(child: Pick<ChildProcess, 'pid'>, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (!child.pid) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}
