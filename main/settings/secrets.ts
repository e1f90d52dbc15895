// API tokens outside the cache: the SecretStore interface (Electron passes a safeStorage-backed
// one) and the browser-mode default, a JSON file readable only by its owner (0600).
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from './private-files';

export interface SecretStore {
  readonly protection: 'os' | 'basic_text' | 'file';
  get(profileId: string): string | null;
  set(profileId: string, token: string): void;
  delete(profileId: string): void;
}

export function createFileSecretStore(file: string): SecretStore {
  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, string>) => writePrivateFile(file, JSON.stringify(all));
  return {
    protection: 'file',
    get: (id) => read()[id] ?? null,
    set: (id, token) => write({ ...read(), [id]: token }),
    delete: (id) => {
      const all = read();
      delete all[id];
      write(all);
    },
  };
}
