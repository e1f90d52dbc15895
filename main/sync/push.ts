// Push: the scheduler that sends the outbox to the server. FIFO per subject (a job or user), bounded
// concurrency across independent subjects, retries with backoff, and the exactly-once rule: an item is
// committed as `sending` before its request leaves, and a non-idempotent change that may already have
// reached the server (sent before: a lost answer, a crash, a restart) is reconciled before any resend.
// What each kind sends and writes back lives in its spec (mutations/<kind>.ts).
import { dirname } from 'node:path';
import { AppError } from '#shared/contract';
import type { Cache, QueuedMutation } from '../cache';
import { acquireDataFolderLock, adoptDataFolderLock, type DataFolderLock, type HeldFolderProof } from '../files/dataFolderLock';
import type { SuperviselyApi } from '../supervisely/api';
import { ApiError } from '../supervisely/errors';
import { backoffMs, type Connectivity } from './connectivity';
import { describeError } from './errors';
import {
  CREATE_KINDS,
  isCreate,
  isMutationKind,
  parseMutation,
  reapplyOpen,
  specOf,
  subjectsOf,
  unresolvedIds,
  type Mutation,
} from './mutations';
import { NeedsChecking, type SendContext } from './mutations/spec';
import type { Candidate } from '../cache/outbox';
import { remapId } from './remap';
import { finishInterruptedDiscard, heldForDiscard, whileChecking } from './discard';
import { finishInterruptedJobAction } from './enqueue';

export interface PushEvents {
  outboxChanged?(mutationIds: number[]): void;
  jobsChanged?(jobIds: number[]): void;
  idRemapped?(kind: 'job' | 'user', localId: number, serverId: number): void;
  batchProgress?(batchId: string): void;
}

/** what a bulk write queued or discarded */
export interface Queued {
  mutationIds: number[];
  jobIds: number[];
  batchId?: string;
}

export interface PushOptions {
  cache: Cache;
  api: SuperviselyApi;
  connectivity: Connectivity;
  events?: PushEvents;
  /** sends under way at once; a function (the user's "Requests at once") is read at every pump, so a change applies at once; default 8 */
  concurrency?: number | (() => number);
  log?: (line: string) => void;
  now?: () => Date;
  /** base of the per-item backoff for transient errors */
  retryBaseMs?: number;
  /** the data folder is held by another thread of this process (the core in its worker): work under it */
  heldLock?: HeldFolderProof;
}

/** unfinished items read per statement while looking for those ready to send */
const READ_PAGE = 500;
/** ready items looked for per free send: room for a batched kind's whole batch (jobs.bulk.remove takes 50) */
const READY_PER_SEND = 50;

type ParsedItem = { payload: string; parsed: ReturnType<typeof parseMutation> };

type Outcome =
  | { kind: 'done'; result?: unknown }
  | { kind: 'unsure'; reason: string; candidates: Candidate[] }
  | { kind: 'retry'; error: string; unreachable: boolean }
  | { kind: 'problem'; state: 'failed' | 'conflict'; error: string };

export class PushLoop {
  private readonly inFlight = new Map<number, Promise<void>>();
  /** the items the last look for ready ones parsed, by id: the same payload is not parsed again on the next */
  private parsedItems = new Map<number, ParsedItem>();
  /** sends under way (a batched removal of up to 50 items counts as one) */
  private activeSends = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private me: { id: number; login: string } | null = null;
  private idleWaiters: (() => void)[] = [];
  private lock: DataFolderLock | null = null;
  private readonly concurrency: () => number;
  private readonly now: () => Date;

  constructor(private readonly o: PushOptions) {
    const c = o.concurrency ?? 8;
    this.concurrency = typeof c === 'function' ? () => Math.max(1, c()) : () => Math.max(1, c);
    this.now = o.now ?? (() => new Date());
  }

