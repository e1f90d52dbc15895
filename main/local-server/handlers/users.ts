// Users, team members and roles: users.* (info/list/add/disable/editInfo/me), members.*
// (list/add/remove/editInfo) and roles.list (supervisely-api.md §4), with the admin-only rules of §7.5.
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { badRequest, notFound } from '../errors';
import { ROLES, ROLE_NAME, isAnyAdmin, requireAnyAdmin, requireTeamAdmin, requireTeamRole } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { envelope, parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';
import { hashPassword, randomToken } from '../secrets';
import { recordActivity } from './activity';

interface UserRow {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  is_restricted: number;
  disabled: number;
  logins: number;
  last_login: string | null;
  created_at: string;
  updated_at: string;
  role_id?: number | null;
}

function userJson(u: UserRow): Record<string, unknown> {
  const roleId = u.role_id ?? null;
  return {
    id: u.id,
    login: u.login,
    name: u.name,
    email: u.email,
    role: roleId === null ? null : ROLE_NAME[roleId],
    roleId,
    logins: u.logins,
    disabled: u.disabled === 1,
    isRestricted: u.is_restricted === 1,
    lastLogin: u.last_login,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}

const USER_COLUMNS = 'u.id, u.login, u.name, u.email, u.is_restricted, u.disabled, u.logins, u.last_login, u.created_at, u.updated_at';
const USER_FIELDS: FieldMap = {
  id: { column: 'u.id', type: 'int' },
  login: { column: 'u.login', type: 'string', like: true },
  name: { column: 'u.name', type: 'string', like: true },
  email: { column: 'u.email', type: 'string', like: true },
  createdAt: { column: 'u.created_at', type: 'timestamp' },
};
const USER_SORT = {
  id: 'u.id',
  login: 'u.login',
  name: 'u.name',
  createdAt: 'u.created_at',
  updatedAt: 'u.updated_at',
  lastLogin: 'u.last_login',
};

function readUser(ctx: Ctx, id: number): UserRow | undefined {
  return ctx.db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`).get(id) as UserRow | undefined;
}

/** Admins see every user; others see themselves and the members of their own teams. */
function requireVisibleUser(ctx: Ctx, id: number): UserRow {
  const user = readUser(ctx, id);
  const visible =
    user &&
    (isAnyAdmin(ctx) ||
      id === ctx.caller.id ||
      ctx.db
        .prepare('SELECT 1 FROM members a JOIN members b ON a.team_id = b.team_id WHERE a.user_id = ? AND b.user_id = ?')
        .get(ctx.caller.id, id));
  if (!user || !visible) throw notFound(`User with id ${id} doesn't exist or you don't have access to it`);
  return user;
}

/** The user's teams that the caller can see (instance admins: all of them). */
function teamsOf(ctx: Ctx, userId: number) {
  const rows = ctx.db
    .prepare(
      `SELECT t.id, t.name, m.role_id FROM members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ?
       AND (? OR m.team_id IN (SELECT team_id FROM members WHERE user_id = ?)) ORDER BY t.id`,
    )
    .all(userId, ctx.caller.isAdmin ? 1 : 0, ctx.caller.id) as { id: number; name: string; role_id: number }[];
  return rows.map((t) => ({ id: t.id, name: t.name, roleId: t.role_id, role: ROLE_NAME[t.role_id] }));
}

const idBody = z.object({ id: idSchema });

function userInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(idBody, body, ctx.method);
  return { ...userJson(requireVisibleUser(ctx, id)), teams: teamsOf(ctx, id) };
}

function me(ctx: Ctx) {
  return { ...userJson(readUser(ctx, ctx.caller.id)!), teams: teamsOf(ctx, ctx.caller.id) };
}

function listUsers(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ filter: optionalFilter }), body, ctx.method);
  requireAnyAdmin(ctx, 'list or look up users');
  const page = parsePage(body);
  const { total, rows } = queryPage<UserRow>(
    ctx.db,
    {
      select: USER_COLUMNS,
      from: 'users u',
      where: compileFilters(req.filter, USER_FIELDS, ctx.method),
      orderBy: parseSort(body, USER_SORT, 'u.id', ctx.method),
    },
    page,
  );
  return envelope(total, page, rows.map(userJson));
}

const addSchema = z.object({
  login: z.string().trim().min(1).max(255).regex(/^\S+$/, 'must not contain spaces'),
  password: z.string().min(1).max(1000),
  isRestricted: z.boolean().default(false),
  name: z.string().max(255).nullish(),
  email: z.string().max(255).nullish(),
});

function addUser(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(addSchema, body, ctx.method);
  requireAnyAdmin(ctx, 'create users');
  if (ctx.db.prepare('SELECT 1 FROM users WHERE login = ?').get(req.login)) {
    throw badRequest(`A user with login '${req.login}' already exists`, 'Duplicate login');
  }
  const info = ctx.db
    .prepare(`INSERT INTO users (login, password_hash, name, email, is_restricted, token, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`)
    .run(req.login, hashPassword(req.password), req.name ?? '', req.email ?? '', req.isRestricted ? 1 : 0, randomToken(), ctx.now, ctx.now);
  return { userId: Number(info.lastInsertRowid) };
}

function disableUser(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, disable: z.boolean() }), body, ctx.method);
  requireAnyAdmin(ctx, 'disable or enable users');
  if (!readUser(ctx, req.id)) throw notFound(`User with id ${req.id} doesn't exist`);
  if (req.id === ctx.caller.id && req.disable) throw badRequest('You cannot disable your own account');
  ctx.db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(req.disable ? 1 : 0, ctx.now, req.id);
  return { success: true };
}

function editUser(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(
    z.object({ id: idSchema, password: z.string().min(1).optional(), name: z.string().max(255).optional() }),
    body,
    ctx.method,
  );
  if (req.id !== ctx.caller.id) requireAnyAdmin(ctx, "edit another user's account");
  if (!readUser(ctx, req.id)) throw notFound(`User with id ${req.id} doesn't exist`);
  if (req.password !== undefined) ctx.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hashPassword(req.password), req.id);
  if (req.name !== undefined) ctx.db.prepare('UPDATE users SET name = ? WHERE id = ?').run(req.name, req.id);
  ctx.db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(ctx.now, req.id);
  return { success: true };
}

const MEMBER_FIELDS: FieldMap = { ...USER_FIELDS, roleId: { column: 'm.role_id', type: 'int' } };

function listMembers(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ teamId: idSchema, filter: optionalFilter }), body, ctx.method);
  requireTeamRole(ctx, req.teamId);
  const where = compileFilters(req.filter, MEMBER_FIELDS, ctx.method);
  where.clauses.unshift('m.team_id = ?');
  where.params.unshift(req.teamId);
  const page = parsePage(body);
  const { total, rows } = queryPage<UserRow>(
    ctx.db,
    {
      select: `${USER_COLUMNS}, m.role_id`,
      from: 'members m JOIN users u ON u.id = m.user_id',
      where,
      orderBy: parseSort(body, { ...USER_SORT, roleId: 'm.role_id' }, 'u.id', ctx.method),
    },
    page,
  );
  return envelope(total, page, rows.map(userJson));
}

