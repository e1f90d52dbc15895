// The data folder and the files the app writes into it are the user's alone: the folder 0700 (a
// looser one found on start is tightened), each file 0600, written whole through a temporary file.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and its parents) if needed and makes it readable by its owner only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Replaces `file` with `text` at once (a crash leaves the old or the new file, never half of one), mode 0600. */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode: PRIVATE_FILE_MODE });
  chmodSync(tmp, PRIVATE_FILE_MODE); // an older .tmp keeps its mode through writeFileSync
  renameSync(tmp, file);
}
