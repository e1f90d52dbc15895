// The data folder and the files the app writes into it are the user's alone: the folder 0700 (group
// and other rights of a looser one found on start are taken away), each file 0600, written whole.
import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and its parents) if needed and takes away what group and others may do in it. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // only tightens: a folder the user made read-only stays read-only
  const mode = statSync(dir).mode & 0o777;
  if (mode & 0o077) chmodSync(dir, mode & PRIVATE_DIR_MODE);
}

/** Replaces `file` with `text` at once (a crash leaves the old or the new file, never half of one), mode 0600. */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode: PRIVATE_FILE_MODE });
  chmodSync(tmp, PRIVATE_FILE_MODE); // an older .tmp keeps its mode through writeFileSync
  renameSync(tmp, file);
}
