// API tokens outside the cache: the SecretStore interface (Electron passes a safeStorage-backed
// one) and the browser-mode default, a JSON file readable only by its owner (0600).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { keepAside, type ReportProblem } from '../files/broken-files';
import { writePrivateFile } from '../files/private-files';

export interface SecretStore {
  readonly protection: 'os' | 'basic_text' | 'file';
  get(profileId: string): string | null;
  set(profileId: string, token: string): void;
  delete(profileId: string): void;
}

const TokensSchema = z.record(z.string(), z.string());

/** An unreadable file is kept aside and reported, never reset and overwritten (issue 13.8). */
export function createFileSecretStore(file: string, report: ReportProblem): SecretStore {
  let writable = true;
  const read = (): Record<string, string> => {
    if (!writable || !existsSync(file)) return {};
    let why = 'it is not valid JSON';
    try {
      const parsed = TokensSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) return parsed.data;
      why = 'it does not hold tokens by profile';
    } catch {
      // not JSON: why says so
    }
    writable = keepAside(file, why, 'Saved API tokens are in that copy: paste them again in Settings.', report) !== null;
    return {};
  };
  const write = (all: Record<string, string>) => {
    if (!writable) throw new Error(`${file} cannot be read and is not overwritten: move it away or fix it, then restart the app.`);
    writePrivateFile(file, JSON.stringify(all));
  };
  read(); // a broken file is found, kept aside and reported at start, not at the first token use
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
