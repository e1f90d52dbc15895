// user.create: a new user account (users.add), queued with a local id. users.add is not idempotent:
// a create sent before is looked up by login first. The password is dropped once the server has it.
import { z } from 'zod';
import { defineMutation } from './spec';

const schema = z.object({
  userId: z.number().int(),
  login: z.string().min(1),
  password: z.string(),
  isRestricted: z.boolean(),
  name: z.string(),
  email: z.string(),
});

export const userCreate = defineMutation({
  schema,
  creates: true,
  subjects: (p) => ({ writes: [`user:${p.userId}`], reads: [] }),
  // it makes the user: nothing it refers to can be remapped
  remap: () => null,
  summary: (_cache, p) => `Create user ${p.login}`,
  optimistic: () => {},
  send({ api }, p) {
    const { userId: _local, ...input } = p;
    return api.users.create(input);
  },
  reconcile: async ({ api }, p) => (await api.users.getInfoByLogin(p.login)) ?? undefined,
  created: (p, answer) => ({ kind: 'user', localId: p.userId, serverId: (answer as { id: number }).id }),
  apply: (_cache, p, answer) => ({ result: { serverId: (answer as { id: number }).id }, payload: { ...p, password: '' } }),
  discard(cache, p) {
    cache.db.prepare('DELETE FROM memberships WHERE user_id = ?').run(p.userId);
    cache.db.prepare('DELETE FROM users WHERE id = ? AND local = 1').run(p.userId);
  },
});
