// Servers whose pages never end (issue 13.5), over real HTTP: a list read stops at `total`, at a page
// that adds nothing new, or at its page and time limits, with a clear error; a running read can be cancelled.
import { afterEach, describe, expect, it } from 'vitest';
import { endpointOf, fastClient, json, startTinyServer, type TinyServer } from './support';
import { ApiError } from '../../../main/supervisely/errors';

let tiny: TinyServer | undefined;
afterEach(async () => {
  await tiny?.close();
  tiny = undefined;
});

const team = (id: number) => ({ id, name: `team ${id}` });
const pageOf = (req: { body: unknown }) => (req.body as { page?: number }).page ?? 1;

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('a list read that the server would never end', () => {
  it('stops at total even when pagesCount says a million pages', async () => {
    tiny = await startTinyServer((req, res) => {
      const page = pageOf(req);
      json(res, 200, { total: 3, perPage: 2, pagesCount: 1_000_000, entities: page === 1 ? [team(1), team(2)] : [team(2 * page - 1)] });
    });
    const teams = await fastClient(tiny.url, 't').teams.list();
    expect(teams.map((t) => t.id)).toEqual([1, 2, 3]);
    expect(tiny.requests.length).toBeLessThanOrEqual(2 + 4); // the first page, then at most one round of 4
  });

  it('a server that repeats the same page forever → a clear error after a handful of requests', async () => {
    tiny = await startTinyServer((_req, res) =>
      json(res, 200, { total: 10_000, perPage: 2, pagesCount: 5_000, entities: [team(1), team(2)] }),
    );
    const err = await failure(fastClient(tiny.url, 't').teams.list());
    expect(err).toMatchObject({ kind: 'malformed_response', endpoint: 'teams.list', details: { field: 'pagesCount' } });
    expect(err.message).toBe(
      'teams.list: page 2 only repeated items already read (the server reports 5000 pages); stopped reading. Try again later.',
    );
    expect(tiny.requests.length).toBeLessThanOrEqual(1 + 4);
  });

  it('more pages than a list may read → a clear error at once', async () => {
    tiny = await startTinyServer((req, res) =>
      json(res, 200, { total: 1e9, perPage: 2, pagesCount: 5e8, entities: [team(2 * pageOf(req)), team(2 * pageOf(req) + 1)] }),
    );
    const err = await failure(fastClient(tiny.url, 't', { listPageLimit: 100 }).teams.list());
    expect(err.message).toBe(
      'teams.list: the server reports 500000000 pages (1000000000 items), more than the 100 one list may read. Narrow the list or check the server.',
    );
    expect(tiny.requests).toHaveLength(1);
  });

  it('new items on every page, endlessly and slowly → stopped by the time limit with a timeout error', async () => {
    tiny = await startTinyServer((req, res) => {
      setTimeout(
        () => json(res, 200, { total: 1e6, perPage: 2, pagesCount: 5e5, entities: [team(2 * pageOf(req)), team(2 * pageOf(req) + 1)] }),
        20,
      );
    });
    const started = Date.now();
    const err = await failure(fastClient(tiny.url, 't', { listTimeLimitMs: 400, listPageLimit: 1e6 }).teams.list());
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/^teams\.list: reading the list took longer than 0.4 s \(stopped after \d+ pages\)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('an empty page before total → the read ends and says items are missing', async () => {
    tiny = await startTinyServer((req, res) =>
      json(res, 200, { total: 6, perPage: 2, pagesCount: 3, entities: pageOf(req) === 1 ? [team(1), team(2)] : [] }),
    );
    const err = await failure(fastClient(tiny.url, 't').teams.list());
    expect(err).toMatchObject({ kind: 'malformed_response', details: { field: 'total' } });
  });

  it('a running list read is cancelled through its AbortSignal', async () => {
    tiny = await startTinyServer((req, res) => {
      if (endpointOf(req) !== 'jobs.list') return json(res, 404, {});
      setTimeout(() => json(res, 200, { total: 1e6, perPage: 2, pagesCount: 5e5, entities: [] }), pageOf(req) === 1 ? 0 : 5_000);
    });
    const cancel = new AbortController();
    const api = fastClient(tiny.url, 't', { listPageLimit: 1e6 });
    const started = Date.now();
    const reading = api.jobs.list({ teamId: 8 }, { signal: cancel.signal });
    setTimeout(() => cancel.abort(), 100);
    const err = await failure(reading);
    expect(err.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
