// Retry policies of the client, in one place: how often, how patiently and how many at a time calls go to a
// shared real server. Backoff is exponential with full jitter; Retry-After is parsed here (seconds or HTTP-date).

export interface RetryPolicy {
  /** total attempts for retryable failures */
  retryLimit: number;
  /** backoff before retry k (0-based) is a random time in [0, min(retryBaseMs × 2^k, retryMaxDelayMs)] */
  retryBaseMs: number;
  /** cap of one backoff sleep */
  retryMaxDelayMs: number;
  /** longest Retry-After waited for; a longer one ends the call instead (the caller comes back later) */
  retryAfterLimitMs: number;
  /** per attempt, the answer's body included */
  timeoutMs: number;
  /** requests in flight at once through one client */
  maxConcurrent: number;
}

/**
 * Sync and the outbox: patient with a busy server (a 429 burst or a deploy), and a per-attempt timeout
 * that lets a 1,000-row jobs page (~3 MB) arrive at ~30 KB/s. The outbox retries again later by itself.
 */
export const BACKGROUND_POLICY: RetryPolicy = {
  retryLimit: 6,
  retryBaseMs: 500,
  retryMaxDelayMs: 30_000,
  retryAfterLimitMs: 60_000,
  timeoutMs: 120_000,
  maxConcurrent: 6,
};

/** A person is waiting (Test connection): answer within seconds, retry once. */
export const INTERACTIVE_POLICY: RetryPolicy = {
  retryLimit: 2,
  retryBaseMs: 250,
  retryMaxDelayMs: 2_000,
  retryAfterLimitMs: 5_000,
  timeoutMs: 8_000,
  maxConcurrent: 4,
};

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads clients that failed together. */
export function backoffDelayMs(policy: Pick<RetryPolicy, 'retryBaseMs' | 'retryMaxDelayMs'>, retry: number, random: () => number): number {
  return Math.floor(random() * Math.min(policy.retryBaseMs * 2 ** retry, policy.retryMaxDelayMs));
}

/**
 * Milliseconds a `Retry-After` value asks to wait: delta-seconds, or an HTTP-date measured against the
 * answer's own `Date` header when it has one (the server's clock, not ours). null when absent or unreadable.
 */
export function retryAfterMs(value: string | null, serverDate: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null; // "-3" is neither delta-seconds nor a date (Date.parse would read a year)
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  const base = serverDate ? Date.parse(serverDate) : Number.NaN;
  return Math.max(0, at - (Number.isNaN(base) ? now : base));
}
