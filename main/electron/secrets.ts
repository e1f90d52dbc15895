// API tokens on the desktop: a SecretStore on Electron's safeStorage, kept base64-encrypted in
// userData/secrets.json (0600). Reports 'basic_text' honestly when Linux has no secret service. An
// unreadable file is kept aside and reported, never reset and overwritten (issue 13.8).
// Takes safeStorage as a parameter (types only), so it is unit-tested with a fake.

import type { SafeStorage } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import type { SecretStore } from '../core';
import { AppError } from '#shared/contract';
import { keepAside, type ReportProblem } from '../files/broken-files';
import { writePrivateFile } from '../files/private-files';

type SafeStorageLike = Pick<SafeStorage, 'encryptString' | 'decryptString' | 'isEncryptionAvailable'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

interface SecretsFile {
  format: 'ljd-safeStorage-1';
  tokens: Record<string, string>;
}

/** 'basic_text' when Electron fell back to its fixed key (Linux without a keyring), else 'os'. Call after app ready. */
export function protectionOf(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): 'os' | 'basic_text' {
  if (platform !== 'linux') return 'os';
  const backend = safeStorage.getSelectedStorageBackend?.();
  return backend === 'basic_text' ? 'basic_text' : 'os';
}

export function createSafeStorageSecretStore(options: {
  file: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
  log?: (line: string) => void;
  report?: ReportProblem;
}): SecretStore {
  const { file, safeStorage, log } = options;
  const protection = protectionOf(safeStorage, options.platform);
  if (protection === 'basic_text') {
    log?.('secrets: no OS secret store (safeStorage backend is basic_text); API tokens are encrypted with a fixed key only');
  }

  const report: ReportProblem = options.report ?? ((problem) => log?.(`secrets: ${problem.message}`));
  let writable = true;
  const read = (): Record<string, string> => {
    if (!writable || !existsSync(file)) return {};
    let why = 'it is not valid JSON';
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretsFile>;
      if (parsed.format === 'ljd-safeStorage-1' && parsed.tokens && typeof parsed.tokens === 'object') return { ...parsed.tokens };
      why = 'it is not a token file of this app';
    } catch {
      // not JSON: why says so
    }
    writable = keepAside(file, why, 'Saved API tokens are in that copy: paste them again in Settings.', report) !== null;
    return {};
  };
  const write = (tokens: Record<string, string>) => {
    if (!writable)
      throw new AppError('internal', `${file} cannot be read and is not overwritten: move it away or fix it, then restart the app.`);
    const content: SecretsFile = { format: 'ljd-safeStorage-1', tokens };
    writePrivateFile(file, JSON.stringify(content));
  };
  read(); // a broken file is found, kept aside and reported at start, not at the first token use

  return {
    protection,
    get(id) {
      const encoded = read()[id];
      if (encoded === undefined) return null;
      try {
        return safeStorage.decryptString(Buffer.from(encoded, 'base64'));
      } catch (err) {
        log?.(`secrets: could not decrypt the token of profile ${id}: ${String(err)}`);
        return null; // e.g. the keyring changed: the user enters the token again
      }
    },
    set(id, token) {
      if (!safeStorage.isEncryptionAvailable()) {
        // an AppError, so the page shows these words rather than a generic failure
        throw new AppError('internal', 'This system offers no way to encrypt the API token, so it was not saved.');
      }
      const encoded = safeStorage.encryptString(token).toString('base64');
      write({ ...read(), [id]: encoded });
    },
    delete(id) {
      const tokens = read();
      if (!(id in tokens)) return;
      delete tokens[id];
      write(tokens);
    },
  };
}
