// Gets the Electron binary where it is missing, with Electron's own installer (node_modules/electron/
// install.js, the package's `install-electron` bin). The installer honours Electron's variables
// (ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, electron_config_cache, electron_use_remote_checksums, …) and
// checks the zip against the package's checksums. Answers the binary, or one sentence saying why not.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { electronBinaryPath } from '../../main/electron/binary';

export type ElectronInstall = { binary: string } | { reason: string };

const PLATFORMS_WITH_ELECTRON = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd'];

function totalBytes(dir: string): number {
  let sum = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      try {
        sum += statSync(join(entry.parentPath, entry.name)).size;
      } catch {
        /* moved into the cache meanwhile */
      }
    }
  }
  return sum;
}

/** The installer's failure as one clause: its error line (not the stack), said plainly where we know the cause. */
export function installFailureReason(stderr: string, exitCode: number | null, env: NodeJS.ProcessEnv): string {
  const errorLine = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^\w*Error\b[^:]*: /.test(l));
  if (!errorLine) return `its installer exited with code ${exitCode ?? 'unknown'}`;
  if (/fetch failed/.test(errorLine)) {
    const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases/';
    return `no connection to ${new URL(mirror).host}: ${errorLine}`;
  }
  return errorLine;
}

/**
 * Runs Electron's installer, showing how much it has downloaded, then answers the binary it put in
 * place. ELECTRON_SKIP_BINARY_DOWNLOAD=1 (Electron's own switch) skips the attempt.
 */
export async function installElectron(say: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ElectronInstall> {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  if (!PLATFORMS_WITH_ELECTRON.includes(process.platform)) return { reason: `Electron is not built for ${process.platform}` };
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run `npm ci`)' };
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  say(`Electron's binary is missing: downloading Electron ${version} for ${process.platform}-${process.arch} with its installer (once)…`);

  // The installer downloads into the OS temp folder; a folder of our own lets us watch it grow.
  const downloads = mkdtempSync(join(tmpdir(), 'ljd-electron-download-'));
  const started = Date.now();
  const child = spawn(process.execPath, [join(packageDir, 'install.js')], {
    env: { ...env, TMPDIR: downloads, TMP: downloads, TEMP: downloads },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const showProgress = process.stdout.isTTY
    ? setInterval(() => process.stdout.write(`\r  ${(totalBytes(downloads) / 1e6).toFixed(1)} MB…`), 500)
    : null;
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      stderr += `\nError: ${err.message}`;
      resolve(null);
    });
    child.on('exit', (code) => resolve(code));
  });
  if (showProgress) {
    clearInterval(showProgress);
    process.stdout.write('\r\x1b[K');
  }
  rmSync(downloads, { recursive: true, force: true });

  const binary = exitCode === 0 ? electronBinaryPath(env) : null;
  if (binary) {
    say(`Electron ${version} installed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { binary };
  }
  return { reason: exitCode === 0 ? 'its installer put no binary in place' : installFailureReason(stderr, exitCode, env) };
}
