// The messages between the main thread (host.ts) and the core's worker thread (core-worker.ts).
// Plain data only: every message is structured-cloned across the thread boundary.
import type { MessagePort } from 'node:worker_threads';
import type { ChannelName, Envelope, EventName } from '#shared/contract';
import type { DataFileProblem } from '../files/broken-files';
import type { HeldFolderProof } from '../files/dataFolderLock';
import type { CoreOptions } from '../core';

/** What the worker is started with (its workerData). */
export interface WorkerBoot {
  options: Omit<CoreOptions, 'secrets' | 'log' | 'heldLock'>;
  /** the main thread's lock on the data folder, for the push loop to work under */
  heldLock: HeldFolderProof | null;
  /** a SecretStore served by the main thread (Electron's safeStorage lives there), or null: the core's own file */
  secrets: SecretsLink | null;
  /** damaged files the main thread's token store reported before this worker started (Settings lists them) */
  reportedOnMain: DataFileProblem[];
  /** forward log lines to the main thread */
  log: boolean;
}

/** The worker asks over `port`, then sleeps on `signal` until the main thread has answered. */
export interface SecretsLink {
  protection: 'os' | 'basic_text' | 'file';
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export type ToWorker =
  | { type: 'call'; id: number; channel: ChannelName; request: unknown }
  | { type: 'start'; id: number }
  | { type: 'close'; id: number }
  /** the main thread's token store found a damaged file (no answer) */
  | { type: 'problem'; problem: DataFileProblem };

export type FromWorker =
  | { type: 'reply'; id: number; envelope: Envelope }
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'log'; line: string }
  /** the core could not be created (a data folder the app cannot use): restarting would fail the same way */
  | { type: 'fatal'; error: { kind: string; message: string } };

/** `seq` pairs each answer with its question (an answer that comes after the worker stopped waiting is dropped) */
export type SecretsRequest = { seq: number } & (
  { op: 'get'; id: string } | { op: 'set'; id: string; token: string } | { op: 'delete'; id: string }
);
export type SecretsReply = { seq: number } & ({ ok: true; value: string | null } | { ok: false; error: { kind: string; message: string } });
