// The app's settings file (settings.json in the data folder): server profiles without their tokens,
// the active profile (null = demo mode), sync interval, theme, update channel and requests at once. Tokens live in the SecretStore.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { REQUESTS_AT_ONCE, RequestsAtOnceSchema } from '#shared/contract';
import { keepAside, type ReportProblem } from '../files/broken-files';
import { writePrivateFile } from '../files/private-files';

const StoredProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  serverAddress: z.string(),
  source: z.enum(['user', 'supervisely.env']),
});
const StoredSettingsSchema = z.object({
  profiles: z.array(StoredProfileSchema).default([]),
  activeProfileId: z.string().nullable().default(null),
  syncIntervalSec: z.number().int().default(60),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  updateChannel: z.enum(['latest', 'beta']).default('latest'),
  // files written before this setting existed have none: the default
  requestsAtOnce: RequestsAtOnceSchema.default(REQUESTS_AT_ONCE.default),
});
export type StoredProfile = z.infer<typeof StoredProfileSchema>;
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

/** The settings in `text`, or why they cannot be read. */
function parseSettings(text: string): { settings: StoredSettings } | { why: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { why: 'it is not valid JSON' };
  }
  const parsed = StoredSettingsSchema.safeParse(json);
  if (parsed.success) return { settings: parsed.data };
  return { why: `unexpected content at ${parsed.error.issues[0]?.path.join('.') || 'the top'}` };
}

/** An unreadable file is kept aside and reported, never reset and overwritten (issue 13.8). */
export function createSettingsFile(file: string, report: ReportProblem) {
  let current: StoredSettings = StoredSettingsSchema.parse({});
  let writable = true;
  if (existsSync(file)) {
    const read = parseSettings(readFileSync(file, 'utf8'));
    if ('settings' in read) current = read.settings;
    else {
      const lost = 'The app started from default settings: your server profiles are in that copy.';
      writable = keepAside(file, read.why, lost, report) !== null;
    }
  }
  return {
    get: (): StoredSettings => current,
    update(patch: Partial<StoredSettings>): StoredSettings {
      if (!writable) throw new Error(`${file} cannot be read and is not overwritten: move it away or fix it, then restart the app.`);
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
