// Two browser-mode processes on one data folder (issue 13.1): the second refuses to start, naming the
// folder and the process that owns it, so the 12 creates queued in the first reach the server once;
// once the owner is killed with SIGKILL the folder is free again.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addMembers, adminApi, DATASET, startServer, TEAM, tempDir, waitFor } from '../support';

const CHILD = join(import.meta.dirname, '../../fixtures/browserModeChild.ts');

interface Child {
  process: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startInstance(env: NodeJS.ProcessEnv, args: string[] = []): Child {
  // node itself with tsx's loader, so the pid we see is the one holding the folder
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, out: () => out, exited };
}

describe('two instances on one data folder', () => {
  const t = tempDir('ljd-two-');
  const children: Child[] = [];
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  it('the second refuses with the folder and the owner named; 12 creates reach the server once', async () => {
    // slow answers keep the first instance's creates in flight while the second starts
    const server = await startServer(t.dir, { latencyMs: 400 });
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const { labeler_1: userId } = await addMembers(admin, ['labeler_1']);
    const dataDir = join(t.dir, 'data');
    const env = {
      ...process.env,
      LJD_DATA_DIR: dataDir,
      LJD_SERVER_ADDRESS: server.url,
      LJD_API_TOKEN: server.adminToken,
      LJD_PORT: '',
      LJD_NO_OPEN: '1',
    };

    const first = startInstance(env, ['--create', '12', String(DATASET), String(userId)]);
    children.push(first);
    await waitFor('the first instance to queue 12 creates', () => first.out().includes('queued'), 60_000);
    const second = startInstance(env);
    children.push(second);
    await waitFor('the first instance to drain', () => first.out().includes('drained'), 60_000);
    // give a wrongly started second instance time to resend what it found in flight
    if (second.process.exitCode === null) await new Promise((r) => setTimeout(r, 3000));
    const jobs = (await admin.jobs.list({ teamId: TEAM, showDisabled: true })).filter((j) => j.name.startsWith('two-instances-'));
    expect(jobs).toHaveLength(12);
    expect(new Set(jobs.map((j) => j.name)).size).toBe(12);

    expect(await second.exited).toBe(1);
    expect(second.out()).toContain(`The data folder ${dataDir} is in use by process ${first.process.pid}`);
    expect(second.out()).toContain('LJD_DATA_DIR');
    for (const file of ['.lock', '.lock-owner.json']) expect(statSync(join(dataDir, file)).mode & 0o777, file).toBe(0o600);

    // kill -9 leaves no stale lock: the kernel drops it with the process, and a new start owns the folder
    first.process.kill('SIGKILL');
    await first.exited;
    const third = startInstance(env);
    children.push(third);
    await waitFor('a start after the owner was killed', () => third.out().includes('drained') || third.process.exitCode !== null, 60_000);
    expect(third.out()).toContain(`started ${third.process.pid}`);
  }, 120_000);
});
