// The sync engine: one object that owns the pull timer, the push loop and connectivity, and keeps
// the SyncState the UI shows (online, syncing, step, done/total, last sync, last error, stale lists,
// queue size).
import type { SyncState } from '#shared/contract';
import type { Cache } from '../cache';
import type { HeldFolderProof } from '../files/dataFolderLock';
import type { SuperviselyApi } from '../supervisely/api';
import { Connectivity } from './connectivity';
import { listStatus } from './listStatus';
import { describeError, isConnectivityError } from './errors';
import { pullAll, type PullReport } from './pull';
import { PullStopped } from './pull/context';
import { PushLoop, type PushEvents, type PushOptions } from './push';
import { atMostEvery } from './throttle';

export interface EngineEvents extends PushEvents {
  syncState?(state: SyncState): void;
  pulled?(report: PullReport): void;
  /** job rows were written during a pull (the first page, then at most every JOBS_PULLED_EVERY_MS): the grid may show them */
  jobsPulled?(): void;
}

const JOBS_PULLED_EVERY_MS = 2_000;
/**
 * the header's counts after outbox changes, read at most this often: each change sent asked for them, and their count
 * reads every unfinished change (73,741 queued: 2.3 s of 8 s of the core's thread went to it while they were sent)
 */
const OUTBOX_STATE_EVERY_MS = 500;

export interface EngineOptions {
  cache: Cache;
  api: SuperviselyApi;
  intervalSec: number;
  events?: EngineEvents;
  log?: (line: string) => void;
  concurrency?: PushOptions['concurrency'];
  retryBaseMs?: number;
  backoffStartMs?: number;
  /** passed to the push loop: the data folder is held by another thread of this process */
  heldLock?: HeldFolderProof;
}

export class SyncEngine {
  readonly connectivity: Connectivity;
  readonly push: PushLoop;
  private state: Omit<SyncState, 'readAt'>;
  private pulling: Promise<PullReport | null> | null = null;
  private pullAgain: Promise<PullReport | null> | null = null;
  /** aborts the running pull (sync.cancel) */
  private abort: AbortController | null = null;
  /** bumped by each cancel: a pull queued by sync-now before it does not run */
  private cancels = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private intervalSec: number;

  constructor(private readonly o: EngineOptions) {
    this.intervalSec = o.intervalSec;
    this.connectivity = new Connectivity(Date.now, o.backoffStartMs);
    // (a count asked for in between is read once that time is up: by then the cache may be closed)
    const outboxStateSoon = atMostEvery(OUTBOX_STATE_EVERY_MS, () => o.cache.db.open && this.update({}));
    const lastSync = o.cache.kv.get<string | null>('last_sync_at', null);
    this.state = {
      online: false,
      syncing: false,
      lastSyncAt: lastSync,
      lastError: null,
      cancelledAt: null,
      staleLists: [],
      skippedRows: [],
      step: null,
      done: 0,
      total: 0,
      outboxPending: 0,
      outboxProblems: 0,
    };
    this.push = new PushLoop({
      cache: o.cache,
      api: o.api,
      connectivity: this.connectivity,
      log: o.log,
      concurrency: o.concurrency,
      retryBaseMs: o.retryBaseMs,
      heldLock: o.heldLock,
      events: {
        ...o.events,
        outboxChanged: (ids) => {
          o.events?.outboxChanged?.(ids);
          outboxStateSoon();
        },
      },
    });
    this.connectivity.onChange((online) => {
      o.log?.(`sync: ${online ? 'online' : 'offline'}`);
      this.update({ online });
      if (online) this.sendQueueNow();
    });
  }

  getState(): SyncState {
    const { cache } = this.o;
    const counts = cache.outbox.counts();
    return {
      ...this.state,
      online: this.connectivity.online === true,
      ...listStatus(cache),
      outboxPending: counts.pending,
      outboxProblems: counts.problems,
      readAt: performance.timeOrigin + performance.now(),
    };
  }

  start(): void {
    this.stopped = false;
    this.push.start();
    this.connectivity.startProbe(() => this.o.api.instanceVersion());
    void this.pullNow();
  }

