// What every handler group gets from the core: the current session and the event helpers.
import type { EventName, EventOf } from '#shared/contract';
import type { DataFileProblem } from '../files/broken-files';
import type { SecretStore } from '../settings/secrets';
import type { SettingsFile } from '../settings/settings';
import type { Session } from './session';

export interface CoreContext {
  session(): Session;
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  /** after items were queued, retried or discarded: tell the UI (the header's count too), and wake the push loop */
  afterOutboxChange(mutationIds: number[], jobIds: number[], batchId: string | null): void;
  settings: SettingsFile;
  secrets: SecretStore;
  /** data files found damaged since start (kept aside), for the user to see */
  dataFileProblems: readonly DataFileProblem[];
  homeDir: string;
  transport: 'electron' | 'web';
  /** switch to another server (profile id, or null for demo) */
  reconnect(): Promise<void>;
  log?: (line: string) => void;
}
