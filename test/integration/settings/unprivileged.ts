// Runs test/fixtures/readOnlyChild.ts on a data folder made read-only (0500). Root ignores file modes,
// so under root the folder is handed to `nobody` and the child runs as that user (setpriv).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync } from 'node:fs';
import { dirname, join } from 'node:path';

const CHILD = join(import.meta.dirname, '../../fixtures/readOnlyChild.ts');
const TSX = join(import.meta.dirname, '../../../node_modules/tsx/dist/cli.mjs');
const NOBODY = 65534;

export function inReadOnlyFolder<T>(what: 'settings' | 'cache', dataDir: string): T {
  const root = process.getuid?.() === 0;
  if (root) {
    chmodSync(dirname(dataDir), 0o711); // a mkdtemp folder is 0700: let nobody through
    chownSync(dataDir, NOBODY, NOBODY);
  }
  chmodSync(dataDir, 0o500);
  try {
    const node = [process.execPath, TSX, CHILD, what, dataDir];
    const command = root ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...node] : node;
    const out = execFileSync(command[0]!, command.slice(1), { encoding: 'utf8', env: { ...process.env, HOME: dataDir } });
    return JSON.parse(out) as T;
  } finally {
    chmodSync(dataDir, 0o700);
  }
}
