// users.*, members.* and roles.list over real HTTP: happy paths, admin-only rules, 404/400 cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTeamUser, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

let server: TestLocalServer;
beforeAll(async () => {
  server = await startTestLocalServer();
});
afterAll(() => server.stop());

describe('users', () => {
  it('creates users from id 101 and returns users.info with teams', async () => {
    const add = await server.call('users.add', { login: 'labeler_1', password: '11111abc', isRestricted: true, name: '', email: '' });
    expect(add.status).toBe(200);
    expect(add.body).toEqual({ userId: 101 });
    const info = await server.call('users.info', { id: 101 });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ id: 101, login: 'labeler_1', role: null, roleId: null, disabled: false, teams: [] });
    await server.call('members.add', { login: 'labeler_1', teamId: 8, roleId: 3 });
    const after = await server.call('users.info', { id: 101 });
    expect(after.body.teams).toEqual([{ id: 8, name: 'my_team', roleId: 3, role: 'annotator' }]);
  });

  it('refuses a duplicate login with 400', async () => {
    const dup = await server.call('users.add', { login: 'labeler_1', password: 'x', isRestricted: false, name: '', email: '' });
    expect(dup.status).toBe(400);
    expect(errorMessage(dup)).toContain("'labeler_1' already exists");
  });

  it('validates users.add bodies', async () => {
    const missing = await server.call('users.add', { password: 'x' });
    expect(missing.status).toBe(400);
    expect(errorMessage(missing)).toContain('login');
    const wrongType = await server.call('users.add', { login: 'x1', password: 'x', isRestricted: 'yes' });
    expect(wrongType.status).toBe(400);
    expect(errorMessage(wrongType)).toContain('isRestricted');
  });

  it('looks users up by login (users.list filter) and 404s unknown ids', async () => {
    const found = await server.call('users.list', {
      filter: [{ field: 'login', operator: '=', value: 'labeler_1' }],
      sort: 'id',
      sort_order: 'asc',
    });
    expect(found.body).toMatchObject({ total: 1, perPage: 500, pagesCount: 1 });
    expect(found.body.entities[0]).toMatchObject({ id: 101, login: 'labeler_1' });
    const none = await server.call('users.list', { filter: [{ field: 'login', operator: '=', value: 'no_such_user' }] });
    expect(none.body).toEqual({ total: 0, perPage: 500, pagesCount: 0, entities: [] });
    expect((await server.call('users.info', { id: 999 })).status).toBe(404);
  });

  it('users.me answers the token owner; users.editInfo and users.disable work for admins', async () => {
    const me = await server.call('users.me', {});
    expect(me.body).toMatchObject({ id: 7, login: 'my_username' });
    expect((await server.call('users.editInfo', { id: 101, name: 'Labeler One' })).status).toBe(200);
    expect((await server.call('users.info', { id: 101 })).body.name).toBe('Labeler One');
    await server.call('users.add', { login: 'to_disable', password: 'x', isRestricted: false, name: '', email: '' });
    const id = (await server.call('users.list', { filter: [{ field: 'login', operator: '=', value: 'to_disable' }] })).body.entities[0].id;
    const token = server.tokenFor('to_disable');
    expect((await server.call('users.me', {}, token)).status).toBe(200);
    expect((await server.call('users.disable', { id, disable: true })).status).toBe(200);
    expect((await server.call('users.me', {}, token)).status).toBe(401);
    expect((await server.call('users.disable', { id, disable: false })).status).toBe(200);
    expect((await server.call('users.me', {}, token)).status).toBe(200);
    expect((await server.call('users.disable', { id: 7, disable: true })).status).toBe(400);
  });
});

