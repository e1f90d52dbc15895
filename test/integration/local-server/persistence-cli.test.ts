// Restart persistence on the same data file, and the command line (`npm run local-server`): the two
// stdout lines, request logging on stderr, clean exit on SIGTERM/SIGINT, usage + exit 2 on bad flags.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addJobs, addTeamUser, startTestLocalServer } from './helpers';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'localServer-persist-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('persistence', () => {
  it('keeps users, memberships, jobs, statuses, archive flags and tokens across a restart', async () => {
    const dir = tempDir();
    const first = await startTestLocalServer({}, dir);
    const a1 = await addTeamUser(first, 'labeler_1', 3);
    const a2 = await addTeamUser(first, 'labeler_2', 3);
    const a3 = await addTeamUser(first, 'labeler_3', 3);
    const [j1, j2, j3] = await addJobs(first, [a1, a2, a3]);
    await first.call('jobs.set-status', { id: j1, status: 'on_review' });
    await first.call('jobs.archive', { id: j2 });
    await first.call('jobs.bulk.remove', { ids: [j3] });
    const adminToken = first.adminToken;
    const labelerToken = first.tokenFor('labeler_1');
    await first.close();

    const second = await startTestLocalServer({ seed: 'empty' }, dir); // seed ignored: the file is not new
    expect(second.adminToken).toBe(adminToken);
    expect(second.tokenFor('labeler_1')).toBe(labelerToken);
    expect((await second.call('users.info', { id: a1 })).body.teams).toEqual([{ id: 8, name: 'my_team', roleId: 3, role: 'annotator' }]);
    expect((await second.call('jobs.info', { id: j1 })).body.status).toBe('on_review');
    expect((await second.call('jobs.info', { id: j2 })).status).toBe(404);
    const archived = await second.call('jobs.list', { teamId: 8, showDisabled: true, filter: [{ field: 'id', operator: '=', value: j2 }] });
    expect(archived.body.entities[0].disabled).toBe(true);
    expect((await second.call('jobs.info', { id: j3 })).status).toBe(404);
    expect((await second.call('jobs.list', { teamId: 8, filter: [] }, labelerToken)).status).toBe(200);
    const [j4] = await addJobs(second, [a1]);
    expect(j4).toBe(j3! + 1);
    expect((await second.call('projects.info', { id: 5555 })).status).toBe(200);
    await second.close();

    const third = await startTestLocalServer({ token: 'fixed-admin-token' }, dir);
    expect(third.adminToken).toBe('fixed-admin-token');
    expect((await third.call('users.me', {})).body.login).toBe('my_username');
    expect((await third.call('users.me', {}, adminToken)).status).toBe(401);
    await third.close();
  });
});

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/local-server/cli.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('command line', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints exactly SERVER_ADDRESS and API_TOKEN, logs to stderr and exits 0 on ${signal}`, async () => {
      const data = join(tempDir(), 'cli.sqlite');
      const cli = runCli(['--port', '0', '--data', data, '--token', 'cli-token', '--latency', '1']);
      await waitFor(() => cli.out().split('\n').length >= 3);
      const lines = cli.out().trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^SERVER_ADDRESS=http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[1]).toBe('API_TOKEN=cli-token');
      const url = lines[0]!.split('=')[1]!;
      const res = await fetch(`${url}/public/api/v3/teams.info`, {
        method: 'POST',
        headers: { 'x-api-key': 'cli-token' },
        body: '{"id":8}',
      });
      expect(res.status).toBe(200);
      await waitFor(() => cli.err().includes('teams.info'));
      cli.child.kill(signal);
      expect(await cli.exited).toBe(0);
      expect(cli.out().trim().split('\n')).toHaveLength(2);
    });
  }

  it('bad flags print the usage on stderr and exit 2', async () => {
    for (const args of [['--bogus'], ['--port', 'abc'], ['--seed', 'full'], ['--fail-rate', '3'], ['stray']]) {
      const cli = runCli(args);
      expect(await cli.exited).toBe(2);
      expect(cli.err()).toContain('Usage: npm run local-server');
      expect(cli.out()).toBe('');
    }
  });
});
