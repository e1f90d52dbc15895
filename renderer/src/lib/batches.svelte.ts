// Bulk actions in flight: each has a batch id from the core; progress comes from `batch.progress`
// events, and when a batch settles its failed items are read back from the outbox with reasons.
import type { OutboxItem } from '#shared/contract';
import { api, subscribe } from './transport';

export interface Batch {
  batchId: string;
  label: string;
  total: number;
  done: number;
  failed: number;
  settled: boolean;
  /** outbox items that failed or hit a conflict, with their reasons */
  problems: OutboxItem[];
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
      if (event.done + event.failed >= event.total && !batch.settled) void this.settle(batch.batchId);
    });
  }

  track(batchId: string, label: string, total: number): void {
    this.items = [{ batchId, label, total, done: 0, failed: 0, settled: false, problems: [] }, ...this.items.slice(0, 4)];
    // Events can be missed (a fast local server finishes before we listen): also read the outbox.
    void this.poll(batchId);
  }

  dismiss(batchId: string): void {
    this.items = this.items.filter((b) => b.batchId !== batchId);
  }

  /** Reads the batch's outbox items until all of them are done or refused. */
  async poll(batchId: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch || batch.settled) return;
    try {
      const items = await api['outbox.list']({ batchId, limit: 5000 });
      const jobsIn = (list: OutboxItem[]) => list.reduce((n, item) => n + Math.max(1, item.jobIds.length), 0);
      const done = items.filter((i) => i.state === 'done');
      const refused = items.filter((i) => i.state === 'failed' || i.state === 'conflict');
      if (items.length > 0 && done.length + refused.length === items.length) {
        batch.done = Math.max(batch.done, jobsIn(done));
        batch.failed = Math.max(batch.failed, jobsIn(refused));
        await this.settle(batchId, items);
        return;
      }
    } catch {
      // the core is busy or restarting: try again below
    }
    void this.poll(batchId);
  }

  async retryFailed(batchId: string): Promise<void> {
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch || batch.problems.length === 0) return;
    await api['outbox.retry']({ ids: batch.problems.map((p) => p.id) });
    batch.settled = false;
    batch.failed = 0;
    batch.done = Math.max(0, batch.total - batch.problems.reduce((n, p) => n + Math.max(1, p.jobIds.length), 0));
    batch.problems = [];
    void this.poll(batchId);
  }

  private async settle(batchId: string, known?: OutboxItem[]): Promise<void> {
    const batch = this.items.find((b) => b.batchId === batchId);
    if (!batch) return;
    batch.settled = true;
    try {
      const items = known ?? (await api['outbox.list']({ batchId, limit: 5000 }));
      batch.problems = items.filter((i) => i.state === 'failed' || i.state === 'conflict');
    } catch {
      batch.problems = [];
    }
  }
}

export const batches = new Batches();
