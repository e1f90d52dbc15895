// The application core: implements every channel of shared/contract.ts from the cache, the sync
// engine and the settings, over one live session (./connection: demo, a profile, or an override), and
// the events the UI listens to. Never imports electron.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventOf, Handlers } from '#shared/contract';
import { createEventHub } from './events';
import { createConnection } from './connection';
import { appHandlers } from './appHandlers';
import { catalogHandlers } from './catalogHandlers';
import type { CoreContext } from './context';
import { jobHandlers } from './jobsHandlers';
import { resolveLocalIds } from './localIds';
import { outboxHandlers } from './outboxHandlers';
import { layoutHandlers } from './layoutHandlers';
import { presetsHandlers } from './presetsHandlers';
import { projectsHandlers } from './projectsHandlers';
import { settingsHandlers } from './settingsHandlers';
import { syncHandlers } from './syncHandlers';
import { createFileSecretStore, type SecretStore } from '../settings/secrets';
import type { DataFileProblem, ReportProblem } from '../files/broken-files';
import type { HeldFolderProof } from '../files/dataFolderLock';
import { ensurePrivateDir } from '../files/private-files';
import { createSettingsFile } from '../settings/settings';
import { batchProgress } from '../sync/enqueue';
import { toAppError } from '../sync/errors';

export type { SecretStore } from '../settings/secrets';

export interface CoreOptions {
  dataDir: string;
  /** the token store (Electron: safeStorage); it reports a damaged file the way the core's own files do */
  secrets?: (report: ReportProblem) => SecretStore;
  profileOverride?: { serverAddress: string; apiToken: string };
  homeDir?: string;
  transport?: 'electron' | 'web';
  syncIntervalSec?: number;
  log?: (line: string) => void;
  /** the data folder is already held by another thread of this process (the core runs in a worker) */
  heldLock?: HeldFolderProof;
}

export interface Core {
  handlers: Handlers;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  ensurePrivateDir(options.dataDir);
  const log = options.log;
  // data files found damaged (kept aside, never overwritten): Settings shows them
  const dataFileProblems: DataFileProblem[] = [];
  const reportProblem = (problem: DataFileProblem) => {
    dataFileProblems.push(problem);
    log?.(`core: ${problem.message}`);
  };
  const settings = createSettingsFile(join(options.dataDir, 'settings.json'), reportProblem);
  const secrets = options.secrets?.(reportProblem) ?? createFileSecretStore(join(options.dataDir, 'secrets.json'), reportProblem);
  const hub = createEventHub(log);
  const emit = hub.emit;
  const connection = createConnection({ ...options, settings, secrets, reportProblem, emit, log });

  const ctx: CoreContext = {
    session: connection.session,
    emit,
    afterOutboxChange: (mutationIds, jobIds, batchId) => {
      const s = ctx.session();
      emit('outbox.changed', { ids: mutationIds });
      if (jobIds.length) emit('jobs.changed', { ids: jobIds, all: false });
      if (batchId) emit('batch.progress', { batchId, ...batchProgress(s.cache, batchId) });
      emit('sync.state', s.engine.getState());
      s.engine.push.kick();
    },
    settings,
    secrets,
    dataFileProblems,
    homeDir: options.homeDir ?? homedir(),
    transport: options.transport ?? 'web',
    reconnect: connection.reconnect,
    log,
  };

  const raw: Handlers = {
    ...appHandlers(ctx),
    ...jobHandlers(ctx),
    ...catalogHandlers(ctx),
    ...projectsHandlers(ctx),
    ...settingsHandlers(ctx),
    ...presetsHandlers(ctx),
    ...layoutHandlers(ctx),
    ...syncHandlers(ctx),
    ...outboxHandlers(ctx),
  };

  // every handler sees today's ids, and answers with a value or an AppError a person can act on
  const handlers = Object.fromEntries(
    Object.entries(raw).map(([name, fn]) => [
      name,
      async (req: never) => {
        try {
          const remaps = connection.current()?.cache.remaps;
          const current = remaps ? resolveLocalIds(req, (kind, id) => remaps.resolve(kind, id)) : req;
          return await (fn as (r: never) => Promise<unknown>)(current);
        } catch (err) {
          throw toAppError(err);
        }
      },
    ]),
  ) as unknown as Handlers;

  return {
    handlers,
    on: hub.on,
    start: connection.start,
    close: connection.close,
  };
}
