// The local server in its own child process for benchmarks, so its CPU does not count as ours.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starts `npm run local-server` with these flags (plus a free port and --quiet) and resolves once it listens. */
export async function startServerProcess(dataFile: string, flags: string[]): Promise<{ url: string; token: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '../../main/local-server/cli.ts'),
      '--port',
      '0',
      '--data',
      dataFile,
      ...flags,
      '--quiet',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`local server exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /SERVER_ADDRESS=(\S+)/.exec(out)?.[1];
      const token = /API_TOKEN=(\S+)/.exec(out)?.[1];
      if (url && token) resolve({ url, token, child });
    });
  });
}
