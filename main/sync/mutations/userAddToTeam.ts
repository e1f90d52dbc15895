// user.addToTeam: makes a user a member of a team with a role (members.add). Not idempotent: an add
// sent before is checked with the user's role in the team, and the role corrected if it differs.
import { z } from 'zod';
import { remapUserId, roleLabel, showMembership, userLabel, userSubjects } from './membership';
import { defineMutation } from './spec';

const Id = z.number().int();

export const userAddToTeam = defineMutation({
  schema: z.object({ userId: Id, teamId: Id, roleId: Id }),
  creates: false,
  subjects: userSubjects,
  remap: remapUserId,
  summary: (cache, p) => `Add ${userLabel(cache, p.userId)} to team ${p.teamId} as ${roleLabel(cache, p.roleId)}`,
  optimistic: showMembership,
  send: ({ api }, p) => api.users.addToTeam(p.userId, p.teamId, p.roleId),
  async reconcile({ api }, p) {
    const membership = await api.users.getTeamRole(p.userId, p.teamId);
    if (!membership) return undefined;
    if (membership.roleId !== p.roleId) await api.users.changeTeamRole(p.userId, p.teamId, p.roleId);
    return { alreadyMember: true };
  },
  apply: (_cache, _p, answer) => ({ result: answer }),
});