  /**
   * Closing (the app, a profile switch): a running pull is aborted as sync.cancel does, not waited for;
   * what it wrote stays and the list it was reading is read again by the next start. Resolves once the
   * pull and the push loop have settled, so the cache can be closed.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.connectivity.stopProbe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cancelPull('closing');
    await this.push.stop();
    await this.pulling?.catch(() => null);
    await this.pullAgain?.catch(() => null);
    await this.pulling?.catch(() => null);
    // a checkpoint worker started by the last pull must let go of the file before anyone closes it
    await this.o.cache.backgroundWorkDone();
  }

  setInterval(sec: number): void {
    this.intervalSec = sec;
    if (!this.stopped && !this.pulling) this.scheduleNext(sec * 1000);
  }

  /** The user (sync.now) or the network (back online) says: send what is queued now, not after its backoff. */
  private sendQueueNow(): void {
    this.o.cache.outbox.sendPendingNow();
    this.push.kick();
  }

  /**
   * sync.now: try the server immediately (even while backing off), push then pull. During a pull, one
   * more runs after it: the running one may have read the jobs before what the user expects to see.
   */
  syncNow(options: { full?: boolean } = {}): Promise<PullReport | null> {
    this.connectivity.forceTry();
    this.sendQueueNow();
    if (!this.pulling) return this.pullNow(options);
    const cancels = this.cancels;
    this.pullAgain ??= this.pulling.then(() => {
      this.pullAgain = null;
      return this.stopped || this.cancels !== cancels ? null : this.pullNow(options);
    });
    return this.pullAgain;
  }

  /**
   * sync.cancel: aborts the running pull through its signal (and a pull sync-now queued after it). What
   * was written stays; the list being read is marked not fresh; the next pull (timer or sync-now) reads it again.
   * False when no pull was running. `by` words the interrupted list (the user's cancel, or closing).
   */
  cancelPull(by: 'user' | 'closing' = 'user'): boolean {
    if (!this.pulling || !this.abort || this.abort.signal.aborted) return false;
    this.cancels++;
    this.abort.abort(new PullStopped(by));
    return true;
  }

  /** Runs one pull unless one is running (then returns that one). */
  pullNow(options: { full?: boolean } = {}): Promise<PullReport | null> {
    this.pulling ??= this.runPull(options).finally(() => {
      this.pulling = null;
      if (!this.stopped) {
        const wait = this.connectivity.online === false ? Math.max(this.connectivity.waitMs(), 1000) : this.intervalSec * 1000;
        this.scheduleNext(wait);
      }
    });
    return this.pulling;
  }

  private scheduleNext(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pullNow();
    }, ms);
    this.timer.unref?.();
  }

  private async runPull(options: { full?: boolean }): Promise<PullReport | null> {
    const { cache, api } = this.o;
    const abort = new AbortController();
    this.abort = abort;
    this.update({ syncing: true, step: 'connecting', done: 0, total: 0 });
    try {
      const me = await api.users.getMyInfo({ signal: abort.signal });
      cache.kv.set('me', { id: me.id, login: me.login });
      this.connectivity.reportSuccess();
      let toldAt = -Infinity;
      const report = await pullAll(cache, api, {
        ...options,
        signal: abort.signal,
        log: this.o.log,
        onJobsWritten: (n) => {
          if (n === 0 || performance.now() - toldAt < JOBS_PULLED_EVERY_MS) return;
          toldAt = performance.now();
          this.o.events?.jobsPulled?.();
        },
        onProgress: (p) => this.update({ step: p.step, done: p.done, total: p.total }),
      });
      // not one list read: the sync failed as a whole; otherwise it is done, with its stale lists
      if (report.fresh.length === 0 && report.stale.length > 0) throw report.stale[0]!.error;
      // a server that stopped answering midway: connectivity hears it; the lists read are kept
      const unreachable = report.stale.find((s) => isConnectivityError(s.error));
      if (unreachable) this.connectivity.reportFailure(unreachable.error);
      const at = new Date().toISOString();
      cache.kv.set('last_sync_at', at);
      cache.outbox.trimDone();
      cache.checkpointInBackground();
      this.update({ syncing: false, step: null, lastSyncAt: at, lastError: null, cancelledAt: null });
      this.o.events?.pulled?.(report);
      this.push.kick();
      return report;
    } catch (err) {
      if (abort.signal.aborted) {
        // cancelled by the user: not a failure; the lists read so far are kept
        this.o.log?.('sync: cancelled');
        this.update({ syncing: false, step: null, cancelledAt: new Date().toISOString() });
        // rows written since the grid was last told stay: it shows them
        this.o.events?.jobsPulled?.();
        return null;
      }
      if (isConnectivityError(err)) this.connectivity.reportFailure(err);
      const message = describeError(err);
      this.o.log?.(`sync: ${message}`);
      this.update({ syncing: false, step: null, lastError: message });
      return null;
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  private update(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    this.o.events?.syncState?.(this.getState());
  }
}
