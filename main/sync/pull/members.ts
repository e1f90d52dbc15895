// Roles and each team's members: one list each, failing alone (a role may not read members.list).
import { runList, type PullContext } from './context';

export async function pullMembers(ctx: PullContext, teamIds: readonly number[]): Promise<void> {
  const { cache, api } = ctx;
  await runList(
    ctx,
    'roles',
    () => api.roles.list(ctx.call),
    (r) => {
      cache.users.replaceRoles(r);
      return r.length;
    },
  );
  for (const teamId of teamIds) {
    // local clock, as the outbox's timestamps it is compared with
    const listedSince = ctx.now().toISOString();
    await runList(
      ctx,
      `members:${teamId}`,
      () => api.users.getTeamMembers(teamId, ctx.call),
      (m) => {
        cache.users.replaceMembers(teamId, m, listedSince);
        return m.length;
      },
    );
  }
}
