// Teams and workspaces: teams.list/info, workspaces.list/info (supervisely-api.md §5.1, §5.2), and instance.version.
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { notFound } from '../errors';
import { ROLE_NAME, requireTeamRole } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { envelope, parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';

export const INSTANCE_VERSION = '6.17.8';

interface TeamRow {
  id: number;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  role_id: number | null;
}

function teamJson(t: TeamRow, role: number | null) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    role: role === null ? null : ROLE_NAME[role],
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    usage: { plan: 'free' },
  };
}

const TEAM_FIELDS: FieldMap = { id: { column: 't.id', type: 'int' }, name: { column: 't.name', type: 'string', like: true } };
const NAMED_SORT = (p: string) => ({ id: `${p}.id`, name: `${p}.name`, createdAt: `${p}.created_at`, updatedAt: `${p}.updated_at` });

/** The teams the caller belongs to; an instance admin sees every team (role admin where not a member). */
function listTeams(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ filter: optionalFilter }), body, ctx.method);
  const where = compileFilters(req.filter, TEAM_FIELDS, ctx.method);
  if (!ctx.caller.isAdmin) {
    where.clauses.unshift('m.role_id IS NOT NULL');
  }
  const page = parsePage(body);
  const { total, rows } = queryPage<TeamRow>(
    ctx.db,
    {
      select: 't.*, m.role_id',
      from: `teams t LEFT JOIN members m ON m.team_id = t.id AND m.user_id = ${ctx.caller.id}`,
      where,
      orderBy: parseSort(body, NAMED_SORT('t'), 't.id', ctx.method),
    },
    page,
  );
  return envelope(
    total,
    page,
    rows.map((t) => teamJson(t, t.role_id ?? 1)),
  );
}

function teamInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema }), body, ctx.method);
  const role = requireTeamRole(ctx, id);
  const team = ctx.db.prepare('SELECT * FROM teams WHERE id = ?').get(id) as TeamRow;
  return teamJson(team, role);
}

interface WorkspaceRow {
  id: number;
  team_id: number;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}
const wsJson = (w: WorkspaceRow) => ({
  id: w.id,
  name: w.name,
  description: w.description,
  teamId: w.team_id,
  createdAt: w.created_at,
  updatedAt: w.updated_at,
});

function listWorkspaces(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ teamId: idSchema, filter: optionalFilter }), body, ctx.method);
  requireTeamRole(ctx, req.teamId);
  const where = compileFilters(
    req.filter,
    { id: { column: 'w.id', type: 'int' }, name: { column: 'w.name', type: 'string', like: true } },
    ctx.method,
  );
  where.clauses.unshift('w.team_id = ?');
  where.params.unshift(req.teamId);
  const page = parsePage(body);
  const { total, rows } = queryPage<WorkspaceRow>(
    ctx.db,
    { select: 'w.*', from: 'workspaces w', where, orderBy: parseSort(body, NAMED_SORT('w'), 'w.id', ctx.method) },
    page,
  );
  return envelope(total, page, rows.map(wsJson));
}

/** A workspace the caller can see (member of its team), else 404. */
export function requireWorkspace(ctx: Ctx, id: number): WorkspaceRow {
  const ws = ctx.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
  if (!ws) throw notFound(`Workspace with id ${id} doesn't exist or you don't have access to it`);
  try {
    requireTeamRole(ctx, ws.team_id);
  } catch {
    throw notFound(`Workspace with id ${id} doesn't exist or you don't have access to it`);
  }
  return ws;
}

function workspaceInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema }), body, ctx.method);
  return wsJson(requireWorkspace(ctx, id));
}

export const teamHandlers: HandlerMap = {
  'instance.version': () => ({ version: INSTANCE_VERSION }),
  'teams.list': listTeams,
  'teams.info': teamInfo,
  'workspaces.list': listWorkspaces,
  'workspaces.info': workspaceInfo,
};
