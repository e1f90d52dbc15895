// The registry of outbox mutation kinds: every kind the app can queue has exactly one spec module, and
// a kind listed here without one (or a spec for an unlisted kind) is a type error. A stored payload is
// parsed again before every send: one that no longer parses is marked failed with the reason.
import type { z } from 'zod';
import type { Cache } from '../../cache';
import { jobArchive } from './jobArchive';
import { jobCreate } from './jobCreate';
import { jobEdit } from './jobEdit';
import { jobRemove } from './jobRemove';
import { jobRestart } from './jobRestart';
import { jobReview } from './jobReview';
import { jobSetStatus } from './jobSetStatus';
import { jobStop } from './jobStop';
import { localRefs, type MutationSpec, type Subject } from './spec';
import { userAddToTeam } from './userAddToTeam';
import { userChangeRole } from './userChangeRole';
import { userCreate } from './userCreate';

export const MUTATION_KINDS = [
  'job.create',
  'job.stop',
  'job.archive',
  'job.remove',
  'job.setStatus',
  'user.create',
  'user.addToTeam',
  'user.changeRole',
  'job.edit',
  'job.review',
  'job.restart',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

const SPECS = {
  'job.create': jobCreate,
  'job.stop': jobStop,
  'job.archive': jobArchive,
  'job.remove': jobRemove,
  'job.setStatus': jobSetStatus,
  'user.create': userCreate,
  'user.addToTeam': userAddToTeam,
  'user.changeRole': userChangeRole,
  'job.edit': jobEdit,
  'job.review': jobReview,
  'job.restart': jobRestart,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec's own payload type is checked in its module
} as const satisfies { [K in MutationKind]: MutationSpec<any> };

export type PayloadOf<K extends MutationKind> = z.output<(typeof SPECS)[K]['schema']>;
export type Mutation = { [K in MutationKind]: { kind: K; payload: PayloadOf<K> } }[MutationKind];

/** The spec of a parsed mutation, typed for its payload (the one cast the registry needs). */
export const specOf = <K extends MutationKind>(kind: K): MutationSpec<PayloadOf<K>> => SPECS[kind] as unknown as MutationSpec<PayloadOf<K>>;

export const isMutationKind = (kind: string): kind is MutationKind => Object.hasOwn(SPECS, kind);

/** Parses a stored mutation; the error is a sentence for the outbox's last error. */
export function parseMutation(kind: string, payloadJson: string): { ok: true; mutation: Mutation } | { ok: false; error: string } {
  if (!isMutationKind(kind)) {
    return { ok: false, error: `Unknown change "${kind}" (written by another version of the app); it cannot be sent.` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(payloadJson);
  } catch {
    return { ok: false, error: 'The stored change is not valid JSON any more; it cannot be sent.' };
  }
  const parsed = SPECS[kind].schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || kind;
    return { ok: false, error: `The stored change no longer fits its format (${where}: ${issue?.message}); it cannot be sent.` };
  }
  return { ok: true, mutation: { kind, payload: parsed.data } as Mutation };
}

/**
 * What a mutation changes (`writes`) and what it only needs to exist first (`reads`). An item waits
 * for every earlier unfinished item that writes one of its subjects, so changes to one job or user
 * go in queue order, and a job waits for queued changes that make its annotator a team member, while
 * creates for the same annotator still go out in parallel.
 */
export const subjectsOf = (m: Mutation): { writes: Subject[]; reads: Subject[] } => specOf(m.kind).subjects(m.payload as never);

export const isCreate = (m: Mutation): boolean => specOf(m.kind).creates;

/** the kinds whose change makes a job or user (its local id stands for it until the server's answer) */
export const CREATE_KINDS: readonly MutationKind[] = MUTATION_KINDS.filter((kind) => SPECS[kind].creates);

/** Local (negative) ids a mutation needs the server id of before it can be sent (a create's own id is not one). */
export function unresolvedIds(m: Mutation): Subject[] {
  const { writes, reads } = subjectsOf(m);
  return localRefs(isCreate(m) ? reads : [...writes, ...reads]);
}

/** Rewrites a payload after an offline-created job or user got its server id. */
export function remapPayload(m: Mutation, kind: 'job' | 'user', localId: number, serverId: number): Mutation | null {
  const payload = specOf(m.kind).remap(m.payload as never, kind, localId, serverId);
  return payload === null ? null : ({ kind: m.kind, payload } as Mutation);
}

/** The optimistic effect of one mutation on the cache (also re-applied after a pull or a remap). */
export const applyOptimistic = (cache: Cache, m: Mutation): void => specOf(m.kind).optimistic(cache, m.payload as never);

/**
 * Re-applies the open (pending/sending) items' effects on a job after its row was overwritten (by the server's copy, or
 * a discard's restore: then only those queued after item `after`), each one's before-image taken anew first: what its
 * own discard would restore the job to.
 */
export function reapplyOpen(cache: Cache, jobId: number, after = 0): void {
  for (const item of cache.outbox.forJob(jobId)) {
    if (item.id <= after || (item.state !== 'pending' && item.state !== 'sending')) continue;
    const stored = cache.outbox.get(item.id);
    const parsed = stored && parseMutation(stored.kind, stored.payload);
    if (!parsed?.ok) continue;
    cache.outbox.setBeforeImage(item.id, cache.jobs.get(jobId));
    applyOptimistic(cache, parsed.mutation);
  }
}
