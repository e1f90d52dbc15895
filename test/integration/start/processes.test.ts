// npm and process trees the same way on every OS the CI runs: npm found as npm-cli.js on this Node (no
// shell; npm.cmd cannot be spawned without one on Windows), and a tree stopped with its grandchildren.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmCommand, stopTree, treeSpawnOptions } from '../../../scripts/lib/processes';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npmCommand', () => {
  it("runs npm's own npm-cli.js on this Node: the one npm started us with, else the one beside Node", () => {
    const cli = '/opt/node/lib/node_modules/npm/bin/npm-cli.js';
    const exists = (path: string) => path === cli || path === 'C:\\node\\node_modules\\npm\\bin\\npm-cli.js';
    expect(npmCommand(['start'], { env: { npm_execpath: cli }, execPath: '/usr/bin/node', exists })).toEqual({
      command: '/usr/bin/node',
      args: [cli, 'start'],
      shell: false,
    });
    // pnpm or yarn as npm_execpath are not npm: look beside Node instead
    expect(npmCommand(['start'], { env: { npm_execpath: '/x/pnpm.cjs' }, execPath: '/opt/node/bin/node', exists })).toEqual({
      command: '/opt/node/bin/node',
      args: [join('/opt/node/bin', '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), 'start'],
      shell: false,
    });
  });

  it('falls back to the npm command: npm.cmd through a shell on Windows, npm elsewhere', () => {
    const none = { env: {}, execPath: '/nowhere/node', exists: () => false };
    expect(npmCommand(['run', 'start:web'], { ...none, platform: 'win32' })).toEqual({
      command: 'npm.cmd',
      args: ['run', 'start:web'],
      shell: true,
    });
    expect(npmCommand(['run', 'start:web'], { ...none, platform: 'linux' })).toEqual({
      command: 'npm',
      args: ['run', 'start:web'],
      shell: false,
    });
  });

  it('finds a working npm on this machine, with and without npm_execpath', () => {
    for (const env of [process.env, { ...process.env, npm_execpath: '' }]) {
      const npm = npmCommand(['--version'], { env });
      const run = spawnSync(npm.command, npm.args, { encoding: 'utf8', shell: npm.shell, env });
      expect(run.status, `${npm.command} ${npm.args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});

describe('stopTree', () => {
  it('a group of its own only where groups exist; no console window on Windows', () => {
    expect(treeSpawnOptions('linux')).toEqual({ detached: true, windowsHide: true });
    expect(treeSpawnOptions('win32')).toEqual({ detached: false, windowsHide: true });
  });

  it('ends a process and the grandchild it started (as npm starts the app)', async () => {
    // a parent that starts a long-lived child, prints the child's pid and waits
    const parentCode = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentCode], { ...treeSpawnOptions(), stdio: ['ignore', 'pipe', 'inherit'] });
    const grandchild = await new Promise<number>((resolve) =>
      parent.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    expect(alive(grandchild)).toBe(true);
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    stopTree(parent);
    await exited;
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild)).toBe(false);
    expect(() => stopTree(parent)).not.toThrow(); // already gone
  });
});
