// Bulk actions in flight: each has a batch id from the core; progress comes from `batch.progress`
// events, and when a batch settles its failed items are read back from the outbox with reasons.
// What has not been sent yet can be cancelled: those outbox items are discarded.
import type { OutboxItem } from '#shared/contract';
import { api, subscribe } from './transport';

/** how long the line of a batch that fully succeeded stays */
const SETTLED_LINE_MS = 6000;

export interface Batch {
  batchId: string;
  label: string;
  total: number;
  done: number;
  failed: number;
  /** of total, the changes the core is still queuing (thousands take seconds) */
  writing: number;
  /** of total, the changes its Cancel under way has still to discard */
  cancelling: number;
  /** its Cancel was pressed and has not answered yet */
  cancelPressed: boolean;
  settled: boolean;
  /** outbox items that failed or hit a conflict, with their reasons */
  problems: OutboxItem[];
  /** the jobs it acts on: no other action on them while it runs */
  jobIds: number[];
  startedAt: number;
  /** jobs whose change was discarded before it was sent */
  cancelled: number;
}

class Batches {
  items = $state<Batch[]>([]);
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    subscribe('batch.progress', (event) => {
      const batch = this.items.find((b) => b.batchId === event.batchId);
      if (!batch) return;
      batch.total = event.total;
      batch.done = event.done;
      batch.failed = event.failed;
      batch.writing = event.writing;
      batch.cancelling = event.cancelling;
      if (event.done + event.failed >= event.total) this.settleOnce(batch);
    });
  }

  track(batchId: string, label: string, jobIds: number[]): void {
    const batch: Batch = {
      batchId,
      label,
      total: jobIds.length,
      done: 0,
      failed: 0,
      writing: 0,
      cancelling: 0,
      cancelPressed: false,
      settled: false,
      problems: [],
      jobIds,
      startedAt: Date.now(),
      cancelled: 0,
    };
    this.items = [batch, ...this.items.slice(0, 4)];
    // Events can be missed (a fast local server finishes before we listen): also read the outbox.
    void this.poll(batchId);
  }

  /** Ids of jobs some running batch still acts on. */
  inFlight(): Set<number> {
    return new Set(this.items.filter((b) => !b.settled).flatMap((b) => b.jobIds));
  }

  /**
   * Stops the queuing of the batch's changes (its jobs not queued yet get none) and discards those not sent, in the
   * core: tens of thousands take seconds, told by `batch.progress` (`cancelling`) meanwhile.
   */
  async cancel(batchId: string): Promise<number> {
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch || batch.settled || batch.cancelPressed) return 0;
    batch.cancelPressed = true;
    try {
      const { unwritten, discarded } = await api['outbox.cancelBatch']({ batchId });
      batch.cancelled += unwritten + discarded;
      return unwritten + discarded;
    } finally {
      batch.cancelPressed = false;
      if (batch.done + batch.failed >= batch.total) this.settleOnce(batch);
    }
  }

  /** settles a batch whose changes are all answered, unless its Cancel is still to answer (it counts what it discarded) */
  private settleOnce(batch: Batch): void {
    if (!batch.settled && !batch.cancelPressed) void this.settle(batch.batchId);
  }

  dismiss(batchId: string): void {
    this.items = this.items.filter((b) => b.batchId !== batchId);
  }

  /** Reads the batch's progress from the outbox until every item is done or refused (events can be missed). */
  async poll(batchId: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch || batch.settled) return;
    try {
      // the counts of the whole batch: a list of its items holds at most 5,000 (the newest)
      const progress = await api['outbox.batchProgress']({ batchId });
      Object.assign(batch, progress);
      if ((progress.total > 0 || batch.cancelled > 0) && progress.done + progress.failed >= progress.total) {
        this.settleOnce(batch);
        if (batch.settled) return;
      }
    } catch {
      // the core is busy or restarting: try again below
    }
    void this.poll(batchId);
  }

  /** Sends the batch's refused changes again: all of them (its problems list holds the newest 5,000). */
  async retryFailed(batchId: string): Promise<void> {
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch || batch.problems.length === 0) return;
    const { jobs } = await api['outbox.retryRefused']({ batchId });
    batch.settled = false;
    batch.failed = 0;
    batch.done = Math.max(0, batch.total - jobs);
    batch.problems = [];
    void this.poll(batchId);
  }

  /** The batch's failed and conflicting changes, with their reasons (up to 5,000, the newest). */
  private problemsOf(batchId: string): Promise<OutboxItem[]> {
    return api['outbox.list']({ batchId, states: ['failed', 'conflict'], limit: 5000 });
  }

  private async settle(batchId: string): Promise<void> {
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch) return;
    batch.settled = true;
    try {
      // by state, not among the newest items: a run of over 5,000 whose first ones failed said "all succeeded"
      batch.problems = await this.problemsOf(batchId);
    } catch {
      batch.problems = [];
    }
    // a batch that went well has nothing more to say: let its line go after a moment
    if (batch.problems.length === 0) setTimeout(() => this.dismissIfSettled(batchId), SETTLED_LINE_MS);
  }

  private dismissIfSettled(batchId: string): void {
    const batch = this.items.find((b) => b.batchId === batchId);
    if (batch?.settled && batch.problems.length === 0) this.dismiss(batchId);
  }
}

export const batches = new Batches();
