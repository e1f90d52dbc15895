// createSuperviselyApi(): one transport (one ky instance) per server profile, shared by every
// resource module; the only entry the rest of the app needs (see ./api for the interface).
import type { ServerProfile, SuperviselyApi } from './api';
import { apiBaseUrl, hasScheme, normaliseServerAddress, withOriginOf } from './address';
import { createTransport, type AttemptEvent } from './transport';
import { callParsed, type ResourceContext } from './context';
import { createUsersApi } from './users';
import { createRolesApi } from './roles';
import { createTeamsApi } from './teams';
import { createWorkspacesApi } from './workspaces';
import { createProjectsApi } from './projects';
import { createDatasetsApi } from './datasets';
import { createImagesApi } from './images';
import { createJobsApi } from './jobs';
import { createBulkApi } from './bulk';
import { createQueuesApi } from './queues';
import { z } from 'zod';

/** Knobs beyond ServerProfile, for tests, benchmarks and unusual servers. All optional. */
export interface ClientTuning {
  /** cap of one backoff sleep (Retry-After included); default 60 000 ms like the SDK */
  retryMaxDelayMs?: number;
  /** give up on refused connections after this long; default 5 000 ms */
  offlineBudgetMs?: number;
  /** pages fetched in parallel after the first; default 4 */
  pageConcurrency?: number;
  /** page size asked for from the first request on; default: the server's choice, like the SDK */
  perPage?: number;
  /** the SDK's SUPERVISELY_API_SERVER_ADDRESS: base becomes `{this}/v3/` (no /public/api) */
  apiServerAddress?: string;
  /** most pages one list read may take; default 20 000 */
  listPageLimit?: number;
  /** longest one list read may take, all its pages; default 15 min */
  listTimeLimitMs?: number;
  /** cap of one JSON answer, read while it streams; default 64 MB */
  maxAnswerBytes?: number;
  /** longest Retry-After waited for; default 60 s */
  retryAfterLimitMs?: number;
  /**
   * requests in flight at once through this client (all lists and bulk actions together), also the bulk actions' default
   * fan-out; a function (the user's setting) is read again for every request, so a change applies at once; default 8
   */
  maxConcurrent?: number | (() => number);
  /** the backoff jitter's randomness in [0, 1), for tests; default Math.random */
  random?: () => number;
  /** told once when the server moved the client to https (a bare host's probe, or a redirect), to remember it */
  onServerAddressChanged?: (serverAddress: string) => void;
  /** where the client logs what it tolerated (skipped rows) */
  log?: (line: string) => void;
  /** observe every HTTP attempt (logs, tests) */
  onAttempt?: (e: AttemptEvent) => void;
}

export function createSuperviselyApi(profile: ServerProfile & ClientTuning): SuperviselyApi {
  let serverAddress = normaliseServerAddress(profile.serverAddress);
  const transport = createTransport({
    baseUrl: apiBaseUrl(serverAddress, profile.apiServerAddress),
    apiToken: profile.apiToken,
    probeHttps: !hasScheme(profile.serverAddress),
    onSwitchedToHttps: (baseUrl) => {
      serverAddress = withOriginOf(serverAddress, baseUrl);
      profile.log?.(`The server moved this client to https: ${serverAddress} from now on`);
      profile.onServerAddressChanged?.(serverAddress);
    },
    timeoutMs: profile.timeoutMs,
    retryLimit: profile.retryLimit,
    retryBaseMs: profile.retryBaseMs,
    retryMaxDelayMs: profile.retryMaxDelayMs,
    offlineBudgetMs: profile.offlineBudgetMs,
    maxAnswerBytes: profile.maxAnswerBytes,
    maxConcurrent: profile.maxConcurrent,
    retryAfterLimitMs: profile.retryAfterLimitMs,
    random: profile.random,
    onAttempt: profile.onAttempt,
  });
  const ctx: ResourceContext = {
    transport,
    pageConcurrency: profile.pageConcurrency ?? 4,
    perPage: profile.perPage,
    log: profile.log,
    listPageLimit: profile.listPageLimit,
    listTimeLimitMs: profile.listTimeLimitMs,
  };
  const jobs = createJobsApi(ctx);
  return {
    get serverAddress() {
      return serverAddress;
    },
    serverNow: () => transport.serverNow(),
    instanceVersion: async (o) => (await callParsed(ctx, 'instance.version', {}, z.object({ version: z.string() }), o)).version,
    users: createUsersApi(ctx),
    roles: createRolesApi(ctx),
    teams: createTeamsApi(ctx),
    workspaces: createWorkspacesApi(ctx),
    projects: createProjectsApi(ctx),
    datasets: createDatasetsApi(ctx),
    images: createImagesApi(ctx, () => serverAddress),
    jobs,
    bulk: createBulkApi(ctx, jobs),
    queues: createQueuesApi(ctx),
  };
}
