// Page mode of every list endpoint (supervisely-api.md §2.1): the first page exactly as the SDK asks for it, then
// pages 2…N in parallel with bounded concurrency, yielded in order, and the SDK's count == total check.
// A row that does not parse is skipped (and reported with the page), never the whole page.
import type { z } from 'zod';
import { ApiError } from './errors';
import { pageEnvelopeWire, parseRows, parseWire, type SkippedRow } from './schemas';
import type { Transport } from './transport';

/** Rows of a list (or of one page), with the rows that were skipped because they did not parse. */
export type Listed<T> = T[] & { skipped: SkippedRow[] };

function listed<T>(items: T[], skipped: SkippedRow[]): Listed<T> {
  // Not enumerable: the list still compares, spreads and serialises as the plain array of its rows.
  return Object.defineProperty(items, 'skipped', { value: skipped, enumerable: false }) as Listed<T>;
}

export interface PageOptions {
  signal?: AbortSignal | undefined;
  /** pages fetched at the same time after the first; default 4 */
  concurrency?: number | undefined;
  /** ask for this page size from the first request on (the SDK lets the server choose) */
  perPage?: number | undefined;
  /** add sort id asc when the body has none (the SDK's paginator does; teams.activity does not) */
  addSort?: boolean;
  /** fail when the pages do not add up to `total` (teams.activity only warns in the SDK) */
  checkTotal?: boolean;
  /** told about every skipped row (for the log) */
  onSkipped?: ((endpoint: string, row: SkippedRow) => void) | undefined;
}

/** The body of the first page: `sort: "id", sort_order: "asc"` added when absent, no page/per_page. */
export function firstPageBody(body: Record<string, unknown>, o: Pick<PageOptions, 'addSort' | 'perPage'> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if ((o.addSort ?? true) && !('sort' in out)) {
    out.sort = 'id';
    out.sort_order = 'asc';
  }
  if (o.perPage !== undefined) out.per_page = o.perPage;
  return out;
}

/** Streams the pages of a list endpoint, each parsed with `entity`; pages arrive in order. */
export async function* streamPages<S extends z.ZodType>(
  transport: Transport,
  endpoint: string,
  body: Record<string, unknown>,
  entity: S,
  o: PageOptions = {},
): AsyncGenerator<Listed<z.output<S>>, void, undefined> {
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const base = firstPageBody(body, o);
  // Pages still in flight when the consumer stops early are cancelled with this controller.
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;

  const fetchPage = async (page: number | null, perPage: number | null) => {
    const json = await transport.call(endpoint, page === null ? base : { ...base, page, per_page: perPage }, { signal });
    const env = parseWire(pageEnvelopeWire, json, endpoint);
    const { items, skipped } = parseRows(entity, env.entities, endpoint);
    for (const row of skipped) o.onSkipped?.(endpoint, row);
    return { env, rows: env.entities.length, page: listed(items as z.output<S>[], skipped) };
  };

  try {
    const first = await fetchPage(null, null);
    const { total, perPage, pagesCount } = first.env;
    let received = first.rows;
    yield first.page;
    if (!(pagesCount <= 1 && received === total)) {
      const inFlight = new Map<number, Promise<Awaited<ReturnType<typeof fetchPage>>>>();
      let nextToStart = 2;
      const topUp = () => {
        while (inFlight.size < concurrency && nextToStart <= pagesCount) {
          const p = nextToStart++;
          const promise = fetchPage(p, perPage);
          promise.catch(() => undefined); // awaited below; avoids an unhandled rejection if we stop first
          inFlight.set(p, promise);
        }
      };
      for (let p = 2; p <= pagesCount; p++) {
        topUp();
        const page = await inFlight.get(p)!;
        inFlight.delete(p);
        received += page.rows;
        yield page.page;
      }
    }
    if ((o.checkTotal ?? true) && received !== total) {
      throw new ApiError(
        'malformed_response',
        `${endpoint}: the pages held ${received} items but the server said total ${total} (the list changed while it was read?). Try again.`,
        endpoint,
        { field: 'total' },
      );
    }
  } finally {
    stop.abort();
  }
}

/** All pages of a list endpoint, concatenated in order. */
export async function listAllPages<S extends z.ZodType>(
  transport: Transport,
  endpoint: string,
  body: Record<string, unknown>,
  entity: S,
  o: PageOptions = {},
): Promise<Listed<z.output<S>>> {
  const all = listed<z.output<S>>([], []);
  for await (const page of streamPages(transport, endpoint, body, entity, o)) {
    for (const item of page) all.push(item);
    all.skipped.push(...page.skipped);
  }
  return all;
}