  /**
   * Starts sending, as the owner of the cache's data folder (throws when another process owns it):
   * only then can items found in `sending` be from a run that died mid-request; they go back to pending.
   */
  start(): void {
    if (this.running) return;
    const folder = dirname(this.o.cache.file);
    if (this.o.cache.file !== ':memory:') {
      this.lock = this.o.heldLock ? adoptDataFolderLock(this.o.heldLock, folder) : acquireDataFolderLock(folder);
    }
    this.running = true;
    const requeued = this.o.cache.outbox.requeueSending(this.now().toISOString());
    if (requeued) this.o.log?.(`push: ${requeued} item(s) were in flight when the app stopped; they are checked before any resend`);
    // before the first look for items to send: the rest of a discard cut short is held back at once
    this.afterResumed(
      'a discard cut short',
      finishInterruptedDiscard(this.o.cache, this.o.log).then((r) => r && { mutationIds: r.discarded, jobIds: r.jobIds }),
    );
    this.kick();
    this.afterResumed('a bulk action cut short', finishInterruptedJobAction(this.o.cache, this.o.log));
  }

  /** once the rest of a bulk write the app's end cut short is done: the views and the loop look again */
  private afterResumed(what: string, done: Promise<Queued | null>): void {
    done.then(
      (rest) => rest && this.queued(rest),
      (err: unknown) => this.o.log?.(`push: the rest of ${what} could not be done: ${String(err)}`),
    );
  }

