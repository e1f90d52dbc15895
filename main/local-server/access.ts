// Roles and permission rules: the six team roles, who may do what in a team, and the
// visibility rules for teams and jobs (supervisely-api.md §4.4, §7.5; strict readings documented in README).
import { forbidden, notFound } from './errors';
import type { Ctx } from './context';

export const ROLES = [
  { id: 1, role: 'admin' },
  { id: 2, role: 'developer' },
  { id: 3, role: 'annotator' },
  { id: 4, role: 'viewer' },
  { id: 5, role: 'manager' },
  { id: 6, role: 'reviewer' },
] as const;
export const ROLE_NAME: Record<number, string> = Object.fromEntries(ROLES.map((r) => [r.id, r.role]));
export const ROLE = { admin: 1, developer: 2, annotator: 3, viewer: 4, manager: 5, reviewer: 6 } as const;

/** Roles allowed to create labeling jobs (reviewer: "can also create labeling jobs"). */
export const CREATE_JOBS = [ROLE.admin, ROLE.developer, ROLE.manager, ROLE.reviewer];
/** Roles allowed to manage existing jobs (stop, archive, set status, edit, restart). */
export const MANAGE_JOBS = [ROLE.admin, ROLE.developer, ROLE.manager];
/** Roles allowed to remove jobs permanently (developer: only jobs they created). */
export const REMOVE_JOBS = [ROLE.admin, ROLE.developer];
/** Roles allowed to change a project's meta and settings. */
export const EDIT_PROJECTS = [ROLE.admin, ROLE.developer, ROLE.manager];
/** Roles that see only the jobs they take part in. */
export const OWN_JOBS_ONLY = [ROLE.annotator, ROLE.reviewer];

/** The caller's role in a team: membership role, or admin for instance admins; null = no access. */
export function roleInTeam(ctx: Ctx, teamId: number): number | null {
  const team = ctx.db.prepare('SELECT id FROM teams WHERE id = ?').get(teamId);
  if (!team) return null;
  const row = ctx.db.prepare('SELECT role_id FROM members WHERE team_id = ? AND user_id = ?').get(teamId, ctx.caller.id) as
    { role_id: number } | undefined;
  if (row) return row.role_id;
  return ctx.caller.isAdmin ? ROLE.admin : null;
}

/** The caller's role in the team, or 404 when the team does not exist or is not visible. */
export function requireTeamRole(ctx: Ctx, teamId: number): number {
  const role = roleInTeam(ctx, teamId);
  if (role === null) throw notFound(`Team with id ${teamId} doesn't exist or you are not a member of it`);
  return role;
}

export function requireRole(role: number, allowed: readonly number[], action: string): void {
  if (!allowed.includes(role)) {
    const names = allowed.map((r) => ROLE_NAME[r]).join(', ');
    throw forbidden(`Your role in this team (${ROLE_NAME[role]}) cannot ${action}; this needs one of: ${names}`);
  }
}

/** Instance admin, or admin (role 1) of at least one team. */
export function isAnyAdmin(ctx: Ctx): boolean {
  if (ctx.caller.isAdmin) return true;
  return !!ctx.db.prepare('SELECT 1 FROM members WHERE user_id = ? AND role_id = 1 LIMIT 1').get(ctx.caller.id);
}

export function requireAnyAdmin(ctx: Ctx, action: string): void {
  if (!isAnyAdmin(ctx)) throw forbidden(`Only an administrator can ${action}`);
}

/** Team admin of `teamId` (or instance admin). */
export function requireTeamAdmin(ctx: Ctx, teamId: number, action: string): void {
  const role = requireTeamRole(ctx, teamId);
  if (role !== ROLE.admin) throw forbidden(`Only an admin of team ${teamId} can ${action} (your role: ${ROLE_NAME[role]})`);
}

/** Whether a caller with `role` may see a job with these participants. */
export function canSeeJob(ctx: Ctx, role: number, job: { user_id: number; reviewer_id: number | null; created_by: number }): boolean {
  if (!(OWN_JOBS_ONLY as number[]).includes(role)) return true;
  const me = ctx.caller.id;
  if (job.user_id === me || job.reviewer_id === me) return true;
  return role === ROLE.reviewer && job.created_by === me;
}
