// Page mode of every list endpoint (supervisely-api.md §2.1): the first page exactly as the SDK asks for it, then
// pages 2…N in parallel with bounded concurrency, yielded in order, and the SDK's count == total check.
// A row that does not parse is skipped (and reported with the page), never the whole page. A read stops at
// `total`, at a page that adds nothing new, or at its page and time limits: endless pagesCount cannot hang it.
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
  /** most pages one list read may take; default 20 000 (10 million rows at the server's default 500) */
  pageLimit?: number | undefined;
  /** longest one list read may take, all pages together; default 15 min */
  timeLimitMs?: number | undefined;
}

/** The id of a raw row, when it has one: how a page that only repeats earlier rows is recognised. */
const rawId = (row: unknown): unknown => (row && typeof row === 'object' && 'id' in row ? (row as { id: unknown }).id : undefined);

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
  const pageLimit = Math.max(1, o.pageLimit ?? 20_000);
  const timeLimitMs = o.timeLimitMs ?? 15 * 60_000;
  // Pages still in flight when the consumer stops early are cancelled with this controller.
  const stop = new AbortController();
  const deadline = AbortSignal.timeout(timeLimitMs);
  const signal = AbortSignal.any([stop.signal, deadline, ...(o.signal ? [o.signal] : [])]);
  const seenIds = new Set<unknown>();
  let pagesRead = 0;

  /** Rows of this page not seen before (rows without an id always count as new). */
  const newRows = (rows: readonly unknown[]): number => {
    let fresh = 0;
    for (const row of rows) {
      const id = rawId(row);
      if (id === undefined || !seenIds.has(id)) fresh++;
      if (id !== undefined) seenIds.add(id);
    }
    return fresh;
  };

  const fetchPage = async (page: number | null, perPage: number | null) => {
    const json = await transport.call(endpoint, page === null ? base : { ...base, page, per_page: perPage }, { signal });
    const env = parseWire(pageEnvelopeWire, json, endpoint);
    const { items, skipped } = parseRows(entity, env.entities, endpoint);
    for (const row of skipped) o.onSkipped?.(endpoint, row);
    return { env, rows: env.entities.length, page: listed(items as z.output<S>[], skipped) };
  };

  try {
    const first = await fetchPage(null, null);
    pagesRead = 1;
    const { total, perPage, pagesCount } = first.env;
    let received = newRows(first.env.entities);
    yield first.page;
    // The pages `total` needs at the server's page size; a larger pagesCount is not believed (where total is trusted).
    const checkTotal = o.checkTotal ?? true;
    const lastPage = checkTotal ? Math.min(pagesCount, Math.ceil(total / perPage)) : pagesCount;
    const more = () => !checkTotal || received < total;
    if (lastPage > pageLimit) {
      throw new ApiError(
        'malformed_response',
        `${endpoint}: the server reports ${pagesCount} pages (${total} items), more than the ${pageLimit} one list may read. ` +
          'Narrow the list or check the server.',
        endpoint,
        { field: 'pagesCount' },
      );
    }
    if (more()) {
      const inFlight = new Map<number, Promise<Awaited<ReturnType<typeof fetchPage>>>>();
      let nextToStart = 2;
      const topUp = () => {
        while (inFlight.size < concurrency && nextToStart <= lastPage) {
          const p = nextToStart++;
          const promise = fetchPage(p, perPage);
          promise.catch(() => undefined); // awaited below; avoids an unhandled rejection if we stop first
          inFlight.set(p, promise);
        }
      };
      for (let p = 2; p <= lastPage && more(); p++) {
        topUp();
        const page = await inFlight.get(p)!;
        inFlight.delete(p);
        pagesRead = p;
        const fresh = newRows(page.env.entities);
        if (fresh === 0 && page.rows > 0) {
          throw new ApiError(
            'malformed_response',
            `${endpoint}: page ${p} only repeated items already read (the server reports ${pagesCount} pages); ` +
              'stopped reading. Try again later.',
            endpoint,
            { field: 'pagesCount' },
          );
        }
        if (page.rows === 0) break; // an empty page ends the list; the total check below says if items are missing
        received += fresh;
        yield page.page;
      }
    }
    if (checkTotal && received !== total) {
      throw new ApiError(
        'malformed_response',
        `${endpoint}: the pages held ${received} items but the server said total ${total} (the list changed while it was read?). Try again.`,
        endpoint,
        { field: 'total' },
      );
    }
  } catch (err) {
    if (deadline.aborted && !o.signal?.aborted) {
      throw new ApiError(
        'timeout',
        `${endpoint}: reading the list took longer than ${(timeLimitMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s ` +
          `(stopped after ${pagesRead} pages). The server may be slow or the list endless; try again later.`,
        endpoint,
      );
    }
    throw err;
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