const roleId = z.number().int().min(1).max(6);

function memberRole(ctx: Ctx, teamId: number, userId: number): number {
  const row = ctx.db.prepare('SELECT role_id FROM members WHERE team_id = ? AND user_id = ?').get(teamId, userId) as
    { role_id: number } | undefined;
  if (!row) throw notFound(`User ${userId} is not a member of team ${teamId}`);
  return row.role_id;
}

function keepOneAdmin(ctx: Ctx, teamId: number, userId: number): void {
  const admins = ctx.db.prepare('SELECT COUNT(*) AS n FROM members WHERE team_id = ? AND role_id = 1').get(teamId) as { n: number };
  if (memberRole(ctx, teamId, userId) === 1 && admins.n <= 1) throw badRequest(`User ${userId} is the last admin of team ${teamId}`);
}

function addMember(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ login: z.string().min(1), teamId: idSchema, roleId }), body, ctx.method);
  requireTeamAdmin(ctx, req.teamId, 'add members');
  const user = ctx.db.prepare('SELECT id FROM users WHERE login = ?').get(req.login) as { id: number } | undefined;
  if (!user) throw notFound(`No user with login '${req.login}'`);
  if (ctx.db.prepare('SELECT 1 FROM members WHERE team_id = ? AND user_id = ?').get(req.teamId, user.id)) {
    throw badRequest(`User '${req.login}' is already a member of team ${req.teamId}`, 'Already a member');
  }
  ctx.db
    .prepare('INSERT INTO members (team_id, user_id, role_id, created_at) VALUES (?,?,?,?)')
    .run(req.teamId, user.id, req.roleId, ctx.now);
  recordActivity(ctx.db, {
    teamId: req.teamId,
    userId: ctx.caller.id,
    action: 'add_member',
    date: ctx.now,
    meta: { userId: user.id, login: req.login, roleId: req.roleId },
  });
  return { userId: user.id };
}

