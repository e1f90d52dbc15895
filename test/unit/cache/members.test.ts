// A team's member list from the server replaces the cached one, except for memberships the user is
// changing: a queued (or in-flight) add or role change, or one that resolved after the list was read.
import { afterEach, describe, expect, it } from 'vitest';
import type { UserInfo } from '../../../main/supervisely/types';
import { tempCache } from './helpers';

const TEAM = 8;
const user = (id: number, login: string, roleId = 2, role = 'annotator'): UserInfo =>
  ({ id, login, name: null, email: null, disabled: false, roleId, role }) as UserInfo;

let t: ReturnType<typeof tempCache>;
afterEach(() => t.cleanup());

function setup() {
  t = tempCache();
  const { users, outbox } = t.cache;
  users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin'), user(2, 'anna')], '2026-01-01T00:00:00.000Z');
  users.upsertUser({ id: 3, login: 'bob', name: null, email: null, disabled: false, local: false });
  return { users, outbox };
}
const logins = () => t.cache.users.members(TEAM).map((m) => `${m.login}:${m.role}`);

describe('users.replaceMembers', () => {
  it('drops a membership the server no longer lists', () => {
    const { users } = setup();
    users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin')], '2026-01-02T00:00:00.000Z');
    expect(logins()).toEqual(['admin:admin']);
  });

  it('keeps a membership added offline while its add is queued', () => {
    const { users, outbox } = setup();
    users.setMembership(TEAM, 3, 2, 'annotator');
    outbox.enqueue(
      { kind: 'user.addToTeam', payload: { userId: 3, teamId: TEAM, roleId: 2 }, summary: 'add bob', batchId: null, jobIds: [] },
      '2026-01-02T00:00:00.000Z',
    );
    users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin'), user(2, 'anna')], '2026-01-02T00:00:01.000Z');
    expect(logins()).toEqual(['admin:admin', 'anna:annotator', 'bob:annotator']);
  });

  it('keeps a membership whose add was confirmed after the list was read, and drops it once a later list omits it', () => {
    const { users, outbox } = setup();
    users.setMembership(TEAM, 3, 2, 'annotator');
    const id = outbox.enqueue(
      { kind: 'user.addToTeam', payload: { userId: 3, teamId: TEAM, roleId: 2 }, summary: 'add bob', batchId: null, jobIds: [] },
      '2026-01-02T00:00:00.000Z',
    );
    outbox.markDone(id, { ok: true }, '2026-01-02T00:00:05.000Z');
    // the list was asked for at :03, before the add reached the server: its answer cannot know bob
    users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin'), user(2, 'anna')], '2026-01-02T00:00:03.000Z');
    expect(logins()).toContain('bob:annotator');
    // a list asked for after the add resolved is the truth
    users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin'), user(2, 'anna')], '2026-01-02T00:00:06.000Z');
    expect(logins()).not.toContain('bob:annotator');
  });

  it('keeps a role changed offline instead of the role the server still reports', () => {
    const { users, outbox } = setup();
    users.setMembership(TEAM, 2, 3, 'reviewer');
    outbox.enqueue(
      { kind: 'user.changeRole', payload: { userId: 2, teamId: TEAM, roleId: 3 }, summary: 'anna reviewer', batchId: null, jobIds: [] },
      '2026-01-02T00:00:00.000Z',
    );
    users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin'), user(2, 'anna')], '2026-01-02T00:00:01.000Z');
    expect(logins()).toEqual(['admin:admin', 'anna:reviewer']);
  });

  it('ignores changes queued for another team', () => {
    const { users, outbox } = setup();
    outbox.enqueue(
      { kind: 'user.addToTeam', payload: { userId: 2, teamId: 99, roleId: 2 }, summary: 'anna to 99', batchId: null, jobIds: [] },
      '2026-01-02T00:00:00.000Z',
    );
    users.replaceMembers(TEAM, [user(1, 'admin', 1, 'admin')], '2026-01-02T00:00:01.000Z');
    expect(logins()).toEqual(['admin:admin']);
  });
});
