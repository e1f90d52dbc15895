// API tokens outside the cache: the SecretStore interface (Electron passes a safeStorage-backed
// one) and the browser-mode default, a JSON file readable only by its owner (0600).
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

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
  const write = (all: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
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
