// Push: sends the outbox to the server. FIFO per subject (a job or user), bounded concurrency across
// independent subjects, retries with backoff, and the exactly-once rule: an item is committed as
// `sending` before its request leaves, and a create that may already have reached the server
// (sent before: a lost answer, a crash, a restart) is looked up on the server before it is sent again.
import type { Cache, StoredMutation } from '../cache';
import { recordFromServer } from '../cache';
import type { SuperviselyApi } from '../supervisely/api';
import { ApiError } from '../supervisely/errors';
import type { LabelingJobInfo } from '../supervisely/types';
import { backoffMs, type Connectivity } from './connectivity';
import { getMe, reapplyOpen } from './enqueue';
import { describeError } from './errors';
import { parseMutation, subjectsOf, unresolvedIds, type Mutation } from './mutations';
import { findApplied } from './reconcile';
import { remapId } from './remap';

/** the server's limit of ids per jobs.bulk.remove */
const REMOVE_BATCH = 50;

export interface PushEvents {
  outboxChanged?(mutationIds: number[]): void;
  jobsChanged?(jobIds: number[]): void;
  idRemapped?(kind: 'job' | 'user', localId: number, serverId: number): void;
  batchProgress?(batchId: string): void;
}

export interface PushOptions {
  cache: Cache;
  api: SuperviselyApi;
  connectivity: Connectivity;
  events?: PushEvents;
  concurrency?: number;
  log?: (line: string) => void;
  now?: () => Date;
  /** base of the per-item backoff for transient errors */
  retryBaseMs?: number;
}

type Outcome =
  | { kind: 'done'; result?: unknown }
  | { kind: 'retry'; error: string; unreachable: boolean }
  | { kind: 'problem'; state: 'failed' | 'conflict'; error: string };

export class PushLoop {
  private readonly inFlight = new Map<number, Promise<void>>();
  /** sends under way (a batched removal of up to 50 items counts as one) */
  private activeSends = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private me: { id: number; login: string } | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly now: () => Date;

  constructor(private readonly o: PushOptions) {
    this.concurrency = o.concurrency ?? 8;
    this.now = o.now ?? (() => new Date());
  }

  /** Starts sending; items found in `sending` (a previous run died mid-request) go back to pending. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const requeued = this.o.cache.outbox.requeueSending(this.now().toISOString());
    if (requeued) this.o.log?.(`push: ${requeued} item(s) were in flight when the app stopped; they are checked before any resend`);
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Look at the queue now (after an enqueue, sync.now, or coming back online). */
  kick(): void {
    if (!this.running) return;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.pump();
  }

  /** Resolves when nothing is in flight and nothing is ready to send (items may still wait for backoff). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.readyItems(new Set()).length === 0) return Promise.resolve();
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
    const ready = this.readyItems(busy);
    const started = new Set<number>();
    for (const item of ready) {
      if (this.activeSends >= this.concurrency) break;
      if (started.has(item.id)) continue;
      // removals of independent jobs travel together: one jobs.bulk.remove per 50
      const group = item.kind === 'job.remove'
        ? ready.filter((r) => r.kind === 'job.remove' && !started.has(r.id)).slice(0, REMOVE_BATCH)
        : [item];
      for (const g of group) started.add(g.id);
      this.activeSends++;
      const p = (group.length > 1 ? this.sendRemovals(group) : this.sendOne(item))
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
    this.timer = setTimeout(() => { this.timer = null; this.pump(); }, Math.max(5, ms));
    this.timer.unref?.();
  }

  private nextDueInMs(): number | null {
    const nowMs = this.now().getTime();
    let min: number | null = null;
    for (const item of this.o.cache.outbox.unfinished()) {
      if (item.state === 'pending' && item.next_attempt_at > nowMs) min = Math.min(min ?? Infinity, item.next_attempt_at - nowMs);
    }
    return min;
  }

  /**
   * Items that may be sent now, oldest first: not in flight, not waiting for backoff, and no earlier
   * unfinished item shares a subject with them. Unparseable payloads are marked failed here.
   */
  private readyItems(inFlight: ReadonlySet<number>): StoredMutation[] {
    const { cache } = this.o;
    const nowMs = this.now().getTime();
    const blocked = new Set<string>();
    const ready: StoredMutation[] = [];
    const creating = new Set<string>();
    for (const item of cache.outbox.unfinished()) {
      const parsed = parseMutation(item.kind, item.payload);
      if (!parsed.ok) {
        if (item.state === 'pending') this.finish(item, { kind: 'problem', state: 'failed', error: parsed.error });
        continue;
      }
      const { writes, reads } = subjectsOf(parsed.mutation);
      const isCreate = parsed.mutation.kind === 'job.create' || parsed.mutation.kind === 'user.create';
      if (isCreate) creating.add(writes[0]!);
      if (item.state === 'failed' || item.state === 'conflict') {
        // a failed create blocks what refers to its local id; other problems block nothing
        if (isCreate) blocked.add(writes[0]!);
        continue;
      }
      const isBlocked = [...writes, ...reads].some((s) => blocked.has(s));
      for (const s of writes) blocked.add(s);
      if (isBlocked || inFlight.has(item.id) || item.next_attempt_at > nowMs) continue;
      const orphan = unresolvedIds(parsed.mutation).find((s) => !creating.has(s));
      if (orphan) {
        this.finish(item, { kind: 'problem', state: 'failed', error: `It refers to ${orphan.replace(':', ' ')}, which was never created on the server (its create was discarded).` });
        continue;
      }
      ready.push(item);
    }
    return ready;
  }

