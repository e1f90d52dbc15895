// Which server the core connects to: the pinned one (LJD_SERVER_ADDRESS + LJD_API_TOKEN), else the
// active profile when its token is stored, else the local server.
import type { SecretStore } from '../settings/secrets';
import type { SettingsFile } from '../settings/settings';
import type { SessionTarget } from './session';

export function sessionTargetOf(
  override: { serverAddress: string; apiToken: string } | undefined,
  settings: SettingsFile,
  secrets: SecretStore,
): SessionTarget {
  if (override) return { key: 'override', demo: false, ...override };
  const s = settings.get();
  const profile = s.profiles.find((p) => p.id === s.activeProfileId);
  const token = profile ? secrets.get(profile.id) : null;
  if (profile && token) return { key: profile.id, demo: false, serverAddress: profile.serverAddress, apiToken: token };
  return { key: 'demo', demo: true };
}
