// The login endpoint outside the API (POST /api/account, form login/password → {token: JWT}) used by
// the SDK's Api.from_credentials (supervisely-api.md §1.10).
import type { DB } from './store';
import { HttpError, badRequest, unauthorized } from './errors';
import { getKv } from './store';
import { signJwt, verifyPassword } from './secrets';
import { recordActivity } from './handlers/activity';

interface LoginUser {
  id: number;
  login: string;
  password_hash: string;
  token: string;
  disabled: number;
  name: string | null;
  email: string | null;
}

/** Parses the form (or JSON) body, checks the password and returns the JWT. */
export function login(db: DB, rawBody: string, contentType: string): { token: string } {
  let fields: Record<string, unknown>;
  if (contentType.includes('application/json')) {
    try {
      fields = JSON.parse(rawBody || '{}') as Record<string, unknown>;
    } catch {
      throw badRequest('The request body is not valid JSON', 'Malformed JSON');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(rawBody));
  }
  const { login: userLogin, password } = fields;
  if (typeof userLogin !== 'string' || !userLogin || typeof password !== 'string') {
    throw badRequest('Send form fields login and password (application/x-www-form-urlencoded)');
  }
  const user = db.prepare('SELECT id, login, password_hash, token, disabled, name, email FROM users WHERE login = ?').get(userLogin) as
    LoginUser | undefined;
  if (!user || !verifyPassword(password, user.password_hash)) throw unauthorized('Wrong login or password');
  if (user.disabled) throw new HttpError(403, 'Forbidden', `User '${user.login}' is disabled`);
  const team = db
    .prepare(`SELECT t.id, t.name, m.role_id FROM members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY t.id LIMIT 1`)
    .get(user.id) as { id: number; name: string; role_id: number } | undefined;
  const ws = team
    ? (db.prepare('SELECT id, name FROM workspaces WHERE team_id = ? ORDER BY id LIMIT 1').get(team.id) as
        { id: number; name: string } | undefined)
    : undefined;
  const now = new Date().toISOString();
  db.prepare('UPDATE users SET logins = logins + 1, last_login = ? WHERE id = ?').run(now, user.id);
  if (team) recordActivity(db, { teamId: team.id, userId: user.id, action: 'login', date: now });
  const claims = {
    id: user.id,
    login: user.login,
    name: user.name,
    email: user.email,
    apiToken: user.token,
    group: team ? { id: team.id, name: team.name, roleId: team.role_id } : null,
    workspace: ws ? { id: ws.id, name: ws.name } : null,
    iat: Math.floor(Date.now() / 1000),
  };
  return { token: signJwt(claims, getKv(db, 'jwt_secret') ?? 'local-server') };
}
