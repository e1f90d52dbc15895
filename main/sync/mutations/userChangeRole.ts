// user.changeRole: gives a team member another role (members.edit-role; setting the same role twice is harmless).
import { z } from 'zod';
import { remapUserId, roleLabel, showMembership, userLabel, userSubjects } from './membership';
import { defineMutation } from './spec';

const Id = z.number().int();

export const userChangeRole = defineMutation({
  schema: z.object({ userId: Id, teamId: Id, roleId: Id }),
  creates: false,
  subjects: userSubjects,
  remap: remapUserId,
  summary: (cache, p) => `Change role of ${userLabel(cache, p.userId)} in team ${p.teamId} as ${roleLabel(cache, p.roleId)}`,
  optimistic: showMembership,
  send: ({ api }, p) => api.users.changeTeamRole(p.userId, p.teamId, p.roleId),
  apply: (_cache, _p, answer) => ({ result: answer }),
});
