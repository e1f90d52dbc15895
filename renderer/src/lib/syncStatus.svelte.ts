// The sync state the header shows everywhere: online/offline, last sync, queued changes, progress.
import type { SyncState } from '#shared/contract';
import { api, subscribe } from './transport';

class SyncStatus {
  state = $state<SyncState | null>(null);
  /** set when even the app's own core cannot be reached */
  coreError = $state<string | null>(null);

  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    subscribe('sync.state', (next) => {
      this.state = next;
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.state = await api['sync.state']({});
      this.coreError = null;
    } catch (error) {
      this.coreError = error instanceof Error ? error.message : String(error);
    }
  }
}

export const syncStatus = new SyncStatus();
