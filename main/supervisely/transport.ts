// The one place where Supervisely calls meet the network: a ky instance per profile (POST JSON,
// x-api-key, no redirects, no ky retries), the SDK's retry policy (supervisely-api.md §1.6), per-attempt timeouts,
// the no-blind-resend rule for non-idempotent calls (§1.11), the mapping of every failure to an ApiError, and the
// server's scheme: the https probe of a bare host (§1.8) and one switch on a redirect to https on the same host.
import ky, { type KyInstance } from 'ky';
import { AnswerTooLarge, formatBytes, readBodyCapped, readTextCapped } from './body';
import { createLimiter } from './concurrency';
import { ApiError } from './errors';
import { backoffDelayMs, retryAfterMs } from './policy';

/** Calls the server may have applied even when the answer is lost: never re-sent blindly. */
export const NON_IDEMPOTENT_ENDPOINTS: ReadonlySet<string> = new Set(['jobs.add', 'users.add', 'members.add', 'jobs.restart']);

/** Statuses the SDK retries (supervisely-api.md §1.6). */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([408, 429, 499, 500, 502, 503, 504, 509, 598, 599]);
/** Redirects that may move us from http to https on the same host. */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 307, 308]);
/** Retryable statuses that say the request was refused before it was processed: safe even for jobs.add. */
const REFUSED_UNPROCESSED: ReadonlySet<number> = new Set([408, 429]);
const AGENT_NOT_CONNECTED = 'Agent should call AgentConnected or AgentPing before attempting any other request';

/** Error codes of a connection that failed before any byte of the request left this machine. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface AttemptEvent {
  endpoint: string;
  attempt: number; // 1-based
  outcome: string; // 'ok', an HTTP status, a network error code, 'timeout'
  ms: number;
}

export interface TransportOptions {
  baseUrl: string;
  apiToken: string;
  /** the address had no scheme: before the first call, try https:// on the same host, else stay on http:// */
  probeHttps?: boolean;
  /** told when the transport switched to https (probe or redirect), with the new base URL, to remember it */
  onSwitchedToHttps?: (baseUrl: string) => void;
  /** per-attempt timeout, covering the answer's body too; default 30 s */
  timeoutMs?: number;
  /** total attempts for retryable failures; default 10 (the SDK's retry_count) */
  retryLimit?: number;
  /** backoff after failed attempt k is random in [0, min(base × 2^k, retryMaxDelayMs)] (full jitter); default 1000 ms */
  retryBaseMs?: number;
  /** cap of one backoff sleep; default 60 s like the SDK */
  retryMaxDelayMs?: number;
  /** longest Retry-After waited for; a longer one ends the call with the wait in its message; default 60 s */
  retryAfterLimitMs?: number;
  /** requests in flight at once through this transport; a function is read again for every request (a setting); default 8 */
  maxConcurrent?: number | (() => number);
  /** the jitter's randomness, [0, 1); default Math.random */
  random?: () => number;
  /**
   * Refused connections (nothing listening, DNS failure) stop being retried once this much time has
   * passed since the first attempt, so an offline app learns it within seconds; default 5 s.
   */
  offlineBudgetMs?: number;
  /** answers over this many bytes are cancelled while they stream; default 64 MB (a 1,000-job page is ~3 MB) */
  maxAnswerBytes?: number;
  onAttempt?: (e: AttemptEvent) => void;
}

/** Default cap of one JSON answer. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface ImageFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface Transport {
  /** the base every call is resolved against; changes once if the server moves us to https */
  readonly baseUrl: string;
  /** the bound on requests in flight now: callers that fan out (bulk actions) start this many at once */
  readonly maxConcurrent: number;
  /** POSTs `body` to `{base}/{endpoint}` and returns the parsed JSON answer, or throws an ApiError. */
  call(endpoint: string, body: object, o?: CallOptions): Promise<unknown>;
  /**
   * GETs an image (preview, thumbnail): the token only to the server's own origin, no redirect followed,
   * at most `maxBytes` read. null when the server has no image there.
   */
  fetchImage(url: string, o: ImageFetchOptions): Promise<{ mime: string; data: Uint8Array } | null>;
  /** the server's clock now, from the `Date` header of its latest answer (null before any); sync's "since" */
  serverNow(): Date | null;
}

