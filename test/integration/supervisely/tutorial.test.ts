// scripts/tutorial.ts runs the seed tutorial end to end against the local server, twice (the second
// run finds the users and memberships already there), and fails loudly when a step fails.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLocalServer, type TestServer } from './support';
import { runTutorial } from '../../../scripts/tutorial';
import { createSuperviselyApi } from '../../../main/supervisely/client';

let server: TestServer;
beforeAll(async () => {
  server = await startTestLocalServer();
});
afterAll(() => server.close());

describe('the tutorial script', () => {
  it('performs every step against the local server, and again on a second run', async () => {
    const lines: string[] = [];
    await runTutorial({ server: server.localServer.url, token: server.localServer.adminToken, log: (l) => lines.push(l) });
    const out = lines.join('\n');
    expect(out).toContain('created labeler_1: id 101');
    expect(out).toContain('created labeler_2: id 102');
    expect(out).toContain('status: stopped');
    expect(out).toContain('first half: 3882697, 3882698, 3882699');
    expect(out).toMatch(/2 +labeler2_kiwi_task_with_complex_settings +pending +my_username +labeler_2 +kiwi +size,origin +3/);
    expect(out).toContain('job 2 did not reach on_review after 3 checks (last status: completed)');
    expect(out).toContain('Tutorial finished: every step succeeded.');

    const again: string[] = [];
    await runTutorial({ server: server.localServer.url, token: server.localServer.adminToken, log: (l) => again.push(l) });
    expect(again.join('\n')).toContain('labeler_1 exists: id 101');
    expect(again.join('\n')).toContain('already a member as annotator');

    // The runs cleaned up after themselves; the users stay in the team.
    const api = createSuperviselyApi({ serverAddress: server.localServer.url, apiToken: server.localServer.adminToken });
    expect(await api.jobs.list({ teamId: 8, showDisabled: true })).toEqual([]);
    expect((await api.users.getTeamRole(102, 8))?.role).toBe('annotator');
  });

  it('rejects with the typed error when a step fails (wrong token)', async () => {
    await expect(runTutorial({ server: server.localServer.url, token: 'wrong', log: () => undefined })).rejects.toMatchObject({
      kind: 'unauthorized',
    });
  });

  it('the command exits non-zero with a readable message', async () => {
    const run = promisify(execFile)(
      process.execPath, // not node_modules/.bin/tsx: a shell script, tsx.cmd on Windows
      ['--import', 'tsx', 'scripts/tutorial.ts', '--server', server.localServer.url, '--token', 'wrong'],
      {
        timeout: 20_000,
      },
    );
    const err = (await run.then(
      () => null,
      (e: unknown) => e,
    )) as { code: number; stderr: string } | null;
    expect(err?.code).toBe(1);
    expect(err?.stderr).toContain('Tutorial failed: The server refused the token (401');
  });
});
