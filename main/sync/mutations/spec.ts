// What every outbox mutation kind declares about itself (one module per kind implements it): how its
// stored payload is read, what it changes in the cache before the server knows, how it is sent, what
// the server's answer changes in the cache, and how a lost answer is checked before any resend.
import type { z } from 'zod';
import type { Cache, StoredJob } from '../../cache';
import type { Candidate } from '../../cache/outbox';
import type { SuperviselyApi } from '../../supervisely/api';

export interface Me {
  id: number;
  login: string;
}
export const getMe = (cache: Cache): Me => cache.kv.get<Me>('me', { id: 0, login: '' });

/**
 * A job or user a mutation touches, as `job:<id>` / `user:<id>` (negative ids are still local), or
 * `same:<key>`: changes that must not overlap because the server could not tell their results apart.
 */
export type Subject = `${'job' | 'user'}:${number}` | `same:${string}`;

/** Reconcile could not prove which server object (if any) an earlier send made: the user decides. */
export class NeedsChecking {
  constructor(
    readonly reason: string,
    readonly candidates: Candidate[],
  ) {}
}

export interface SendContext {
  api: SuperviselyApi;
  cache: Cache;
  /** the server's idea of who we are (cached per push loop) */
  me(): Promise<Me>;
  log?: (line: string) => void;
}

/** What the server's answer changed in the cache: the outbox item's result, the jobs to refresh, an id remap. */
export interface Applied {
  result: unknown;
  jobIds?: number[];
  /** the payload to keep once the item is done (e.g. without the password) */
  payload?: unknown;
  /** jobs whose cached row the answer replaced: the open changes on them are applied again */
  rowsReplaced?: number[];
}

export interface Created {
  kind: 'job' | 'user';
  localId: number;
  serverId: number;
}

export interface MutationSpec<P> {
  readonly schema: z.ZodType<P>;
  /** A create: its `writes[0]` is the local id it makes; a failed create blocks what refers to that id. */
  readonly creates: boolean;
  /** What it changes (FIFO per subject) and what must exist before it is sent. */
  subjects(p: P): { writes: Subject[]; reads: Subject[] };
  /** The payload once a local id became a server id, or null when it does not refer to that id. */
  remap(p: P, kind: 'job' | 'user', localId: number, serverId: number): P | null;
  /** The line the Sync view shows. */
  summary(cache: Cache, p: P): string;
  /** The status-history point written when it is queued on an existing job. */
  queued?(job: StoredJob, p: P): { status: string; note: string };
  /** Its effect on cached rows; run when queued and again when a pull overwrote the row. */
  optimistic(cache: Cache, p: P): void;
  send(ctx: SendContext, p: P): Promise<unknown>;
  /** Creates: the local id the answer replaces (remapped everywhere before `apply` runs). */
  created?(p: P, answer: unknown): Created;
  /** Writes the server's answer into the cache (inside the push loop's transaction). */
  apply(cache: Cache, p: P, answer: unknown, at: string): Applied;
  /** Runs before the first send; the payload it returns is stored first (e.g. what exists on the server already). */
  beforeFirstSend?(ctx: SendContext, p: P): Promise<P>;
  /**
   * Non-idempotent kinds, before a resend: the answer an earlier send got (what it made on the server),
   * undefined when it provably did not get there, or NeedsChecking when that cannot be proven.
   */
  reconcile?(ctx: SendContext, p: P, item: { id: number; sentAt: string | null }): Promise<unknown>;
  /** The server says the target is gone: for a removal that means done. */
  readonly goneMeansDone?: boolean;
  /** The server refused it for good: undo the part of its optimistic effect that would mislead until the next pull. */
  refused?(cache: Cache, p: P): void;
  /** Undoes what queuing it added to the cache (a discarded create removes its local row). */
  discard?(cache: Cache, p: P): void;
  /** Several items of this kind in one request: the results in order, an error per refused one. */
  readonly batch?: {
    size: number;
    send(ctx: SendContext, ps: P[]): Promise<({ ok: true } | { ok: false; error: unknown })[]>;
  };
}

/** Declares a spec with its payload type inferred from the schema. */
export const defineMutation = <S extends z.ZodType>(spec: MutationSpec<z.output<S>> & { schema: S }) => spec;

export const localRefs = (subjects: readonly Subject[]): Subject[] =>
  subjects.filter((s) => !s.startsWith('same:') && Number(s.split(':')[1]) < 0);
