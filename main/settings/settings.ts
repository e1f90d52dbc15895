// The app's settings file (settings.json in the data folder): server profiles without their tokens,
// the active profile (null = demo mode), sync interval and theme. Tokens live in the SecretStore.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writePrivateFile } from './private-files';

const StoredProfileSchema = z.object({
  id: z.string(), name: z.string(), serverAddress: z.string(), source: z.enum(['user', 'supervisely.env']),
});
const StoredSettingsSchema = z.object({
  profiles: z.array(StoredProfileSchema).default([]),
  activeProfileId: z.string().nullable().default(null),
  syncIntervalSec: z.number().int().default(60),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
});
export type StoredProfile = z.infer<typeof StoredProfileSchema>;
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

export function createSettingsFile(file: string, log?: (line: string) => void) {
  let current: StoredSettings = StoredSettingsSchema.parse({});
  if (existsSync(file)) {
    const parsed = StoredSettingsSchema.safeParse((() => { try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return null; } })());
    if (parsed.success) current = parsed.data;
    else log?.(`settings: ${file} is unreadable; starting from defaults`);
  }
  return {
    get: (): StoredSettings => current,
    update(patch: Partial<StoredSettings>): StoredSettings {
      current = { ...current, ...patch };
      writePrivateFile(file, JSON.stringify(current, null, 2));
      return current;
    },
  };
}
export type SettingsFile = ReturnType<typeof createSettingsFile>;

/** Reads SERVER_ADDRESS and API_TOKEN from a supervisely.env text (KEY=value, quotes allowed). */
export function parseSuperviselyEnv(text: string): { serverAddress: string | null; apiToken: string | null } {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    values[m[1]!] = value;
  }
  return { serverAddress: values['SERVER_ADDRESS'] || null, apiToken: values['API_TOKEN'] || null };
}