  /** Items were queued (or discarded) outside a UI call's answer, by a bulk write: tell the views and look again. */
  queued(what: Queued): void {
    this.o.events?.outboxChanged?.(what.mutationIds);
    this.o.events?.jobsChanged?.(what.jobIds);
    if (what.batchId) this.o.events?.batchProgress?.(what.batchId);
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight.values()]);
    this.lock?.release();
    this.lock = null;
  }

  /** Look at the queue now (after an enqueue, sync.now, or coming back online). */
  kick(): void {
    if (!this.running) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump();
  }

  /** Resolves when nothing is in flight and nothing is ready to send (items may still wait for backoff). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.readyItems(new Set(), 1).length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when no item is pending or sending (problems may remain). */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = this.o.cache.outbox.counts();
      if (c.pending === 0 && this.inFlight.size === 0) return;
      if (Date.now() > deadline) throw new Error(`push: outbox not drained after ${timeoutMs} ms (${c.pending} pending)`);
      this.o.connectivity.forceTry();
      this.kick();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private pump(): void {
    if (!this.running) return;
    const wait = this.o.connectivity.waitMs();
    if (wait > 0 && this.inFlight.size === 0) {
      this.schedule(wait);
      return;
    }
    if (wait > 0) return; // an in-flight item will pump again when it ends
    const busy = new Set(this.inFlight.keys());
    const concurrency = this.concurrency();
    const ready = this.readyItems(busy, Math.max(1, concurrency - this.activeSends) * READY_PER_SEND);
    const started = new Set<number>();
    for (const item of ready) {
      if (this.activeSends >= concurrency) break;
      if (started.has(item.id)) continue;
      // independent items of a batchable kind travel together (e.g. one jobs.bulk.remove per 50)
      const batch = isMutationKind(item.kind) ? specOf(item.kind).batch : undefined;
      const group = batch ? ready.filter((r) => r.kind === item.kind && !started.has(r.id)).slice(0, batch.size) : [item];
      for (const g of group) started.add(g.id);
      this.activeSends++;
      const p = (group.length > 1 ? this.sendBatch(group) : this.sendOne(item))
        .catch((err: unknown) => this.o.log?.(`push: item ${item.id}: ${describeError(err)}`))
        .finally(() => {
          this.activeSends--;
          for (const g of group) this.inFlight.delete(g.id);
          this.pump();
        });
      for (const g of group) this.inFlight.set(g.id, p);
      // once offline, send one probe at a time instead of the whole queue
      if (this.o.connectivity.online === false) break;
    }
    if (this.inFlight.size === 0) {
      const next = this.nextDueInMs();
      if (next !== null) this.schedule(next);
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(5, ms),
    );
    this.timer.unref?.();
  }

  private nextDueInMs(): number | null {
    const nowMs = this.now().getTime();
    const due = this.o.cache.outbox.nextAttemptAfter(nowMs);
    return due === null ? null : due - nowMs;
  }

  /**
   * Items that may be sent now, oldest first: not in flight, not waiting for backoff, and no earlier
   * unfinished item shares a subject with them. Unparseable payloads are marked failed here.
   */
  private readyItems(inFlight: ReadonlySet<number>, enough = Infinity): QueuedMutation[] {
    const { cache } = this.o;
    const nowMs = this.now().getTime();
    const blocked = new Set<string>();
    const ready: QueuedMutation[] = [];
    const creating = new Set<string>();
    const parsedNow = new Map<number, ParsedItem>();
    const parse = (item: QueuedMutation) => {
      const known = this.parsedItems.get(item.id);
      const parsed = known?.payload === item.payload ? known.parsed : parseMutation(item.kind, item.payload);
      parsedNow.set(item.id, { payload: item.payload, parsed });
      return parsed;
    };
    // Of the refused items, only those that hold others back are read (5,000 failed archives at the queue's head were
    // read and parsed at every pump: ~18 ms, a frame, per send); each counts for the items after it
    const refused = cache.outbox.blockingRefused(CREATE_KINDS);
    let nextRefused = 0;
    const passRefusedBefore = (id: number) => {
      for (; nextRefused < refused.length && refused[nextRefused]!.id < id; nextRefused++) {
        const item = refused[nextRefused]!;
        const parsed = parse(item);
        if (!parsed.ok) continue;
        const { writes } = subjectsOf(parsed.mutation);
        const creates = isCreate(parsed.mutation);
        if (creates) creating.add(writes[0]!);
        // a create waiting for the user's check also holds back its identical twins (they could claim its job);
        // a failed create holds back what refers to its local id
        if (item.state === 'needs_checking') for (const s of writes) blocked.add(s);
        else if (creates) blocked.add(writes[0]!);
      }
    };
    // a page at a time, until `enough` are ready: the queue of a bulk run of thousands was read and parsed whole
    // after every answer (5,771 stops took 75 s on a local server); later items cannot change what earlier ones may do
    let atDiscard = false;
    // the first page sized for what is asked (a pump after each answer asks for a few: 500 rows read for them were
    // most of a bulk run's pump), the next ones whole
    let pageSize = Math.min(READ_PAGE, 2 * enough + inFlight.size);
    for (let afterId = Number.MIN_SAFE_INTEGER, page = cache.outbox.unsentAfter(afterId, pageSize); page.length > 0;) {
      for (const item of page) {
        if (ready.length >= enough) break;
        // a discard under way (a Cancel: seconds) holds back what comes after its first item until it ends: reading
        // past 73,000 held items to those after them held the core 210–370 ms at every pump
        if (heldForDiscard(cache, item.id)) {
          atDiscard = true;
          break;
        }
        passRefusedBefore(item.id);
        const parsed = parse(item);
        if (!parsed.ok) {
          if (item.state === 'pending') this.finish(item, { kind: 'problem', state: 'failed', error: parsed.error });
          continue;
        }
        const { writes, reads } = subjectsOf(parsed.mutation);
        if (isCreate(parsed.mutation)) creating.add(writes[0]!);
        const isBlocked = [...writes, ...reads].some((s) => blocked.has(s));
        for (const s of writes) blocked.add(s);
        if (isBlocked || inFlight.has(item.id) || item.next_attempt_at > nowMs) continue;
        const orphan = unresolvedIds(parsed.mutation).find((s) => !creating.has(s));
        if (orphan) {
          const error = `It refers to ${orphan.replace(':', ' ')}, which was never created on the server (its create was discarded).`;
          this.finish(item, { kind: 'problem', state: 'failed', error });
          continue;
        }
        ready.push(item);
      }
      if (atDiscard || ready.length >= enough || page.length < pageSize) break;
      afterId = page[page.length - 1]!.id;
      pageSize = READ_PAGE;
      page = cache.outbox.unsentAfter(afterId, pageSize);
    }
    this.parsedItems = parsedNow;
    return ready;
  }

  private ctx(): SendContext {
    return { api: this.o.api, cache: this.o.cache, me: () => this.me_(), ...(this.o.log ? { log: this.o.log } : {}) };
  }

  private async sendOne(item: QueuedMutation): Promise<void> {
    const { cache } = this.o;
    const parsed = parseMutation(item.kind, item.payload);
    if (!parsed.ok) return this.finish(item, { kind: 'problem', state: 'failed', error: parsed.error });
    const m = parsed.mutation;
    const spec = specOf(m.kind);
    let outcome: Outcome;
    try {
      // a non-idempotent change that was sent before may have reached the server: look before sending again
      const { reconcile } = spec;
      if (item.attempts > 0 && reconcile) {
        const found = await whileChecking(cache, item.id, () =>
          reconcile(this.ctx(), m.payload as never, { id: item.id, sentAt: item.sent_at }),
        );
        if (found instanceof NeedsChecking) {
          this.o.connectivity.reportSuccess();
          return this.finish(item, { kind: 'unsure', reason: found.reason, candidates: found.candidates });
        }
        if (found) {
          this.o.connectivity.reportSuccess();
          this.applyResult(item, m, found);
          return;
        }
      }
      let payload = m.payload;
      if (item.attempts === 0 && spec.beforeFirstSend) payload = await spec.beforeFirstSend(this.ctx(), payload as never);
      // the awaits above let a discard delete it meanwhile: then nothing is sent
      const marked = cache.transaction(() => {
        if (!cache.outbox.markSending(item.id, this.now().toISOString())) return false;
        if (payload !== m.payload) cache.outbox.setPayload(item.id, payload);
        return true;
      });
      if (!marked) return;
      this.o.events?.outboxChanged?.([item.id]);
      const result = await spec.send(this.ctx(), payload as never);
      this.o.connectivity.reportSuccess();
      this.applyResult(item, m, result);
      return;
    } catch (err) {
      outcome = this.classify(m, err);
      if (outcome.kind === 'done') {
        this.o.connectivity.reportSuccess();
        this.applyResult(item, m, outcome.result);
        return;
      }
      if (outcome.kind === 'retry' && outcome.unreachable) this.o.connectivity.reportFailure(err);
      else this.o.connectivity.reportSuccess();
    }
    this.finish(cache.outbox.get(item.id) ?? item, outcome);
  }

  /** Several items of one batchable kind in one request (e.g. jobs.bulk.remove); a result per item. */
  private async sendBatch(items: QueuedMutation[]): Promise<void> {
    const { cache } = this.o;
    const parsedItems = items.flatMap((item) => {
      const parsed = parseMutation(item.kind, item.payload);
      return parsed.ok ? [{ item, m: parsed.mutation }] : [];
    });
    const batch = parsedItems[0] && specOf(parsedItems[0].m.kind).batch;
    if (!batch) return;
    const at = this.now().toISOString();
    const valid = cache.transaction(() => parsedItems.filter(({ item }) => cache.outbox.markSending(item.id, at)));
    if (valid.length === 0) return;
    this.o.events?.outboxChanged?.(valid.map((v) => v.item.id));
    let results;
    try {
      results = await batch.send(
        this.ctx(),
        valid.map(({ m }) => m.payload as never),
      );
    } catch (err) {
      const outcome = this.classify(valid[0]!.m, err);
      if (outcome.kind === 'retry' && outcome.unreachable) this.o.connectivity.reportFailure(err);
      for (const { item } of valid) this.finish(cache.outbox.get(item.id) ?? item, outcome);
      return;
    }
    this.o.connectivity.reportSuccess();
    for (const [k, { item, m }] of valid.entries()) {
      const r = results[k]!;
      const outcome: Outcome = r.ok ? { kind: 'done' } : this.classify(m, r.error);
      if (outcome.kind === 'done') this.applyResult(item, m, outcome.result);
      else this.finish(cache.outbox.get(item.id) ?? item, outcome);
    }
  }

  private async me_(): Promise<{ id: number; login: string }> {
    if (!this.me) {
      const u = await this.o.api.users.getMyInfo();
      this.me = { id: u.id, login: u.login };
    }
    return this.me;
  }

  private classify(m: Mutation, err: unknown): Outcome {
    const error = describeError(err);
    if (!(err instanceof ApiError)) return { kind: 'problem', state: 'failed', error };
    switch (err.kind) {
      case 'offline':
      case 'timeout':
        return { kind: 'retry', error, unreachable: true };
      case 'server':
      case 'outcome_unknown':
      case 'malformed_response':
      case 'too_large':
      case 'aborted':
        // malformed: the server acted but answered oddly; creates are reconciled before any resend
        return { kind: 'retry', error, unreachable: false };
      case 'unauthorized':
        return { kind: 'retry', error, unreachable: false };
      case 'not_found':
        if (specOf(m.kind).goneMeansDone) return { kind: 'done', result: { alreadyRemoved: true } };
        return { kind: 'problem', state: 'conflict', error: `${error} Discard this change, or retry after checking the server.` };
      case 'forbidden':
      case 'validation':
        return { kind: 'problem', state: 'conflict', error };
    }
  }

  private finish(item: QueuedMutation, outcome: Outcome): void {
    const { cache } = this.o;
    const at = this.now().toISOString();
    if (outcome.kind === 'retry') {
      const delay = backoffMs(Math.max(1, item.attempts), this.o.retryBaseMs ?? 1000);
      cache.outbox.markPending(item.id, outcome.error, this.now().getTime() + delay, at);
    } else if (outcome.kind === 'unsure') {
      cache.outbox.markNeedsChecking(item.id, outcome.reason, outcome.candidates, at);
      this.o.log?.(`push: #${item.id} ${item.kind} → needs checking: ${outcome.reason}`);
    } else if (outcome.kind === 'problem') {
      cache.transaction(() => {
        cache.outbox.markProblem(item.id, outcome.state, outcome.error, at);
        // the server's copy of the job is the truth again: re-read it at the next pull
        const serverIds = cache.outbox.jobIds(item.id).filter((id) => id > 0);
        cache.jobs.markStale(serverIds);
        const parsed = parseMutation(item.kind, item.payload);
        if (parsed.ok) specOf(parsed.mutation.kind).refused?.(cache, parsed.mutation.payload as never);
      });
      this.o.log?.(`push: #${item.id} ${item.kind} → ${outcome.state}: ${outcome.error}`);
    }
    this.emitFor(item, cache.outbox.jobIds(item.id));
  }

  /**
   * The user's answer for a needs_checking create: it was created as one of its candidates (that job
   * becomes its result), or it is sent again as if never sent. Anything else is already resolved.
   */
  async resolve(id: number, choice: { createdAs: number } | 'sendAgain'): Promise<void> {
    const { cache } = this.o;
    const item = cache.outbox.get(id);
    if (!item || item.state !== 'needs_checking') return;
    if (choice === 'sendAgain') {
      cache.outbox.restart(id, this.now().toISOString());
    } else {
      const candidates = cache.outbox.toItem(item).candidates ?? [];
      if (!candidates.some((c) => c.id === choice.createdAs)) {
        throw new AppError('invalid_request', `Job ${choice.createdAs} is not one of the jobs change #${id} may have made.`);
      }
      const parsed = parseMutation(item.kind, item.payload);
      const info = parsed.ok ? await this.o.api.jobs.getInfoById(choice.createdAs) : null;
      if (!parsed.ok || !info) {
        throw new AppError('not_found', `Job ${choice.createdAs} is no longer on the server; send the change again instead.`);
      }
      const still = cache.outbox.get(id);
      if (still?.state !== 'needs_checking') return;
      this.applyResult(still, parsed.mutation, info);
    }
    this.emitFor(item, cache.outbox.jobIds(id));
    this.kick();
  }

  private applyResult(item: QueuedMutation, m: Mutation, answer: unknown): void {
    const { cache } = this.o;
    const spec = specOf(m.kind);
    const at = this.now().toISOString();
    const created = spec.created?.(m.payload as never, answer);
    const applied = cache.transaction(() => {
      // the answer's id replaces the local one everywhere first, so apply writes the server's row over it
      if (created) remapId(cache, created.kind, created.localId, created.serverId);
      const applied = spec.apply(cache, m.payload as never, answer, at);
      cache.outbox.markDone(item.id, applied.result, at);
      if (applied.payload !== undefined) cache.outbox.setPayload(item.id, applied.payload);
      for (const id of applied.rowsReplaced ?? []) reapplyOpen(cache, id);
      return applied;
    });
    if (created) this.o.events?.idRemapped?.(created.kind, created.localId, created.serverId);
    this.emitFor(item, applied.jobIds ?? cache.outbox.jobIds(item.id));
  }

  private emitFor(item: QueuedMutation, jobIds: number[]): void {
    this.o.events?.outboxChanged?.([item.id]);
    if (jobIds.length) this.o.events?.jobsChanged?.(jobIds);
    if (item.batch_id) this.o.events?.batchProgress?.(item.batch_id);
  }
}
