// Builds the renderer once before the e2e run, so the bridge serves the code under test.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function globalSetup(): void {
  if (process.env.LJD_E2E_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  execFileSync(`${root}/node_modules/.bin/vite`, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
