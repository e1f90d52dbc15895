// The labeling queues the cache knows (every team's), for the grid's queue column and filter: read once,
// then again after each sync, which is when the cache's queues can change.
import type { QueueSummary } from '#shared/contract';
import { api, subscribe } from '../../lib/transport';

class Queues {
  list = $state<QueueSummary[]>([]);
  byId = $derived(new Map(this.list.map((q) => [q.id, q])));
  private started = false;
  private lastSyncAt: string | null = null;

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.reload();
    subscribe('sync.state', (state) => {
      if (state.syncing || state.lastSyncAt === this.lastSyncAt) return;
      this.lastSyncAt = state.lastSyncAt;
      void this.reload();
    });
  }

  async reload(): Promise<void> {
    try {
      this.list = await api['queues.list']({});
    } catch {
      // the grid still works; jobs show their queue's id until the names load
    }
  }

  /** A team's queues, archived ones last. */
  ofTeam(teamId: number | null): QueueSummary[] {
    const mine = this.list.filter((q) => teamId === null || q.teamId === teamId);
    return [...mine.filter((q) => !q.archived), ...mine.filter((q) => q.archived)];
  }
}

export const queues = new Queues();
