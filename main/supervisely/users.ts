// api.user of the SDK over users.* and members.* (supervisely-api.md §4.2, §4.3): lookups, creation (non-idempotent),
// team membership by login, team roles and members.
import type { SuperviselyApi } from './api';
import { ApiError } from './errors';
import { addedUserWire, userInfoWire, userWire } from './schemas';
import { callIgnoringAnswer, callParsed, eq, infoOrNull, listAll, readBackCreated, type ResourceContext } from './context';
import type { Membership, UserInfo } from './types';

export type UsersApi = SuperviselyApi['users'];

/** users.add with all five keys, as the SDK sends them. */
export function usersAddBody(input: { login: string; password: string; isRestricted?: boolean; name?: string; email?: string }) {
  return {
    login: input.login,
    password: input.password,
    isRestricted: input.isRestricted ?? false,
    name: input.name ?? '',
    email: input.email ?? '',
  };
}

export function createUsersApi(ctx: ResourceContext): UsersApi {
  const getInfoById: UsersApi['getInfoById'] = (id, o) => infoOrNull(ctx, 'users.info', { id }, userInfoWire, o);

  const requireUser = async (id: number, o?: { signal?: AbortSignal }): Promise<UserInfo> => {
    const user = await getInfoById(id, o);
    if (!user) throw new ApiError('not_found', `User ${id} does not exist or is not visible to this token`, 'users.info', { status: 404 });
    return user;
  };

  const getTeams: UsersApi['getTeams'] = async (userId, o) => {
    // The SDK does not turn a 404 into an empty list here: the error propagates.
    const user = await callParsed(ctx, 'users.info', { id: userId }, userInfoWire, o);
    return user.teams ?? [];
  };

  return {
    getInfoById,
    async getInfoByLogin(login, o) {
      const found = await listAll(ctx, 'users.list', { filter: [eq('login', login)] }, userWire, o);
      if (found.length > 1) {
        throw new ApiError(
          'malformed_response',
          `users.list answered ${found.length} users with login '${login}'; logins should be unique`,
          'users.list',
          { field: 'login' },
        );
      }
      return found[0] ?? null;
    },
    getMyInfo: (o) => callParsed(ctx, 'users.me', {}, userWire, o),
    list: (o) => listAll(ctx, 'users.list', { filter: [] }, userWire, o),
    async create(input, o) {
      const userId = await callParsed(ctx, 'users.add', usersAddBody(input), addedUserWire, o);
      return readBackCreated(userId, () => requireUser(userId, o));
    },
    async addToTeam(userId, teamId, roleId, o) {
      // The SDK learns the login first: members.add takes a login, not an id.
      const user = await requireUser(userId, o);
      await callIgnoringAnswer(ctx, 'members.add', { login: user.login, teamId, roleId }, o);
    },
    removeFromTeam: (userId, teamId, o) => callIgnoringAnswer(ctx, 'members.remove', { id: userId, teamId }, o),
    getTeams,
    async getTeamRole(userId, teamId, o): Promise<Membership | null> {
      return (await getTeams(userId, o)).find((m) => m.id === teamId) ?? null;
    },
    changeTeamRole: (userId, teamId, roleId, o) => callIgnoringAnswer(ctx, 'members.editInfo', { id: userId, teamId, roleId }, o),
    getTeamMembers: (teamId, o) => listAll(ctx, 'members.list', { teamId, filter: [] }, userWire, o),
  };
}
