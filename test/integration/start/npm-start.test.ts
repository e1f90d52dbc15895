// `npm start` as a user runs it, on a machine without the Electron binary (ours): it says so in one
// line, falls back to browser mode, and the printed URL serves the app and answers the contract.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinaryPath } from '../../../main/electron/binary';

const root = new URL('../../..', import.meta.url).pathname;

describe.skipIf(electronBinaryPath() !== null)('npm start without the Electron binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-start-'));
  let child: ChildProcess | null = null;
  let output = '';

  afterAll(() => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('says Electron is missing, starts browser mode, serves the UI and answers channels, and stops on SIGTERM', async () => {
    child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      detached: true, // its own process group: we stop npm and everything under it
      env: { ...process.env, LJD_DATA_DIR: join(dir, 'data'), LJD_NO_OPEN: '1', LJD_SERVER_ADDRESS: '', LJD_API_TOKEN: '', LJD_PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no URL within 150 s:\n${output}`)), 150_000);
      const poll = setInterval(() => {
        const match = /browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?k=\S+)/.exec(output);
        if (match) {
          clearTimeout(deadline);
          clearInterval(poll);
          resolve(match[1]!);
        }
      }, 100);
    });
    expect(output).toMatch(/^Electron is not installed on this machine \(its binary could not be downloaded\); starting browser mode instead\.$/m);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="app">');

    const origin = new URL(url).origin;
    const secret = new URL(url).searchParams.get('k')!;
    const info = await fetch(`${origin}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ljd-secret': secret }, body: '{}' });
    expect(await info.json()).toMatchObject({ ok: true, value: { transport: 'web', demo: true } });
    const refused = await fetch(`${origin}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);

    const exited = new Promise<string>((resolve) => child!.on('exit', (code, signal) => resolve(String(code ?? signal))));
    process.kill(-child.pid!, 'SIGTERM');
    expect(await exited).toMatch(/^(0|143|SIGTERM)$/);
    // the app itself (npm's grandchild) shuts its server down too
    const stillUp = () => fetch(`${origin}/`).then(() => true, () => false);
    for (let i = 0; i < 50 && (await stillUp()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stillUp()).toBe(false);
  }, 200_000);
});