  private async sendOne(item: StoredMutation): Promise<void> {
    const { cache } = this.o;
    const parsed = parseMutation(item.kind, item.payload);
    if (!parsed.ok) return this.finish(item, { kind: 'problem', state: 'failed', error: parsed.error });
    const m = parsed.mutation;
    let outcome: Outcome;
    try {
      // a create that was sent before may have reached the server: look before sending again
      if (item.attempts > 0 && (m.kind === 'job.create' || m.kind === 'user.create' || m.kind === 'user.addToTeam')) {
        const found = await findApplied(this.o.api, this.o.cache, m, () => this.me_(), this.o.log);
        if (found) {
          this.o.connectivity.reportSuccess();
          this.applyResult(item, m, found);
          return;
        }
      }
      cache.transaction(() => cache.outbox.markSending(item.id, this.now().toISOString()));
      this.o.events?.outboxChanged?.([item.id]);
      const result = await this.send(m);
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

  /** Several job removals in one jobs.bulk.remove call; the client retries a refused slice id by id. */
  private async sendRemovals(items: StoredMutation[]): Promise<void> {
    const { cache } = this.o;
    const parsed = items.map((item) => ({ item, m: parseMutation(item.kind, item.payload) }));
    const valid = parsed.filter((p): p is { item: StoredMutation; m: { ok: true; mutation: Mutation } } => p.m.ok);
    if (valid.length === 0) return;
    const at = this.now().toISOString();
    cache.transaction(() => { for (const { item } of valid) cache.outbox.markSending(item.id, at); });
    this.o.events?.outboxChanged?.(valid.map((v) => v.item.id));
    const jobIds = valid.map(({ m }) => (m.mutation as Extract<Mutation, { kind: 'job.remove' }>).payload.jobId);
    let results;
    try {
      results = await this.o.api.bulk.remove(jobIds, { concurrency: 4 });
    } catch (err) {
      const outcome = this.classify(valid[0]!.m.mutation, err);
      if (outcome.kind === 'retry' && outcome.unreachable) this.o.connectivity.reportFailure(err);
      for (const { item } of valid) this.finish(cache.outbox.get(item.id) ?? item, outcome);
      return;
    }
    this.o.connectivity.reportSuccess();
    for (const [k, { item, m }] of valid.entries()) {
      const r = results[k]!;
      const outcome: Outcome = r.ok ? { kind: 'done' } : this.classify(m.mutation, r.error);
      if (outcome.kind === 'done') this.applyResult(item, m.mutation, outcome.result);
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

  /** Sends one mutation; returns what applyResult needs. */
  private async send(m: Mutation): Promise<unknown> {
    const { api } = this.o;
    switch (m.kind) {
      case 'job.create': {
        const { userId, ...rest } = m.payload.input;
        const infos = await api.jobs.create({ ...rest, userIds: [userId], objectsLimitPerImage: rest.objectsLimitPerImage ?? null, tagsLimitPerImage: rest.tagsLimitPerImage ?? null });
        return infos[0];
      }
      case 'job.stop': return api.jobs.stop(m.payload.jobId);
      case 'job.archive': return api.jobs.archive(m.payload.jobId);
      case 'job.setStatus': return api.jobs.setStatus(m.payload.jobId, m.payload.status);
      case 'job.remove': return api.jobs.remove(m.payload.jobId);
      case 'user.create': {
        const { userId: _local, ...input } = m.payload;
        return api.users.create(input);
      }
      case 'user.addToTeam': return api.users.addToTeam(m.payload.userId, m.payload.teamId, m.payload.roleId);
      case 'user.changeRole': return api.users.changeTeamRole(m.payload.userId, m.payload.teamId, m.payload.roleId);
    }
  }

  private classify(m: Mutation, err: unknown): Outcome {
    const error = describeError(err);
    if (!(err instanceof ApiError)) return { kind: 'problem', state: 'failed', error };
    switch (err.kind) {
      case 'offline': case 'timeout':
        return { kind: 'retry', error, unreachable: true };
      case 'server': case 'outcome_unknown': case 'malformed_response': case 'too_large': case 'aborted':
        // malformed: the server acted but answered oddly; creates are reconciled before any resend
        return { kind: 'retry', error, unreachable: false };
      case 'unauthorized':
        return { kind: 'retry', error, unreachable: false };
      case 'not_found':
        if (m.kind === 'job.remove') return { kind: 'done', result: { alreadyRemoved: true } };
        return { kind: 'problem', state: 'conflict', error: `${error} Discard this change, or retry after checking the server.` };
      case 'forbidden': case 'validation':
        return { kind: 'problem', state: 'conflict', error };
    }
  }

  private finish(item: StoredMutation, outcome: Outcome): void {
    const { cache } = this.o;
    const at = this.now().toISOString();
    if (outcome.kind === 'retry') {
      const delay = backoffMs(Math.max(1, item.attempts), this.o.retryBaseMs ?? 1000);
      cache.outbox.markPending(item.id, outcome.error, this.now().getTime() + delay, at);
    } else if (outcome.kind === 'problem') {
      cache.transaction(() => {
        cache.outbox.markProblem(item.id, outcome.state, outcome.error, at);
        // the server's copy of the job is the truth again: re-read it at the next pull
        const serverIds = cache.outbox.jobIds(item.id).filter((id) => id > 0);
        cache.jobs.markStale(serverIds);
        // a refused removal left the job in place: stop showing it as on its way out right now
        if (item.kind === 'job.remove') for (const id of serverIds) cache.jobs.patch(id, { removing: 0 });
      });
      this.o.log?.(`push: #${item.id} ${item.kind} → ${outcome.state}: ${outcome.error}`);
    }
    this.emitFor(item, cache.outbox.jobIds(item.id));
  }

  private applyResult(item: StoredMutation, m: Mutation, result: unknown): void {
    const { cache } = this.o;
    const at = this.now().toISOString();
    let jobIds = cache.outbox.jobIds(item.id);
    cache.transaction(() => {
      switch (m.kind) {
        case 'job.create': {
          const info = result as LabelingJobInfo;
          const localId = m.payload.localId;
          cache.outbox.markDone(item.id, { serverId: info.id }, at);
          if (cache.jobs.get(localId)) remapId(cache, 'job', localId, info.id);
          cache.jobs.upsert([recordFromServer(info)]);
          reapplyOpen(cache, info.id);
          cache.history.append([{ jobId: info.id, status: info.status, at: info.createdAt, source: 'server_timestamp', note: 'created' }]);
          jobIds = [info.id];
          break;
        }
        case 'user.create': {
          const user = result as { id: number; login: string };
          cache.outbox.markDone(item.id, { serverId: user.id }, at);
          // the password is not kept once the server has it
          cache.outbox.setPayload(item.id, { ...m.payload, password: '' });
          remapId(cache, 'user', m.payload.userId, user.id);
          break;
        }
        case 'job.remove':
          cache.outbox.markDone(item.id, result, at);
          cache.jobs.patch(m.payload.jobId, { removed_at: at, removing: 0 });
          cache.history.append([{ jobId: m.payload.jobId, status: 'removed', at, source: 'local_mutation', note: 'removed' }]);
          break;
        default:
          cache.outbox.markDone(item.id, result ?? null, at);
          for (const id of jobIds) cache.jobs.markStale([id]);
      }
    });
    if (m.kind === 'job.create') this.o.events?.idRemapped?.('job', m.payload.localId, (result as LabelingJobInfo).id);
    if (m.kind === 'user.create') this.o.events?.idRemapped?.('user', m.payload.userId, (result as { id: number }).id);
    this.emitFor(item, jobIds);
  }

  private emitFor(item: StoredMutation, jobIds: number[]): void {
    this.o.events?.outboxChanged?.([item.id]);
    if (jobIds.length) this.o.events?.jobsChanged?.(jobIds);
    if (item.batch_id) this.o.events?.batchProgress?.(item.batch_id);
  }
}
