// Exactly once for calls the server does not make idempotent (jobs.add, users.add, members.add):
// before such an item is sent again (it was sent before: a lost answer, a crash, a restart), look
// on the server for what it would have made. Found → the item is done with that result.
import type { Cache } from '../cache';
import type { SuperviselyApi } from '../supervisely/api';
import type { Mutation, PayloadOf } from './mutations';

/** A job made by a create whose answer was lost has createdAt ≥ queued time minus this slack. */
export const CLOCK_SKEW_SLACK_MS = 10 * 60_000;

/** What the earlier send of `m` made on the server, or undefined when it did not get there. */
export async function findApplied(
  api: SuperviselyApi,
  cache: Cache,
  m: Mutation,
  me: () => Promise<{ id: number }>,
  log?: (line: string) => void,
): Promise<unknown> {
  if (m.kind === 'user.create') return (await api.users.getInfoByLogin(m.payload.login)) ?? undefined;
  if (m.kind === 'user.addToTeam') {
    const membership = await api.users.getTeamRole(m.payload.userId, m.payload.teamId);
    if (!membership) return undefined;
    if (membership.roleId !== m.payload.roleId) await api.users.changeTeamRole(m.payload.userId, m.payload.teamId, m.payload.roleId);
    return { alreadyMember: true };
  }
  if (m.kind !== 'job.create') return undefined;
  const p: PayloadOf<'job.create'> = m.payload;
  const since = Date.parse(p.queuedAt) - CLOCK_SKEW_SLACK_MS;
  const candidates = await api.jobs.list({
    teamId: p.teamId, datasetId: p.input.datasetId, assignedToId: p.input.userId, createdById: (await me()).id, showDisabled: true,
  });
  // a job another queued create already claimed is not this one (two identical creates are allowed)
  const claimed = new Set(cache.db.prepare(`SELECT json_extract(result, '$.serverId') FROM outbox
    WHERE kind = 'job.create' AND state = 'done' AND result IS NOT NULL`).pluck().all() as number[]);
  const match = candidates
    .filter((j) => j.name === p.input.name && Date.parse(j.createdAt) >= since && !claimed.has(j.id))
    .sort((a, b) => a.id - b.id)[0];
  if (match) log?.(`push: create of "${p.input.name}" had reached the server (job ${match.id}); not sending it again`);
  return match;
}
