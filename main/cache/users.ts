// Users, their team memberships (roles) and the role list, as last seen on the server, plus users
// created offline (negative local ids) until the server gives them an id.
import type { RoleInfo, UserInfo } from '../supervisely/types';
import type { Db } from './db';

export interface MemberRow {
  id: number;
  login: string;
  name: string | null;
  roleId: number | null;
  role: string | null;
  disabled: boolean;
  pending: boolean;
}

export function createUsersRepo(db: Db) {
  const upsertUser = db.prepare(`INSERT INTO users (id, login, name, email, disabled, local, info) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET login = excluded.login, name = excluded.name, email = excluded.email,
    disabled = excluded.disabled, local = excluded.local, info = excluded.info`);
  const upsertMember = db.prepare(`INSERT INTO memberships (team_id, user_id, role_id, role) VALUES (?, ?, ?, ?)
    ON CONFLICT(team_id, user_id) DO UPDATE SET role_id = excluded.role_id, role = excluded.role`);
  const busyMembers = db
    .prepare(
      `SELECT DISTINCT json_extract(payload, '$.userId') FROM outbox
      WHERE kind IN ('user.addToTeam', 'user.changeRole') AND json_extract(payload, '$.teamId') = ?
        AND (state IN ('pending', 'sending', 'needs_checking') OR updated_at >= ?)`,
    )
    .pluck();
  return {
    /**
     * One team's member list from the server, asked for at `listedSince`. Users created offline are
     * kept, and so is every membership with a membership change queued, in flight, or resolved after
     * the list was asked for: the list cannot know of it yet (the jobs list has the same rule).
     */
    replaceMembers(teamId: number, members: readonly UserInfo[], listedSince: string): void {
      const busy = new Set(busyMembers.all(teamId, listedSince) as number[]);
      const keep = new Set(members.map((m) => m.id));
      const existing = db.prepare('SELECT user_id FROM memberships WHERE team_id = ? AND user_id > 0').pluck().all(teamId) as number[];
      for (const id of existing) {
        if (!keep.has(id) && !busy.has(id)) db.prepare('DELETE FROM memberships WHERE team_id = ? AND user_id = ?').run(teamId, id);
      }
      for (const m of members) {
        upsertUser.run(m.id, m.login, m.name, m.email, m.disabled ? 1 : 0, 0, JSON.stringify(m));
        if (!busy.has(m.id)) upsertMember.run(teamId, m.id, m.roleId, m.role);
      }
    },
    upsertUser(user: { id: number; login: string; name: string | null; email: string | null; disabled: boolean; local: boolean }): void {
      upsertUser.run(user.id, user.login, user.name, user.email, user.disabled ? 1 : 0, user.local ? 1 : 0, JSON.stringify(user));
    },
    setMembership(teamId: number, userId: number, roleId: number, role: string | null): void {
      upsertMember.run(teamId, userId, roleId, role);
    },
    replaceRoles(roles: readonly RoleInfo[]): void {
      db.prepare('DELETE FROM roles').run();
      const stmt = db.prepare('INSERT INTO roles (id, role) VALUES (?, ?)');
      for (const r of roles) stmt.run(r.id, r.role);
    },
    roles(): { id: number; role: string }[] {
      return db.prepare('SELECT id, role FROM roles ORDER BY id').all() as { id: number; role: string }[];
    },
    roleName(roleId: number): string | null {
      return (db.prepare('SELECT role FROM roles WHERE id = ?').pluck().get(roleId) as string | undefined) ?? null;
    },
    login(userId: number): string | null {
      return (db.prepare('SELECT login FROM users WHERE id = ?').pluck().get(userId) as string | undefined) ?? null;
    },
    /** Members of a team; `pending` = created or changed offline and not confirmed yet. */
    members(teamId: number): MemberRow[] {
      return (
        db
          .prepare(
            `SELECT u.id, u.login, u.name, m.role_id AS roleId, m.role, u.disabled,
          (u.local = 1 OR EXISTS (SELECT 1 FROM outbox o WHERE o.state IN ('pending','sending')
            AND o.kind IN ('user.create','user.addToTeam','user.changeRole')
            AND json_extract(o.payload, '$.userId') = u.id)) AS pending
        FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? ORDER BY u.login, u.id`,
          )
          .all(teamId) as (Omit<MemberRow, 'disabled' | 'pending'> & { disabled: number; pending: number })[]
      ).map((r) => ({ ...r, disabled: r.disabled === 1, pending: r.pending === 1 }));
    },
    changeId(localId: number, serverId: number): void {
      db.prepare('DELETE FROM users WHERE id = ?').run(serverId);
      db.prepare('UPDATE users SET id = ?, local = 0 WHERE id = ?').run(serverId, localId);
      db.prepare('DELETE FROM memberships WHERE user_id = ? AND team_id IN (SELECT team_id FROM memberships WHERE user_id = ?)').run(
        serverId,
        localId,
      );
      db.prepare('UPDATE memberships SET user_id = ? WHERE user_id = ?').run(serverId, localId);
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
