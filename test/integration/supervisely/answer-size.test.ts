// Answers too large to hold (issue 13.6), over real HTTP: the cap applies while the body streams, so the
// download stops soon after the cap; the error says the answer was too large. Previews have their own cap,
// send the token only to our own server and follow no redirect.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { fastClient, json, startTinyServer, type TinyServer } from './support';
import { ApiError } from '../../../main/supervisely/errors';
import { describeError } from '../../../main/sync/errors';

const servers: TinyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function tiny(answer: Parameters<typeof startTinyServer>[0]): Promise<TinyServer> {
  const s = await startTinyServer(answer);
  servers.push(s);
  return s;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const MB = 1024 * 1024;

/** Streams `totalMb` of a JSON array without Content-Length; counts what it managed to write. */
function streamHuge(res: ServerResponse, totalMb: number, sent: { bytes: number }): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.from(`${'{"id":1,"name":"x"},'.repeat(MB / 20)}`);
  res.write('[');
  const pump = () => {
    while (sent.bytes < totalMb * MB) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end('{}]');
  };
  res.on('close', () => undefined);
  pump();
}

describe('JSON answers over the cap', () => {
  it('a streamed 200 MB answer is cut off near the cap: too_large, "the answer was too large", memory bounded', async () => {
    const sent = { bytes: 0 };
    const server = await tiny((_req, res) => streamHuge(res, 200, sent));
    const api = fastClient(server.url, 't', { maxAnswerBytes: 2 * MB });
    const rssBefore = process.memoryUsage().rss;
    const err = await failure(api.teams.getInfoById(8));
    expect(err).toMatchObject({ kind: 'too_large', endpoint: 'teams.info' });
    expect(err.message).toBe('teams.info: the answer was too large (over 2 MB), so it was not read.');
    expect(describeError(err)).toMatch(/^The answer to teams\.info was too large to read safely .* Narrow what is asked for/);
    expect(sent.bytes).toBeLessThan(100 * MB); // the download stopped long before the end
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * MB);
    expect(server.requests).toHaveLength(1); // never retried: the same request gets the same answer
  });

  it('a declared Content-Length over the cap is refused before reading', async () => {
    const server = await tiny((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(600 * MB) });
      res.write('[');
    });
    const err = await failure(fastClient(server.url, 't', { maxAnswerBytes: MB }).teams.list());
    expect(err.message).toBe('teams.list: the answer was too large (over 1 MB; it declared 600 MB), so it was not read.');
  });

  it('an answer under the cap is read as usual', async () => {
    const server = await tiny((_req, res) => json(res, 200, { id: 8, name: 'team' }));
    expect(await fastClient(server.url, 't', { maxAnswerBytes: 1024 }).teams.getInfoById(8)).toMatchObject({ id: 8 });
  });

  it('a too large answer to jobs.add is outcome_unknown (the job may exist), never resent', async () => {
    const sent = { bytes: 0 };
    const server = await tiny((_req, res) => streamHuge(res, 10, sent));
    const err = await failure(fastClient(server.url, 't', { maxAnswerBytes: MB }).jobs.create({ name: 'j', datasetId: 1, userIds: [2] }));
    expect(err.kind).toBe('outcome_unknown');
    expect(err.message).toContain('the answer was too large (over 1 MB)');
    expect(server.requests).toHaveLength(1);
  });
});

describe('image previews', () => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex');

  it('reads a preview from our server with the token; over the cap → too_large', async () => {
    const server = await tiny((req, res) => {
      if (req.path === '/previews/1.png') return void res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.alloc(3 * MB));
    });
    const api = fastClient(server.url, 'T0KEN');
    const image = await api.images.fetchPreview('/previews/1.png');
    expect(image).toMatchObject({ mime: 'image/png' });
    expect(Buffer.from(image!.data)).toEqual(png);
    expect(server.requests[0]!.headers['x-api-key']).toBe('T0KEN');
    const err = await failure(api.images.fetchPreview('/previews/big.png', { maxBytes: MB }));
    expect(err.kind).toBe('too_large');
    expect(err.message).toContain('the answer was too large (over 1 MB)');
  });

  it('never sends the token to another origin, and follows no redirect there', async () => {
    const elsewhere = await tiny((_req, res) => void res.writeHead(200, { 'Content-Type': 'image/png' }).end(png));
    const server = await tiny((_req, res) => void res.writeHead(302, { Location: `${elsewhere.url}/stolen.png` }).end());
    const api = fastClient(server.url, 'T0KEN');
    expect(await api.images.fetchPreview('/previews/1.png')).toBeNull(); // the redirect is not followed
    expect(elsewhere.requests).toHaveLength(0);
    expect(await api.images.fetchPreview(`${elsewhere.url}/direct.png`)).toMatchObject({ mime: 'image/png' });
    expect(elsewhere.requests[0]!.headers['x-api-key']).toBeUndefined();
  });
});
