// `npm start`: builds what is needed, then starts the Electron app. Where the Electron binary is
// missing (it cannot be downloaded on every machine), says so in one line and starts browser mode.

import { execFileSync, spawn } from 'node:child_process';
import { electronBinaryPath } from '../main/electron/binary';
import { ensureRendererBuilt, repoRoot } from './lib/renderer-build';
import { runBrowserMode } from './start-web';

async function main(): Promise<void> {
  const binary = electronBinaryPath();
  if (!binary) {
    process.stdout.write('Electron is not installed on this machine (its binary could not be downloaded); starting browser mode instead.\n');
    await runBrowserMode();
    return;
  }
  ensureRendererBuilt((line) => process.stdout.write(`${line}\n`));
  execFileSync('npm', ['run', '--silent', 'build:electron'], { cwd: repoRoot, stdio: 'inherit' });
  const app = spawn(binary, [repoRoot], { cwd: repoRoot, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => app.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  app.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err: unknown) => {
  process.stderr.write(`The app could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
