// Online/offline knowledge: a failed call that could not reach the server (offline, timeout) marks
// us offline and schedules the next try with backoff 1 s → 2 s → … → 60 s; any answer marks us
// online. `forceTry` (sync.now) makes the next try immediate. Every HTTP attempt of the client is
// observed (`observeAttempt`) and a light probe runs while online, so going offline is noticed in
// seconds rather than at the next sync.
import type { AttemptEvent } from '../supervisely/transport';
import { isConnectivityError } from './errors';

export const BACKOFF_START_MS = 1000;
export const BACKOFF_MAX_MS = 60_000;
/** how often the probe asks the server while we believe it is reachable */
export const PROBE_EVERY_MS = 3000;

/** An attempt that got no answer at all: a network error code or our own timeout (HTTP statuses are numbers). */
export const attemptUnreachable = (e: AttemptEvent): boolean => e.outcome !== 'ok' && !/^\d+$/.test(e.outcome);

export function backoffMs(failures: number, startMs = BACKOFF_START_MS, maxMs = BACKOFF_MAX_MS): number {
  return Math.min(maxMs, startMs * 2 ** Math.max(0, failures - 1));
}

export class Connectivity {
  private state: boolean | null = null;
  private failures = 0;
  private nextTryAt = 0;
  private readonly listeners = new Set<(online: boolean) => void>();
  private probeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly startMs = BACKOFF_START_MS,
  ) {}

  /** null until the first call answers or fails */
  get online(): boolean | null {
    return this.state;
  }

  /** ms until the next try is due (0 = now) */
  waitMs(): number {
    return this.state === false ? Math.max(0, this.nextTryAt - this.now()) : 0;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reportSuccess(): void {
    this.failures = 0;
    this.nextTryAt = 0;
    this.set(true);
  }

  /** Returns true when the error meant "unreachable" (and was counted). */
  reportFailure(err: unknown): boolean {
    if (!isConnectivityError(err)) {
      // the server answered, so it is reachable
      this.reportSuccess();
      return false;
    }
    this.failures++;
    this.nextTryAt = this.now() + backoffMs(this.failures, this.startMs);
    this.set(false);
    return true;
  }

  /** Any HTTP attempt of the client: an answer means reachable, no answer means offline now. */
  observeAttempt(e: AttemptEvent): void {
    if (!attemptUnreachable(e)) {
      if (this.state !== true) this.reportSuccess();
    } else if (this.state !== false) {
      this.failures++;
      this.nextTryAt = this.now() + backoffMs(this.failures, this.startMs);
      this.set(false);
    }
  }

  /**
   * Calls `probe` every `everyMs` (offline: only once the backoff has passed), so both going away
   * and coming back are seen in seconds. The probe's attempts reach `observeAttempt` through the
   * client, so its result needs no handling.
   */
  startProbe(probe: () => Promise<unknown>, everyMs = PROBE_EVERY_MS): void {
    this.stopProbe();
    const schedule = () => {
      this.probeTimer = setTimeout(() => void tick(), everyMs);
      this.probeTimer.unref?.();
    };
    const tick = async () => {
      if (this.waitMs() === 0) await probe().catch(() => undefined);
      if (this.probeTimer) schedule(); // not stopped meanwhile
    };
    schedule();
  }

  stopProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  forceTry(): void {
    this.nextTryAt = 0;
  }

  private set(online: boolean): void {
    if (this.state === online) return;
    this.state = online;
    for (const l of this.listeners) l(online);
  }
}