describe('members', () => {
  it('lists members with their role, filters by login and id', async () => {
    const all = await server.call('members.list', { teamId: 8, filter: [] });
    expect(all.status).toBe(200);
    expect(all.body.entities.map((u: { login: string; role: string }) => [u.login, u.role])).toEqual([
      ['my_username', 'admin'],
      ['labeler_1', 'annotator'],
    ]);
    const byLogin = await server.call('members.list', { teamId: 8, filter: [{ field: 'login', operator: '=', value: 'labeler_1' }] });
    expect(byLogin.body.entities).toHaveLength(1);
    const byId = await server.call('members.list', { teamId: 8, filter: [{ field: 'id', operator: '=', value: '7' }] });
    expect(byId.body.entities[0].login).toBe('my_username');
  });

  it('members.add: unknown login 404, already a member 400, bad role 400, unknown team 404', async () => {
    const unknown = await server.call('members.add', { login: 'ghost', teamId: 8, roleId: 3 });
    expect(unknown.status).toBe(404);
    expect(errorMessage(unknown)).toContain('ghost');
    expect((await server.call('members.add', { login: 'labeler_1', teamId: 8, roleId: 3 })).status).toBe(400);
    expect((await server.call('members.add', { login: 'to_disable', teamId: 8, roleId: 9 })).status).toBe(400);
    expect((await server.call('members.add', { login: 'to_disable', teamId: 999, roleId: 3 })).status).toBe(404);
  });

  it('members.editInfo changes the role; members.remove removes; the last admin stays', async () => {
    await server.call('members.add', { login: 'to_disable', teamId: 8, roleId: 4 });
    const id = (await server.call('members.list', { teamId: 8, filter: [{ field: 'login', operator: '=', value: 'to_disable' }] })).body
      .entities[0].id;
    expect((await server.call('members.editInfo', { id, teamId: 8, roleId: 5 })).status).toBe(200);
    expect((await server.call('users.info', { id })).body.teams[0]).toMatchObject({ id: 8, roleId: 5, role: 'manager' });
    expect((await server.call('members.remove', { id, teamId: 8 })).status).toBe(200);
    expect((await server.call('users.info', { id })).body.teams).toEqual([]);
    expect((await server.call('members.remove', { id, teamId: 8 })).status).toBe(404);
    expect((await server.call('members.editInfo', { id: 7, teamId: 8, roleId: 3 })).status).toBe(400);
  });
});

describe('permissions', () => {
  it('non-admins cannot create users, add members or list users (403 with a message)', async () => {
    await addTeamUser(server, 'mgr', 5);
    const token = server.tokenFor('mgr');
    const add = await server.call('users.add', { login: 'x9', password: 'x', isRestricted: false, name: '', email: '' }, token);
    expect(add.status).toBe(403);
    expect(errorMessage(add)).toMatch(/administrator/);
    expect((await server.call('members.add', { login: 'labeler_1', teamId: 8, roleId: 3 }, token)).status).toBe(403);
    expect((await server.call('users.list', { filter: [] }, token)).status).toBe(403);
    expect((await server.call('members.editInfo', { id: 101, teamId: 8, roleId: 5 }, token)).status).toBe(403);
    // nothing changed
    expect((await server.call('users.list', { filter: [{ field: 'login', operator: '=', value: 'x9' }] })).body.total).toBe(0);
  });

  it('a non-admin sees co-members in users.info but not strangers', async () => {
    await server.call('users.add', { login: 'stranger', password: 'x', isRestricted: false, name: '', email: '' });
    const stranger = (await server.call('users.list', { filter: [{ field: 'login', operator: '=', value: 'stranger' }] })).body.entities[0]
      .id;
    const token = server.tokenFor('labeler_1');
    expect((await server.call('users.info', { id: 7 }, token)).status).toBe(200);
    expect((await server.call('users.info', { id: stranger }, token)).status).toBe(404);
  });
});

describe('roles', () => {
  it('lists all six roles, paginates and filters', async () => {
    const all = await server.call('roles.list', { filter: [], sort: 'id', sort_order: 'asc' });
    expect(all.body.entities.map((r: { id: number; role: string }) => `${r.id}:${r.role}`)).toEqual([
      '1:admin',
      '2:developer',
      '3:annotator',
      '4:viewer',
      '5:manager',
      '6:reviewer',
    ]);
    expect(all.body.entities[0]).toHaveProperty('createdAt');
    const page2 = await server.call('roles.list', { filter: [], sort: 'id', sort_order: 'asc', page: 2, per_page: 4 });
    expect(page2.body).toMatchObject({ total: 6, perPage: 4, pagesCount: 2 });
    expect(page2.body.entities.map((r: { id: number }) => r.id)).toEqual([5, 6]);
    const one = await server.call('roles.list', { filter: [{ field: 'role', operator: '=', value: 'manager' }] });
    expect(one.body.entities).toEqual([expect.objectContaining({ id: 5, role: 'manager' })]);
  });
});
