// Quirk switches: ways real Supervisely servers differ from the tidy default, each switched on by itself
// (a startLocalServer option and a CLI flag): no updatedAt filter, http → https redirect, a rate limit, a limit
// on calls in flight, one list
// forbidden, one project type whose images.list is refused, slow pages, a clock hours off. The server asks
// this module before each API call (gate) and for the time it tells (now).
import type { ServerResponse } from 'node:http';
import { HttpError, badRequest, forbidden } from './errors';
import type { DB } from './store';

export interface Quirks {
  /** jobs.list filters on updatedAt: 'rejected' answers 400 (unknown field), 'ignored' drops them silently. */
  updatedAtFilter?: 'rejected' | 'ignored';
  /** The plain-HTTP port answers 308 to the same path on a second, TLS listener (RunningLocalServer.httpsUrl). */
  httpsRedirect?: boolean;
  /** At most `requests` API calls per token in each window of `windowMs`; more get 429 with Retry-After. */
  rateLimit?: { requests: number; windowMs: number };
  /** At most this many API calls in flight at once, as a gateway's connection limit; more get 429 with Retry-After: 1. */
  maxInFlight?: number;
  /** This list method (e.g. 'members.list') answers 403 for every token, as for a role that may not read it. */
  forbiddenList?: string;
  /** images.list on a dataset or project of this project type (e.g. 'videos') answers 400. */
  imagesListRefusedFor?: string;
  /** Every page of a list method waits this long before answering. */
  pageLatencyMs?: number;
  /** The server's clock runs this many hours off: the Date header and every timestamp it writes. */
  clockOffsetHours?: number;
}

/** Throws when a quirk's value cannot work (the CLI and startLocalServer report it). */
export function checkQuirks(q: Quirks): void {
  if (q.updatedAtFilter !== undefined && q.updatedAtFilter !== 'rejected' && q.updatedAtFilter !== 'ignored') {
    throw new Error(`updatedAtFilter must be 'rejected' or 'ignored', got ${String(q.updatedAtFilter)}`);
  }
  if (q.rateLimit && !(Number.isInteger(q.rateLimit.requests) && q.rateLimit.requests > 0 && q.rateLimit.windowMs > 0)) {
    throw new Error('rateLimit needs a positive integer number of requests and a positive windowMs');
  }
  if (q.maxInFlight !== undefined && !(Number.isInteger(q.maxInFlight) && q.maxInFlight > 0)) {
    throw new Error(`maxInFlight must be a positive integer, got ${q.maxInFlight}`);
  }
  if (q.forbiddenList !== undefined && !/^[a-z.]+\.list$|^teams\.activity$/.test(q.forbiddenList)) {
    throw new Error(`forbiddenList must name a list method such as members.list, got ${q.forbiddenList}`);
  }
  if (q.pageLatencyMs !== undefined && !(q.pageLatencyMs >= 0)) throw new Error(`pageLatencyMs must be ≥ 0, got ${q.pageLatencyMs}`);
  if (q.clockOffsetHours !== undefined && !Number.isFinite(q.clockOffsetHours)) throw new Error('clockOffsetHours must be a number');
}

const isList = (method: string) => method.endsWith('.list') || method === 'teams.activity';

export class QuirkGate {
  private readonly calls = new Map<number, { windowStart: number; count: number }>(); // per caller: the rate window
  private inFlight = 0;

  constructor(private readonly quirks: Quirks) {}

  /** The server's idea of the current time, in ms. */
  nowMs(): number {
    return Date.now() + (this.quirks.clockOffsetHours ?? 0) * 3_600_000;
  }

  /** Whether a request that arrived on this listener (plain or TLS) is answered by a redirect to the TLS one. */
  redirects(tls: boolean): boolean {
    return !!this.quirks.httpsRedirect && !tls;
  }

  /** When an API call arrives: refuses it over the in-flight limit (throws), else counts it until its answer is done. */
  enter(res: ServerResponse): void {
    const max = this.quirks.maxInFlight;
    if (max === undefined) return;
    if (this.inFlight >= max) {
      throw new HttpError(429, 'Too Many Requests', `At most ${max} API calls at once; retry after 1 s`, { 'Retry-After': '1' });
    }
    this.inFlight++;
    res.once('close', () => this.inFlight--);
  }

  /** Before an authenticated API call of `callerId`: refuses it (throws), adjusts its body, or waits (slow pages). */
  async admit(db: DB, callerId: number, method: string, body: Record<string, unknown>): Promise<void> {
    const q = this.quirks;
    if (q.rateLimit) {
      const now = Date.now();
      const seen = this.calls.get(callerId);
      const slot = seen && now - seen.windowStart < q.rateLimit.windowMs ? seen : { windowStart: now, count: 0 };
      this.calls.set(callerId, slot);
      if (++slot.count > q.rateLimit.requests) {
        const wait = Math.max(1, Math.ceil((slot.windowStart + q.rateLimit.windowMs - now) / 1000));
        throw new HttpError(
          429,
          'Too Many Requests',
          `Rate limit: ${q.rateLimit.requests} calls per ${q.rateLimit.windowMs} ms; retry after ${wait} s`,
          { 'Retry-After': String(wait) },
        );
      }
    }
    if (q.forbiddenList === method) throw forbidden(`Your role in this team cannot use ${method} (quirk: this list is forbidden)`);
    if (q.updatedAtFilter && method === 'jobs.list' && Array.isArray(body.filter)) {
      const onUpdatedAt = (f: unknown) => typeof f === 'object' && f !== null && (f as { field?: unknown }).field === 'updatedAt';
      if (body.filter.some(onUpdatedAt)) {
        if (q.updatedAtFilter === 'rejected') throw badRequest("jobs.list: unknown filter field 'updatedAt'", 'Invalid filter');
        body.filter = body.filter.filter((f) => !onUpdatedAt(f));
      }
    }
    if (q.imagesListRefusedFor && method === 'images.list') {
      const type =
        typeof body.datasetId === 'number'
          ? db.prepare('SELECT p.type FROM datasets d JOIN projects p ON p.id = d.project_id WHERE d.id = ?').pluck().get(body.datasetId)
          : db.prepare('SELECT type FROM projects WHERE id = ?').pluck().get(body.projectId);
      if (type === q.imagesListRefusedFor) {
        throw badRequest(`images.list does not serve projects of type '${type}': use that type's own API`, 'Wrong project type');
      }
    }
    if (q.pageLatencyMs && isList(method)) await new Promise((r) => setTimeout(r, q.pageLatencyMs));
  }
}
