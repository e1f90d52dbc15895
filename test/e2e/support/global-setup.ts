// Builds the renderer once before the e2e run, so the bridge serves the code under test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup(): void {
  if (process.env.LJD_E2E_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  // vite's own script on this Node: node_modules/.bin/vite is a shell script (vite.cmd on Windows)
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
