// One connection of the core to one server: its cache file, the API client and the sync engine.
// Demo mode starts the local server in-process on the demo seed, with its data in the data folder.
import { join } from 'node:path';
import { REQUESTS_AT_ONCE } from '#shared/contract';
import { openCheckedCache, type Cache } from '../cache';
import type { ReportProblem } from '../files/broken-files';
import type { HeldFolderProof } from '../files/dataFolderLock';
import { startLocalServer, type RunningLocalServer } from '../local-server';
import type { SuperviselyApi } from '../supervisely/api';
import { createSuperviselyApi } from '../supervisely/client';
import { BACKGROUND_POLICY } from '../supervisely/policy';
import { SyncEngine, type EngineEvents } from '../sync/engine';

export interface Session {
  cache: Cache;
  api: SuperviselyApi;
  engine: SyncEngine;
  demo: boolean;
  serverAddress: string;
  apiToken: string;
  close(): Promise<void>;
}

export interface SessionTarget {
  /** key of the cache file: 'demo', a profile id, or 'override' */
  key: string;
  demo: boolean;
  serverAddress?: string;
  apiToken?: string;
}

export async function openSession(
  dataDir: string,
  target: SessionTarget,
  options: {
    intervalSec: number;
    /** the user's "Requests at once", read at every request so a change applies without reconnecting; default 16 */
    requestsAtOnce?: () => number;
    events: EngineEvents;
    reportProblem: ReportProblem;
    log?: (line: string) => void;
    heldLock?: HeldFolderProof;
    /** the server moved the client to https: the owner remembers the new address so the next start goes there */
    onServerAddressChanged?: (serverAddress: string) => void;
  },
): Promise<Session> {
  let localServer: RunningLocalServer | null = null;
  let serverAddress = target.serverAddress ?? '';
  let apiToken = target.apiToken ?? '';
  if (target.demo) {
    localServer = await startLocalServer({ port: 0, dataFile: join(dataDir, 'demo-server.sqlite'), seed: 'demo' });
    serverAddress = localServer.url;
    apiToken = localServer.adminToken;
  }
  const safeKey = target.key.replace(/[^A-Za-z0-9_-]/g, '_');
  let cache: Cache;
  try {
    const file = join(dataDir, `cache-${safeKey}.sqlite`);
    cache = await openCheckedCache(file, { report: options.reportProblem, ...(options.log ? { log: options.log } : {}) });
  } catch (err) {
    await localServer?.close();
    throw err;
  }
  const requestsAtOnce = options.requestsAtOnce ?? (() => REQUESTS_AT_ONCE.default);
  // every attempt, by any caller, tells connectivity whether the server answered
  const api = createSuperviselyApi({
    serverAddress,
    apiToken,
    ...BACKGROUND_POLICY,
    // one bound for everything this session sends (lists, bulk actions, the outbox), the user's to set
    maxConcurrent: requestsAtOnce,
    log: options.log,
    onAttempt: (e) => engine.connectivity.observeAttempt(e),
    onServerAddressChanged: options.onServerAddressChanged,
  });
  const engine: SyncEngine = new SyncEngine({
    cache,
    api,
    intervalSec: options.intervalSec,
    concurrency: requestsAtOnce,
    events: options.events,
    log: options.log,
    heldLock: options.heldLock,
  });
  return {
    cache,
    api,
    engine,
    demo: target.demo,
    apiToken,
    // the client's: it changes once if the server moves us to https
    get serverAddress() {
      return api.serverAddress;
    },
    async close() {
      await engine.stop();
      cache.close();
      await localServer?.close();
    },
  };
}
