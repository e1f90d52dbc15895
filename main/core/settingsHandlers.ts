// Handlers of settings.*, presets.*, sync.* and outbox.*: profiles (tokens only in the SecretStore,
// never returned), demo switch, interval, theme, ~/supervisely.env import, connection test, presets,
// the queue view with retry and discard.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, type Handlers, type Settings } from '#shared/contract';
import { createSuperviselyApi } from '../supervisely/client';
import { INTERACTIVE_POLICY } from '../supervisely/policy';
import { discardMutations } from '../sync/discard';
import { describeError } from '../sync/errors';
import { parseSuperviselyEnv } from '../settings/settings';
import type { CoreContext } from './context';

type SettingsHandlers = Pick<Handlers, 'settings.get' | 'settings.update' | 'settings.saveProfile' | 'settings.deleteProfile'
  | 'settings.activateProfile' | 'settings.testConnection' | 'settings.importEnv' | 'presets.list' | 'presets.save' | 'presets.delete'
  | 'sync.now' | 'sync.state' | 'outbox.list' | 'outbox.retry' | 'outbox.discard'>;

export const ENV_PROFILE_ID = 'supervisely-env';

export function settingsHandlers(ctx: CoreContext): SettingsHandlers {
  const view = (): Settings => {
    const s = ctx.settings.get();
    return {
      profiles: s.profiles.map((p) => ({ ...p, hasToken: ctx.secrets.get(p.id) !== null })),
      activeProfileId: s.activeProfileId, syncIntervalSec: s.syncIntervalSec, theme: s.theme,
      tokenProtection: ctx.secrets.protection,
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
      });
      if (req.syncIntervalSec !== undefined) ctx.session().engine.setInterval(req.syncIntervalSec);
      return view();
    },
    'settings.saveProfile': async (req) => {
      const existing = req.id ? ctx.settings.get().profiles.find((p) => p.id === req.id) : undefined;
      if (req.id && !existing) throw new AppError('not_found', `There is no profile ${req.id} any more. Reload Settings.`);
      saveProfile({ id: existing?.id ?? randomUUID(), name: req.name, serverAddress: req.serverAddress, source: existing?.source ?? 'user' }, req.apiToken);
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
        if (!ctx.settings.get().profiles.some((p) => p.id === id)) throw new AppError('not_found', `There is no profile ${id}. Reload Settings.`);
        if (!ctx.secrets.get(id)) throw new AppError('conflict', 'This profile has no API token yet. Edit it and paste a token first.');
      }
      ctx.settings.update({ activeProfileId: id });
      await ctx.reconnect();
      return view();
    },
    'settings.testConnection': async (req) => {
      const profile = req.profileId ? ctx.settings.get().profiles.find((p) => p.id === req.profileId) : undefined;
      const serverAddress = req.serverAddress ?? profile?.serverAddress;
      const apiToken = req.apiToken ?? (req.profileId ? ctx.secrets.get(req.profileId) ?? undefined : undefined);
      if (!serverAddress) return { ok: false, message: 'Give the server address (for example https://app.supervisely.com).', version: null, login: null };
      if (!apiToken) return { ok: false, message: 'Paste an API token (Supervisely: your avatar → Account settings → API token).', version: null, login: null };
      const api = createSuperviselyApi({ serverAddress, apiToken, ...INTERACTIVE_POLICY });
      let version: string | null = null;
      try {
        version = await api.instanceVersion();
        const me = await api.users.getMyInfo();
        return { ok: true, message: `Connected to ${api.serverAddress} (version ${version}) as ${me.login}.`, version, login: me.login };
      } catch (err) {
        const prefix = version === null ? `Could not reach ${serverAddress}: check the address and your network. ` : '';
        return { ok: false, message: `${prefix}${describeError(err)}`, version, login: null };
      }
    },
    'settings.importEnv': async () => {
      const file = join(ctx.homeDir, 'supervisely.env');
      if (!existsSync(file)) throw new AppError('not_found', `No ${file} found. Create it with SERVER_ADDRESS=… and API_TOKEN=… lines, or add a profile by hand.`);
      const env = parseSuperviselyEnv(readFileSync(file, 'utf8'));
      if (!env.serverAddress || !env.apiToken) {
        throw new AppError('invalid_request', `${file} needs both SERVER_ADDRESS and API_TOKEN (found ${env.serverAddress ? 'SERVER_ADDRESS' : 'neither'}${env.serverAddress && !env.apiToken ? ' only' : ''}).`);
      }
      saveProfile({ id: ENV_PROFILE_ID, name: `supervisely.env (${env.serverAddress})`, serverAddress: env.serverAddress, source: 'supervisely.env' }, env.apiToken);
      return view();
    },
    'presets.list': async () => ctx.session().cache.presets.list(),
    'presets.save': async ({ name, filter }) => {
      ctx.session().cache.presets.save(name, filter, new Date().toISOString());
      return ctx.session().cache.presets.list();
    },
    'presets.delete': async ({ name }) => {
      ctx.session().cache.presets.delete(name);
      return ctx.session().cache.presets.list();
    },
    'sync.now': async () => {
      void ctx.session().engine.syncNow();
      return { ok: true as const };
    },
    'sync.state': async () => ctx.session().engine.getState(),
    'outbox.list': async ({ states, batchId, limit }) =>
      ctx.session().cache.outbox.list({ ...(states ? { states } : {}), ...(batchId ? { batchId } : {}), limit }),
    'outbox.retry': async ({ ids }) => {
      const s = ctx.session();
      const retried = s.cache.outbox.retry(ids, new Date().toISOString());
      ctx.afterEnqueue(retried, retried.flatMap((id) => s.cache.outbox.jobIds(id)), null);
      return { ok: true as const };
    },
    'outbox.discard': async ({ ids }) => {
      const s = ctx.session();
      const { discarded, jobIds } = discardMutations(s.cache, ids);
      ctx.emit('outbox.changed', { ids: discarded });
      if (jobIds.length) ctx.emit('jobs.changed', { ids: jobIds, all: false });
      s.engine.push.kick();
      return { ok: true as const };
    },
  };
}
