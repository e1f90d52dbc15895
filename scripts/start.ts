// `npm start`: builds what is needed, then starts the Electron app. Where the Electron binary is
// missing, Electron's own installer downloads it first; only where that fails (no network, no build
// for this platform) it says why in one line and starts browser mode.

import { spawn } from 'node:child_process';
import { electronBinaryPath } from '../main/electron/binary';
import { installElectron } from './lib/electron-install';
import { buildElectronBundles, ensureRendererBuilt, repoRoot } from './lib/renderer-build';
import { runBrowserMode } from './start-web';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  // Found without node_modules/electron's index.js, whose own download would throw a stack at us.
  const found = electronBinaryPath();
  const install = found ? { binary: found } : await installElectron(say);
  if (!('binary' in install)) {
    say(`Electron could not be installed (${install.reason}); starting browser mode instead. Retry: npx install-electron`);
    await runBrowserMode();
    return;
  }
  const binary = install.binary;
  ensureRendererBuilt(say);
  buildElectronBundles(say);
  const args = [repoRoot];
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    say('Running as root: Chromium refuses its sandbox for root, so Electron starts with --no-sandbox. Run as a normal user to keep it.');
    args.unshift('--no-sandbox');
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node and ignore the app
  const app = spawn(binary, args, { cwd: repoRoot, stdio: 'inherit', env });
  // POSIX: Ctrl+C / SIGTERM are passed on, and the app closes its core before it quits. Windows: Ctrl+C
  // reaches Electron by itself (same console) and app.kill() would end it at once, skipping that close;
  // there we only keep waiting for it to exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (process.platform !== 'win32') app.kill(signal);
    });
  }
  app.on('error', (err) => {
    process.stderr.write(`Electron could not be started (${err.message}); try \`npm run start:web\`.\n`);
    process.exit(1);
  });
  app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`The app could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