type Outcome =
  | { type: 'ok'; text: string }
  | { type: 'http'; status: number; text: string; retryAfterMs: number | null; location: string | null }
  | { type: 'network'; sent: boolean; code: string; message: string }
  | { type: 'timeout' }
  | { type: 'too_large'; maxBytes: number; declaredBytes: number | null };

/** `{error, details{message} | details[0]{message}}`, else the raw text (supervisely-api.md §1.5). */
export function parseErrorBody(text: string): { title: string | null; message: string } {
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const { error, details, message } = json as Record<string, unknown>;
      const first = Array.isArray(details) ? details[0] : details;
      const detail = first && typeof first === 'object' ? (first as Record<string, unknown>).message : undefined;
      const title = typeof error === 'string' ? error : null;
      const text2 = typeof detail === 'string' ? detail : typeof message === 'string' ? message : title;
      if (text2) return { title, message: text2 };
    }
  } catch {
    // not JSON: fall back to the text itself
  }
  const trimmed = text.trim();
  return { title: null, message: trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed };
}

/** Error codes found along an error's cause chain (undici nests them; happy-eyeballs aggregates them). */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(e.cause, depth + 1)];
}

function networkOutcome(err: unknown): Outcome {
  const codes = errorCodes(err);
  // Sent = unknown unless every code says the connection never opened (then nothing reached the server).
  const sent = codes.length === 0 || !codes.every((c) => NOT_SENT_CODES.has(c));
  const cause = (err as { cause?: { message?: string } }).cause;
  return {
    type: 'network',
    sent,
    code: codes[0] ?? 'network error',
    message: cause?.message ?? (err instanceof Error ? err.message : String(err)),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortedError(endpoint: string): ApiError {
  return new ApiError('aborted', `${endpoint} was cancelled`, endpoint);
}

/** The ApiError for a final HTTP answer that is not 200. */
export function httpError(endpoint: string, status: number, text: string, attempts: number): ApiError {
  const { title, message } = parseErrorBody(text);
  const details = { status, serverMessage: message };
  const said = message ? `: ${message}` : '';
  if (status === 401)
    return new ApiError('unauthorized', `The server refused the token (401${said}). Check the API token in Settings.`, endpoint, details);
  if (status === 403)
    return new ApiError(
      'forbidden',
      `The server does not allow ${endpoint} for this token's user (403${said}). Ask a team admin for a role that allows it.`,
      endpoint,
      details,
    );
  if (status === 404) return new ApiError('not_found', `${endpoint}: not found (404${said})`, endpoint, details);
  if (status >= 500) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return new ApiError('server', `The server failed ${endpoint} (${status}${said})${tries}. Try again later.`, endpoint, details);
  }
  if (status === 429)
    return new ApiError(
      'server',
      `The server kept rejecting ${endpoint} as too many requests (429) after ${attempts} attempts. Try again later.`,
      endpoint,
      details,
    );
  return new ApiError(
    'validation',
    `The server refused ${endpoint} (${status}${title && title !== message ? ` ${title}` : ''}${said})`,
    endpoint,
    details,
  );
}

function outcomeUnknown(endpoint: string, why: string, details: ApiError['details'] = {}): ApiError {
  return new ApiError(
    'outcome_unknown',
    `${endpoint} may or may not have been applied: ${why}. Check the server before sending it again.`,
    endpoint,
    details,
  );
}

export function createTransport(options: TransportOptions): Transport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryLimit = Math.max(1, options.retryLimit ?? 10);
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 60_000;
  const offlineBudgetMs = options.offlineBudgetMs ?? 5_000;
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const maxConcurrent = options.maxConcurrent ?? 8;
  const currentMax = typeof maxConcurrent === 'function' ? () => Math.max(1, maxConcurrent()) : () => Math.max(1, maxConcurrent);
  const limit = createLimiter(currentMax);
  const random = options.random ?? Math.random;
  const retryAfterLimitMs = options.retryAfterLimitMs ?? 60_000;
  let baseUrl = options.baseUrl;
  let origin = new URL(baseUrl).origin;
  // the server's Date header and our monotonic time when it arrived: server time = date + elapsed since
  let serverClock: { date: number; at: number } | null = null;

  const switchToHttps = (port: string) => {
    const next = new URL(baseUrl);
    next.protocol = 'https:';
    next.port = port;
    baseUrl = next.href;
    origin = next.origin;
    options.onSwitchedToHttps?.(baseUrl);
  };

  /** §1.8: `GET https://{host:port}/`, no redirect followed; any answer below 400 → https from now on. */
  let probe: Promise<void> | null = null;
  const probeHttps = () =>
    (probe ??= (async () => {
      const target = new URL(baseUrl);
      if (!options.probeHttps || target.protocol !== 'http:') return;
      try {
        const res = await fetch(`https://${target.host}/`, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
        await res.body?.cancel().catch(() => undefined);
        if (res.status < 400) switchToHttps(target.port);
      } catch {
        // no TLS there: stay on http, like the SDK
      }
    })());

  /** A redirect to https on the same host (http → https): switch once. Anything else is not followed. */
  const isHttpsUpgrade = (location: string | null): URL | null => {
    if (!location) return null;
    const to = new URL(location, baseUrl);
    const from = new URL(baseUrl);
    return from.protocol === 'http:' && to.protocol === 'https:' && to.hostname === from.hostname ? to : null;
  };

  // ky does the request plumbing only; retries, timeouts and error mapping live in the loop below.
  const http: KyInstance = ky.create({
    headers: { 'x-api-key': options.apiToken },
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    redirect: 'manual',
  });

  async function attemptOnce(endpoint: string, body: object, callerSignal?: AbortSignal): Promise<Outcome> {
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timer.signal]) : timer.signal;
    try {
      const res = await http.post(new URL(endpoint, baseUrl), { json: body, signal });
      const text = await readTextCapped(res, maxAnswerBytes);
      const date = Date.parse(res.headers.get('date') ?? '');
      if (Number.isFinite(date)) serverClock = { date, at: performance.now() };
      if (res.status === 200) return { type: 'ok', text };
      const retryAfter = retryAfterMs(res.headers.get('retry-after'), res.headers.get('date'));
      return {
        type: 'http',
        status: res.status,
        text,
        retryAfterMs: retryAfter,
        location: res.headers.get('location'),
      };
    } catch (err) {
      if (err instanceof AnswerTooLarge) return { type: 'too_large', maxBytes: err.maxBytes, declaredBytes: err.declaredBytes };
      if (callerSignal?.aborted) throw abortedError(endpoint);
      if (timer.signal.aborted) return { type: 'timeout' };
      return networkOutcome(err);
    } finally {
      clearTimeout(timeout);
    }
  }

  async function call(endpoint: string, body: object, o: CallOptions = {}): Promise<unknown> {
    const { signal } = o;
    const idempotent = !NON_IDEMPOTENT_ENDPOINTS.has(endpoint);
    const started = Date.now();
    await probeHttps();
    let switched = false;
    for (let k = 0; ; k++) {
      if (signal?.aborted) throw abortedError(endpoint);
      const t0 = performance.now();
      const outcome = await limit(() => attemptOnce(endpoint, body, signal));
      const attempts = k + 1;
      options.onAttempt?.({
        endpoint,
        attempt: attempts,
        outcome: outcome.type === 'http' ? String(outcome.status) : outcome.type === 'network' ? outcome.code : outcome.type,
        ms: performance.now() - t0,
      });

      if (outcome.type === 'ok') return parseJson(endpoint, outcome.text);
      // The same request would get the same answer: never retried. A create may have happened all the same.
      if (outcome.type === 'too_large') {
        const declared = outcome.declaredBytes === null ? '' : `; it declared ${formatBytes(outcome.declaredBytes)}`;
        const why = `the answer was too large (over ${formatBytes(outcome.maxBytes)}${declared})`;
        if (!idempotent) throw outcomeUnknown(endpoint, why);
        throw new ApiError('too_large', `${endpoint}: ${why}, so it was not read.`, endpoint);
      }

      let finalError: ApiError;
      let delay = backoffDelayMs({ retryBaseMs, retryMaxDelayMs }, k, random);
      if (outcome.type === 'http') {
        const { status } = outcome;
        if (status >= 300 && status < 400) {
          const upgrade = REDIRECTS.has(status) && !switched ? isHttpsUpgrade(outcome.location) : null;
          if (upgrade) {
            // A redirect answers before the call is processed: sending it again to https is safe, even for jobs.add.
            switched = true;
            switchToHttps(upgrade.port);
            k--;
            continue;
          }
          const where = outcome.location ? ` to ${new URL(outcome.location, baseUrl).href}` : '';
          // malformed, not validation: the outbox keeps queued changes for when the address is fixed
          throw new ApiError(
            'malformed_response',
            `The server at ${origin} answered ${endpoint} with a redirect (${status}${where}) instead of an API answer; ` +
              `it was not followed, so the token stays with ${origin}. Check the server address in Settings` +
              `${where ? ` (perhaps it should be ${new URL(outcome.location!, baseUrl).origin})` : ''}.`,
            endpoint,
            { status },
          );
        }
        const agentRetry = status === 400 && parseErrorBody(outcome.text).title === AGENT_NOT_CONNECTED;
        if (!RETRIED_STATUSES.has(status) && !agentRetry) throw httpError(endpoint, status, outcome.text, attempts);
        if (!idempotent && !REFUSED_UNPROCESSED.has(status)) {
          throw outcomeUnknown(endpoint, `the server answered ${status} (${parseErrorBody(outcome.text).message || 'no message'})`, {
            status,
          });
        }
        finalError = httpError(endpoint, status, outcome.text, attempts);
        if (outcome.retryAfterMs !== null) {
          // Honoured, never shortened: a wait longer than we may sleep ends the call (sync and the outbox come back later).
          if (outcome.retryAfterMs > retryAfterLimitMs) {
            throw new ApiError(
              'server',
              `The server asked to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s before ${endpoint} again (${status}). ` +
                'It will be tried again later.',
              endpoint,
              { status },
            );
          }
          delay = Math.max(delay, outcome.retryAfterMs);
        }
      } else if (outcome.type === 'timeout') {
        if (!idempotent) throw outcomeUnknown(endpoint, `no answer within ${timeoutMs / 1000} s`);
        finalError = new ApiError(
          'timeout',
          `The server did not answer ${endpoint} within ${timeoutMs / 1000} s (${attempts} attempt${attempts > 1 ? 's' : ''}). It may be overloaded; try again later.`,
          endpoint,
        );
      } else {
        if (!idempotent && outcome.sent)
          throw outcomeUnknown(endpoint, `the connection failed after the request was sent (${outcome.code})`);
        finalError = new ApiError(
          'offline',
          `Cannot reach the server at ${origin} (${outcome.code}${outcome.message && !outcome.message.includes(outcome.code) ? `: ${outcome.message}` : ''}) after ${attempts} attempt${attempts > 1 ? 's' : ''}. Check the address and your connection.`,
          endpoint,
        );
        // A connection that never opened says nothing is listening: give up within the offline budget.
        if (!outcome.sent && Date.now() - started + delay > offlineBudgetMs) throw finalError;
      }
      if (attempts >= retryLimit) throw finalError;
      try {
        await sleep(delay, signal);
      } catch {
        throw abortedError(endpoint);
      }
    }
  }

  async function fetchImage(url: string, o: ImageFetchOptions) {
    const absolute = new URL(url, baseUrl);
    const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs), ...(o.signal ? [o.signal] : [])]);
    const headers: Record<string, string> = absolute.origin === origin ? { 'x-api-key': options.apiToken } : {};
    try {
      const res = await fetch(absolute, { headers, signal, redirect: 'manual' });
      const mime = (res.headers.get('content-type') ?? 'image/jpeg').split(';')[0]!.trim();
      if (res.status !== 200 || !mime.startsWith('image/')) {
        await res.body?.cancel().catch(() => undefined);
        return null;
      }
      return { mime, data: await readBodyCapped(res, o.maxBytes) };
    } catch (err) {
      if (err instanceof AnswerTooLarge) {
        throw new ApiError('too_large', `The image at ${absolute.pathname}: ${err.message}, so it was not read.`, 'image');
      }
      if (o.signal?.aborted) throw abortedError('image');
      const why = err instanceof Error ? err.message : String(err);
      throw new ApiError('offline', `Could not fetch the image at ${absolute.pathname}: ${why}`, 'image');
    }
  }

  return {
    get baseUrl() {
      return baseUrl;
    },
    get maxConcurrent() {
      return currentMax();
    },
    call,
    fetchImage,
    serverNow: () => (serverClock ? new Date(serverClock.date + performance.now() - serverClock.at) : null),
  };
}

function parseJson(endpoint: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const start = text.trim().slice(0, 60);
    throw new ApiError(
      'malformed_response',
      `${endpoint} answered with a body that is not JSON${start ? ` ("${start}${text.length > 60 ? '…' : ''}")` : ' (empty)'}`,
      endpoint,
    );
  }
}
