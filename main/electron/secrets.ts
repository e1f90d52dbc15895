// API tokens on the desktop: a SecretStore on Electron's safeStorage, kept base64-encrypted in
// userData/secrets.json (0600). Reports 'basic_text' honestly when Linux has no secret service.
// Takes safeStorage as a parameter (types only), so it is unit-tested with a fake.

import type { SafeStorage } from 'electron';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../core';
import { AppError } from '#shared/contract';

type SafeStorageLike = Pick<SafeStorage, 'encryptString' | 'decryptString' | 'isEncryptionAvailable'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

interface SecretsFile { format: 'ljd-safeStorage-1'; tokens: Record<string, string> }

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
}): SecretStore {
  const { file, safeStorage, log } = options;
  const protection = protectionOf(safeStorage, options.platform);
  if (protection === 'basic_text') {
    log?.('secrets: no OS secret store (safeStorage backend is basic_text); API tokens are encrypted with a fixed key only');
  }

  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretsFile>;
      return parsed.format === 'ljd-safeStorage-1' && parsed.tokens && typeof parsed.tokens === 'object' ? { ...parsed.tokens } : {};
    } catch {
      log?.(`secrets: ${file} is unreadable; treating it as empty`);
      return {};
    }
  };
  const write = (tokens: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    const content: SecretsFile = { format: 'ljd-safeStorage-1', tokens };
    writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };

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
