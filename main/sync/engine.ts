// The sync engine: one object that owns the pull timer, the push loop and connectivity, and keeps
// the SyncState the UI shows (online, syncing, step, done/total, last sync, last error, stale lists,
// queue size).
import type { SyncState } from '#shared/contract';
import type { Cache } from '../cache';
import type { HeldFolderProof } from '../files/dataFolderLock';
import type { SuperviselyApi } from '../supervisely/api';
import { Connectivity } from './connectivity';
import { describeError, isConnectivityError } from './errors';
import { pullAll, type PullReport } from './pull';
import { PushLoop, type PushEvents, type PushOptions } from './push';

export interface EngineEvents extends PushEvents {
  syncState?(state: SyncState): void;
  pulled?(report: PullReport): void;
  /** job rows were written during a pull (the first page, then at most every JOBS_PULLED_EVERY_MS): the grid may show them */
  jobsPulled?(): void;
}

const JOBS_PULLED_EVERY_MS = 2_000;

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
  private state: SyncState;
  private pulling: Promise<PullReport | null> | null = null;
  private pullAgain: Promise<PullReport | null> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private intervalSec: number;

  constructor(private readonly o: EngineOptions) {
    this.intervalSec = o.intervalSec;
    this.connectivity = new Connectivity(Date.now, o.backoffStartMs);
    const lastSync = o.cache.kv.get<string | null>('last_sync_at', null);
    this.state = {
      online: false,
      syncing: false,
      lastSyncAt: lastSync,
      lastError: null,
      staleLists: [],
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
          this.update({});
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
    const teamNames = new Map(cache.catalog.teams().map((t) => [t.id, t.name]));
    const staleLists = cache.syncState
      .stale()
      .map((l) => ({ ...l, teamName: l.teamId === null ? null : (teamNames.get(l.teamId) ?? null) }));
    return {
      ...this.state,
      online: this.connectivity.online === true,
      staleLists,
      outboxPending: counts.pending,
      outboxProblems: counts.problems,
    };
  }

  start(): void {
    this.stopped = false;
    this.push.start();
    this.connectivity.startProbe(() => this.o.api.instanceVersion());
    void this.pullNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connectivity.stopProbe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
    this.pullAgain ??= this.pulling.then(() => {
      this.pullAgain = null;
      return this.stopped ? null : this.pullNow(options);
    });
    return this.pullAgain;
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
    this.update({ syncing: true, step: 'connecting', done: 0, total: 0 });
    try {
      const me = await api.users.getMyInfo();
      cache.kv.set('me', { id: me.id, login: me.login });
      this.connectivity.reportSuccess();
      let toldAt = -Infinity;
      const report = await pullAll(cache, api, {
        ...options,
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
      void cache.checkpoint().catch((err: unknown) => this.o.log?.(`cache: background checkpoint failed: ${String(err)}`));
      this.update({ syncing: false, step: null, lastSyncAt: at, lastError: null });
      this.o.events?.pulled?.(report);
      this.push.kick();
      return report;
    } catch (err) {
      if (isConnectivityError(err)) this.connectivity.reportFailure(err);
      const message = describeError(err);
      this.o.log?.(`sync: ${message}`);
      this.update({ syncing: false, step: null, lastError: message });
      return null;
    }
  }

  private update(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    this.o.events?.syncState?.(this.getState());
  }
}
