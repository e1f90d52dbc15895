// The sync state the header shows everywhere: online/offline, last sync, queued changes, progress; and
// the one home of "Sync now" and "Cancel sync", which the header and the Sync page both press.
import type { SyncState } from '#shared/contract';
import { laterState } from './laterState';
import { api, subscribe } from './transport';
import { toasts } from './toasts.svelte';

class SyncStatus {
  state = $state<SyncState | null>(null);
  /** set when even the app's own core cannot be reached */
  coreError = $state<string | null>(null);
  /** a Sync now request is on its way: every Sync now button waits for it */
  requesting = $state(false);
  /** a cancel request is on its way */
  cancelling = $state(false);

  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    subscribe('sync.state', (next) => {
      this.state = laterState(this.state, next);
    });
    void this.refresh();
  }

  /** Asks the core to sync now (an arrow, so a button can take it as its handler); a refusal is a toast. */
  syncNow = async (): Promise<void> => {
    this.requesting = true;
    try {
      await api['sync.now']({});
    } catch (error) {
      toasts.error('Sync failed', error);
    } finally {
      this.requesting = false;
    }
  };

  /** Cancels the running pull: what it wrote stays, the Sync page names the list it was reading. */
  cancel = async (): Promise<void> => {
    this.cancelling = true;
    try {
      await api['sync.cancel']({});
    } catch (error) {
      toasts.error('Could not cancel the sync', error);
    } finally {
      this.cancelling = false;
    }
  };

  async refresh(): Promise<void> {
    try {
      const next = await api['sync.state']({});
      this.state = laterState(this.state, next);
      this.coreError = null;
    } catch (error) {
      this.coreError = error instanceof Error ? error.message : String(error);
    }
  }
}

export const syncStatus = new SyncStatus();