function removeMember(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, teamId: idSchema }), body, ctx.method);
  requireTeamAdmin(ctx, req.teamId, 'remove members');
  keepOneAdmin(ctx, req.teamId, req.id);
  ctx.db.prepare('DELETE FROM members WHERE team_id = ? AND user_id = ?').run(req.teamId, req.id);
  recordActivity(ctx.db, { teamId: req.teamId, userId: ctx.caller.id, action: 'remove_member', date: ctx.now, meta: { userId: req.id } });
  return { success: true };
}

function editMember(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, teamId: idSchema, roleId }), body, ctx.method);
  requireTeamAdmin(ctx, req.teamId, 'change member roles');
  if (req.roleId !== 1) keepOneAdmin(ctx, req.teamId, req.id);
  const previous = memberRole(ctx, req.teamId, req.id);
  ctx.db.prepare('UPDATE members SET role_id = ? WHERE team_id = ? AND user_id = ?').run(req.roleId, req.teamId, req.id);
  recordActivity(ctx.db, {
    teamId: req.teamId,
    userId: ctx.caller.id,
    action: 'member_role_changed',
    date: ctx.now,
    meta: { userId: req.id, roleId: req.roleId, previousRoleId: previous },
  });
  return { success: true };
}

const ROLES_TABLE = `(SELECT column1 AS id, column2 AS role FROM (VALUES ${ROLES.map((r) => `(${r.id}, '${r.role}')`).join(',')}))`;
const ROLE_TIME = '2020-01-01T00:00:00.000Z';

function listRoles(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ filter: optionalFilter }), body, ctx.method);
  const fields: FieldMap = { id: { column: 'id', type: 'int' }, role: { column: 'role', type: 'string', like: true } };
  const page = parsePage(body);
  const { total, rows } = queryPage<{ id: number; role: string }>(
    ctx.db,
    {
      select: 'id, role',
      from: ROLES_TABLE,
      where: compileFilters(req.filter, fields, ctx.method),
      orderBy: parseSort(body, { id: 'id', role: 'role' }, 'id', ctx.method),
    },
    page,
  );
  return envelope(
    total,
    page,
    rows.map((r) => ({ ...r, createdAt: ROLE_TIME, updatedAt: ROLE_TIME })),
  );
}

export const userHandlers: HandlerMap = {
  'users.info': userInfo,
  'users.me': me,
  'users.list': listUsers,
  'users.add': addUser,
  'users.disable': disableUser,
  'users.editInfo': editUser,
  'members.list': listMembers,
  'members.add': addMember,
  'members.remove': removeMember,
  'members.editInfo': editMember,
  'roles.list': listRoles,
};
