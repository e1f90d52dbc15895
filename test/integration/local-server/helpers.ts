// Shared helpers for the local server's integration tests: start a local server on a temp data file, call
// its API over real HTTP, and clean up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServerOptions, type RunningLocalServer } from '../../../main/local-server/index';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestLocalServer extends RunningLocalServer {
  call<T = any>(method: string, body?: unknown, token?: string | null): Promise<ApiAnswer<T>>;
  stop(): Promise<void>;
  dir: string;
}

/** Starts a local server on a fresh temp data file (or `dataFile`); `stop()` closes it and removes the folder. */
export async function startTestLocalServer(
  options: LocalServerOptions = {},
  dir = mkdtempSync(join(tmpdir(), 'localServer-test-')),
): Promise<TestLocalServer> {
  const localServer = await startLocalServer({ dataFile: join(dir, 'local-server.sqlite'), ...options });
  const call = async <T>(method: string, body: unknown = {}, token: string | null = localServer.adminToken): Promise<ApiAnswer<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['x-api-key'] = token;
    const res = await fetch(`${localServer.url}/public/api/v3/${method}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep the raw text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return Object.assign(localServer, {
    call,
    dir,
    async stop() {
      await localServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Asserts the error body shape of supervisely-api.md §1.5 and returns the message. */
export function errorMessage(answer: ApiAnswer): string {
  const body = answer.body as { error?: unknown; details?: { message?: unknown } };
  if (typeof body?.error !== 'string' || typeof body.details?.message !== 'string') {
    throw new Error(`not an error body: ${JSON.stringify(answer.body)}`);
  }
  if (!answer.headers.get('content-type')?.includes('application/json')) throw new Error('error without JSON content type');
  return body.details.message;
}

export const DEFAULT_META = {
  classes: [] as string[],
  projectTags: [] as string[],
  imageTags: [] as { name: string; positive: boolean }[],
  imageFiguresLimit: 0,
  imageTagsLimit: 0,
  entityIds: [] as number[],
  dynamicClasses: false,
  dynamicTags: false,
  allowRestore: false,
};

/** Creates a user and adds them to team 8 with `roleId`; returns the user id. */
export async function addTeamUser(localServer: TestLocalServer, login: string, roleId: number): Promise<number> {
  const created = await localServer.call('users.add', { login, password: 'pw', isRestricted: false, name: '', email: '' });
  if (created.status !== 200) throw new Error(`users.add ${login}: ${JSON.stringify(created.body)}`);
  const added = await localServer.call('members.add', { login, teamId: 8, roleId });
  if (added.status !== 200) throw new Error(`members.add ${login}: ${JSON.stringify(added.body)}`);
  return created.body.userId as number;
}

/** jobs.add on the demo dataset; returns the created ids. */
export async function addJobs(
  localServer: TestLocalServer,
  userIds: number[],
  extra: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
  token?: string,
): Promise<number[]> {
  const res = await localServer.call(
    'jobs.add',
    { name: 'job', datasetId: 10555, userIds, meta: { ...DEFAULT_META, ...meta }, ...extra },
    token,
  );
  if (res.status !== 200) throw new Error(`jobs.add: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: number }[]).map((j) => j.id);
}
