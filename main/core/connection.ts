// The core's one live session at a time: opened for the target the settings name (an override, the
// active profile, or demo mode), replaced when the user switches server, closed on quit. Switches
// queue behind each other, so two quick profile changes never leave two sessions open.
import { AppError, type EventName, type EventOf } from '#shared/contract';
import type { ReportProblem } from '../files/broken-files';
import type { HeldFolderProof } from '../files/dataFolderLock';
import type { SecretStore } from '../settings/secrets';
import type { SettingsFile } from '../settings/settings';
import { batchProgress } from '../sync/enqueue';
import { atMostEvery } from '../sync/throttle';
import { announcePull } from './pulled';
import { openSession, type Session } from './session';
import { sessionTargetOf } from './target';

export interface ConnectionOptions {
  dataDir: string;
  settings: SettingsFile;
  secrets: SecretStore;
  profileOverride?: { serverAddress: string; apiToken: string };
  syncIntervalSec?: number;
  heldLock?: HeldFolderProof;
  reportProblem: ReportProblem;
  emit: <E extends EventName>(event: E, payload: EventOf<E>) => void;
  log?: (line: string) => void;
}

export interface Connection {
  /** the live session; throws a readable AppError while connecting */
  session(): Session;
  /** the live session, or null while connecting or closed */
  current(): Session | null;
  start(): Promise<void>;
  /** close the session and open the one the settings name now */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

export function createConnection(o: ConnectionOptions): Connection {
  const { settings, emit, log } = o;
  let session: Session | null = null;
  let switching: Promise<void> | null = null;

  /** The active profile's server moved us to https: keep that address so the next start goes straight there. */
  const rememberAddress = (profileId: string) => (serverAddress: string) => {
    const s = settings.get();
    if (!s.profiles.some((p) => p.id === profileId)) return;
    try {
      settings.update({ profiles: s.profiles.map((p) => (p.id === profileId ? { ...p, serverAddress } : p)) });
      log?.(`core: profile ${profileId} now uses ${serverAddress}`);
    } catch (err) {
      log?.(`core: could not remember ${serverAddress} for profile ${profileId}: ${String(err)}`);
    }
  };

  const connect = async () => {
    const t = sessionTargetOf(o.profileOverride, settings, o.secrets);
    const isProfile = !t.demo && !o.profileOverride;
    const opened: Session = await openSession(o.dataDir, t, {
      intervalSec: o.syncIntervalSec ?? settings.get().syncIntervalSec,
      requestsAtOnce: () => settings.get().requestsAtOnce,
      reportProblem: o.reportProblem,
      log,
      heldLock: o.heldLock,
      ...(isProfile ? { onServerAddressChanged: rememberAddress(t.key) } : {}),
      events: {
        syncState: (state) => emit('sync.state', state),
        pulled: (report) => {
          if (session) announcePull(session, report, emit);
        },
        jobsPulled: () => emit('jobs.changed', { ids: [], all: true }),
        outboxChanged: idsEvery(PROGRESS_EVERY_MS, (ids) => emit('outbox.changed', { ids })),
        jobsChanged: idsEvery(PROGRESS_EVERY_MS, (ids) => emit('jobs.changed', { ids, all: false })),
        idRemapped: (kind, localId, serverId) => emit('ids.remapped', { kind, localId, serverId }),
        batchProgress: progressEvery(PROGRESS_EVERY_MS, (batchId) => {
          if (session) emit('batch.progress', { batchId, ...batchProgress(session.cache, batchId) });
        }),
      },
    });
    session = opened;
    opened.engine.start();
    log?.(`core: connected to ${opened.demo ? 'the local server' : opened.serverAddress}`);
  };

  return {
    session() {
      if (!session) throw new AppError('internal', 'The app is still connecting; try again in a moment.');
      return session;
    },
    current: () => session,
    async start() {
      if (!session) await connect();
    },
    async reconnect() {
      const run = async () => {
        const old = session;
        session = null;
        await old?.close();
        await connect();
        emit('jobs.changed', { ids: [], all: true });
      };
      switching = (switching ?? Promise.resolve()).then(run, run);
      await switching;
    },
    async close() {
      await switching?.catch(() => undefined);
      const s = session;
      session = null;
      await s?.close();
    },
  };
}

/** a batch's progress, and which changes and jobs its answers moved, are told at most this often while it runs */
const PROGRESS_EVERY_MS = 100;

/**
 * A batch's progress, told at most once per `everyMs` per batch: each answer of a bulk run asked for it, and its
 * count reads every change of the batch (a 4,000-job run read 16M rows).
 */
function progressEvery(everyMs: number, tell: (batchId: string) => void): (batchId: string) => void {
  const perBatch = new Map<string, () => void>();
  return (batchId) => {
    let ask = perBatch.get(batchId);
    if (!ask) perBatch.set(batchId, (ask = atMostEvery(everyMs, () => tell(batchId))));
    ask();
  };
}

/**
 * Ids told at most once per `everyMs`, all those asked for in between together (none lost, each once): each answer of
 * a bulk run told its own, and every event crossed the worker, the main process and the page.
 */
function idsEvery(everyMs: number, tell: (ids: number[]) => void): (ids: number[]) => void {
  let ids = new Set<number>();
  const ask = atMostEvery(everyMs, () => {
    const told = [...ids];
    ids = new Set();
    tell(told);
  });
  return (more) => {
    for (const id of more) ids.add(id);
    ask();
  };
}
