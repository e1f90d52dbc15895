// The queued mutation kinds and their payload schemas. A payload is parsed again before every send:
// one that no longer parses is marked failed with the reason (never retried, never dropped).
import { z } from 'zod';
import { JobStatusSchema } from '#shared/contract';

const Id = z.number().int();

export const CreateJobInputSchema = z.object({
  name: z.string().min(1),
  datasetId: Id,
  /** one job per mutation: the SDK's create() with a single annotator */
  userId: Id,
  reviewerId: Id.optional(),
  readme: z.string().optional(),
  description: z.string().optional(),
  classesToLabel: z.array(z.string()),
  tagsToLabel: z.array(z.string()),
  objectsLimitPerImage: z.number().int().nullable().optional(),
  tagsLimitPerImage: z.number().int().nullable().optional(),
  imageIds: z.array(Id).optional(),
  imagesRange: z.tuple([z.number().int(), z.number().int()]).optional(),
  includeImagesWithTags: z.array(z.string()),
  excludeImagesWithTags: z.array(z.string()),
});

export const PayloadSchemas = {
  'job.create': z.object({ localId: Id, teamId: Id, queuedAt: z.string(), input: CreateJobInputSchema }),
  'job.stop': z.object({ jobId: Id }),
  'job.archive': z.object({ jobId: Id }),
  'job.remove': z.object({ jobId: Id }),
  'job.setStatus': z.object({ jobId: Id, status: JobStatusSchema }),
  'user.create': z.object({
    userId: Id, login: z.string().min(1), password: z.string(), isRestricted: z.boolean(), name: z.string(), email: z.string(),
  }),
  'user.addToTeam': z.object({ userId: Id, teamId: Id, roleId: Id }),
  'user.changeRole': z.object({ userId: Id, teamId: Id, roleId: Id }),
} as const;

export type MutationKind = keyof typeof PayloadSchemas;
export type PayloadOf<K extends MutationKind> = z.output<(typeof PayloadSchemas)[K]>;
export type Mutation = { [K in MutationKind]: { kind: K; payload: PayloadOf<K> } }[MutationKind];

export const isMutationKind = (kind: string): kind is MutationKind => Object.hasOwn(PayloadSchemas, kind);

/** Parses a stored mutation; the error is a sentence for the outbox's last error. */
export function parseMutation(kind: string, payloadJson: string): { ok: true; mutation: Mutation } | { ok: false; error: string } {
  if (!isMutationKind(kind)) return { ok: false, error: `Unknown change "${kind}" (written by another version of the app); it cannot be sent.` };
  let raw: unknown;
  try {
    raw = JSON.parse(payloadJson);
  } catch {
    return { ok: false, error: 'The stored change is not valid JSON any more; it cannot be sent.' };
  }
  const parsed = PayloadSchemas[kind].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `The stored change no longer fits its format (${issue?.path.join('.') || kind}: ${issue?.message}); it cannot be sent.` };
  }
  return { ok: true, mutation: { kind, payload: parsed.data } as Mutation };
}

/**
 * What a mutation changes (`writes`) and what it only needs to exist first (`reads`). An item waits
 * for every earlier unfinished item that writes one of its subjects, so changes to one job or user
 * go in queue order, and a job waits for queued changes that make its annotator a team member, while
 * creates for the same annotator still go out in parallel.
 */
export function subjectsOf(m: Mutation): { writes: string[]; reads: string[] } {
  switch (m.kind) {
    case 'job.create': {
      const reads = [`user:${m.payload.input.userId}`];
      if (m.payload.input.reviewerId !== undefined) reads.push(`user:${m.payload.input.reviewerId}`);
      return { writes: [`job:${m.payload.localId}`], reads };
    }
    case 'job.stop': case 'job.archive': case 'job.remove': case 'job.setStatus':
      return { writes: [`job:${m.payload.jobId}`], reads: [] };
    case 'user.create': case 'user.addToTeam': case 'user.changeRole':
      return { writes: [`user:${m.payload.userId}`], reads: [] };
  }
}

/** Local (negative) ids a mutation needs the server id of before it can be sent. */
export function unresolvedIds(m: Mutation): string[] {
  switch (m.kind) {
    case 'user.create': return [];
    default: {
      const { writes, reads } = subjectsOf(m);
      const all = m.kind === 'job.create' ? reads : [...writes, ...reads];
      return all.filter((s) => Number(s.split(':')[1]) < 0);
    }
  }
}

/** Rewrites a payload after an offline-created job or user got its server id. */
export function remapPayload(m: Mutation, kind: 'job' | 'user', localId: number, serverId: number): Mutation | null {
  const swap = (id: number) => (id === localId ? serverId : id);
  if (kind === 'job' && 'jobId' in m.payload && m.payload.jobId === localId) {
    return { ...m, payload: { ...m.payload, jobId: serverId } } as Mutation;
  }
  if (kind === 'user') {
    if (m.kind === 'job.create') {
      const input = m.payload.input;
      if (input.userId !== localId && input.reviewerId !== localId) return null;
      return { kind: m.kind, payload: { ...m.payload, input: { ...input, userId: swap(input.userId), ...(input.reviewerId !== undefined ? { reviewerId: swap(input.reviewerId) } : {}) } } };
    }
    if ((m.kind === 'user.addToTeam' || m.kind === 'user.changeRole') && m.payload.userId === localId) {
      return { kind: m.kind, payload: { ...m.payload, userId: serverId } };
    }
  }
  return null;
}
