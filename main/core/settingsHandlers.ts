// Handlers of settings.*: profiles (tokens only in the SecretStore, never returned), demo switch,
// interval, theme, requests at once, ~/supervisely.env import, connection test.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, type Handlers, type Settings } from '#shared/contract';
import { createSuperviselyApi } from '../supervisely/client';
import { ApiError } from '../supervisely/errors';
import { describeError, isConnectivityError } from '../sync/errors';
import { hostOf, sameOrigin } from '../settings/origin';
import { INTERACTIVE_POLICY } from '../supervisely/policy';
import { parseSuperviselyEnv } from '../settings/settings';
import type { CoreContext } from './context';

type SettingsHandlers = Pick<
  Handlers,
  | 'settings.get'
  | 'settings.update'
  | 'settings.saveProfile'
  | 'settings.deleteProfile'
  | 'settings.activateProfile'
  | 'settings.testConnection'
  | 'settings.importEnv'
>;

export const ENV_PROFILE_ID = 'supervisely-env';

export function settingsHandlers(ctx: CoreContext): SettingsHandlers {
  const view = (): Settings => {
    const s = ctx.settings.get();
    return {
      profiles: s.profiles.map((p) => ({ ...p, hasToken: ctx.secrets.get(p.id) !== null })),
      activeProfileId: s.activeProfileId,
      syncIntervalSec: s.syncIntervalSec,
      theme: s.theme,
      updateChannel: s.updateChannel,
      requestsAtOnce: s.requestsAtOnce,
      tokenProtection: ctx.secrets.protection,
      dataFileProblems: ctx.dataFileProblems.map((p) => ({ ...p })),
    };
  };
  const saveProfile = (p: { id: string; name: string; serverAddress: string; source: 'user' | 'supervisely.env' }, token?: string) => {
    const profiles = ctx.settings.get().profiles.filter((x) => x.id !== p.id);
    ctx.settings.update({ profiles: [...profiles, p] });
    if (token) ctx.secrets.set(p.id, token);
  };
  return {
    'settings.get': async () => view(),
    'settings.update': async (req) => {
      ctx.settings.update({
        ...(req.syncIntervalSec !== undefined ? { syncIntervalSec: req.syncIntervalSec } : {}),
        ...(req.theme !== undefined ? { theme: req.theme } : {}),
        ...(req.updateChannel !== undefined ? { updateChannel: req.updateChannel } : {}),
        // read by the session's client and push loop at every request: no reconnect needed
        ...(req.requestsAtOnce !== undefined ? { requestsAtOnce: req.requestsAtOnce } : {}),
      });
      if (req.syncIntervalSec !== undefined) ctx.session().engine.setInterval(req.syncIntervalSec);
      return view();
    },
    'settings.saveProfile': async (req) => {
      const existing = req.id ? ctx.settings.get().profiles.find((p) => p.id === req.id) : undefined;
      if (req.id && !existing) throw new AppError('not_found', `There is no profile ${req.id} any more. Reload Settings.`);
      // a token saved for one server is never sent to another: a new origin needs a new token
      if (existing && !req.apiToken && !sameOrigin(existing.serverAddress, req.serverAddress)) ctx.secrets.delete(existing.id);
      saveProfile(
        { id: existing?.id ?? randomUUID(), name: req.name, serverAddress: req.serverAddress, source: existing?.source ?? 'user' },
        req.apiToken,
      );
      if (existing && existing.id === ctx.settings.get().activeProfileId) await ctx.reconnect();
      return view();
    },
    'settings.deleteProfile': async ({ id }) => {
      ctx.settings.update({ profiles: ctx.settings.get().profiles.filter((p) => p.id !== id) });
      ctx.secrets.delete(id);
      if (ctx.settings.get().activeProfileId === id) {
        ctx.settings.update({ activeProfileId: null });
        await ctx.reconnect();
      }
      return view();
    },
    'settings.activateProfile': async ({ id }) => {
      if (id !== null) {
        if (!ctx.settings.get().profiles.some((p) => p.id === id))
          throw new AppError('not_found', `There is no profile ${id}. Reload Settings.`);
        if (!ctx.secrets.get(id)) throw new AppError('conflict', 'This profile has no API token yet. Edit it and paste a token first.');
      }
      ctx.settings.update({ activeProfileId: id });
      await ctx.reconnect();
      return view();
    },
    'settings.testConnection': async (req) => {
      const profile = req.profileId ? ctx.settings.get().profiles.find((p) => p.id === req.profileId) : undefined;
      const serverAddress = req.serverAddress ?? profile?.serverAddress;
      if (!serverAddress)
        return { ok: false, message: 'Give the server address (for example https://app.supervisely.com).', version: null, login: null };
      const storedFits = profile !== undefined && sameOrigin(profile.serverAddress, serverAddress);
      if (!req.apiToken && profile && !storedFits) {
        const host = hostOf(serverAddress);
        const message =
          `This profile's token was saved for ${hostOf(profile.serverAddress)}; it is not sent to ${host}. ` +
          `Paste an API token for ${host} to test it.`;
        return { ok: false, message, version: null, login: null };
      }
      const apiToken = req.apiToken ?? (storedFits ? (ctx.secrets.get(profile.id) ?? undefined) : undefined);
      if (!apiToken)
        return {
          ok: false,
          message: 'Paste an API token (Supervisely: your avatar → Account settings → API token).',
          version: null,
          login: null,
        };
      const api = createSuperviselyApi({ serverAddress, apiToken, ...INTERACTIVE_POLICY });
      let version: string | null = null;
      try {
        version = await api.instanceVersion();
        const me = await api.users.getMyInfo();
        return { ok: true, message: `Connected to ${api.serverAddress} (version ${version}) as ${me.login}.`, version, login: me.login };
      } catch (err) {
        return { ok: false, message: connectionProblem(serverAddress, err), version, login: null };
      }
    },
    'settings.importEnv': async () => {
      const file = join(ctx.homeDir, 'supervisely.env');
      if (!existsSync(file))
        throw new AppError(
          'not_found',
          `No ${file} found. Create it with SERVER_ADDRESS=… and API_TOKEN=… lines, or add a profile by hand.`,
        );
      const env = parseSuperviselyEnv(readFileSync(file, 'utf8'));
      if (!env.serverAddress || !env.apiToken) {
        throw new AppError(
          'invalid_request',
          `${file} needs both SERVER_ADDRESS and API_TOKEN (found ${env.serverAddress ? 'SERVER_ADDRESS' : 'neither'}${env.serverAddress && !env.apiToken ? ' only' : ''}).`,
        );
      }
      const { serverAddress, apiToken } = env;
      const known = ctx.settings
        .get()
        .profiles.find((p) => sameOrigin(p.serverAddress, serverAddress) && ctx.secrets.get(p.id) === apiToken);
      if (known) return view();
      saveProfile(
        { id: ENV_PROFILE_ID, name: `supervisely.env (${env.serverAddress})`, serverAddress: env.serverAddress, source: 'supervisely.env' },
        env.apiToken,
      );
      return view();
    },
  };
}

/** The one real cause of a failed connection test, in words for the Settings page. */
function connectionProblem(serverAddress: string, err: unknown): string {
  if (isConnectivityError(err)) return `Could not reach ${serverAddress}: check the address and your network.`;
  if (err instanceof ApiError && err.kind === 'unauthorized') {
    const where = 'Supervisely → your avatar → Account settings → API token';
    return `${serverAddress} refused this API token (401). Paste a fresh one: ${where}.`;
  }
  return describeError(err);
}
