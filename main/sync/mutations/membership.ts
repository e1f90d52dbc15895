// The parts shared by the two team-membership kinds: their subject is the user, whose local id is
// swapped for the server's once the user's create lands.
import type { Cache } from '../../cache';
import type { Subject } from './spec';

export interface MembershipPayload {
  userId: number;
  teamId: number;
  roleId: number;
}

export const userSubjects = (p: MembershipPayload) => ({ writes: [`user:${p.userId}` as Subject], reads: [] });

export function remapUserId(p: MembershipPayload, kind: 'job' | 'user', localId: number, serverId: number): MembershipPayload | null {
  return kind === 'user' && p.userId === localId ? { ...p, userId: serverId } : null;
}

export const userLabel = (cache: Cache, userId: number): string => cache.users.login(userId) ?? `user ${userId}`;

export const roleLabel = (cache: Cache, roleId: number): string => cache.users.roleName(roleId) ?? `role ${roleId}`;

/** The membership shown at once (and again after a pull replaced the team's members). */
export const showMembership = (cache: Cache, p: MembershipPayload) =>
  cache.users.setMembership(p.teamId, p.userId, p.roleId, cache.users.roleName(p.roleId));
