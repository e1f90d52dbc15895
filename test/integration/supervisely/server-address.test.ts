// Server addresses as the SDK treats them (supervisely-api.md §1.8), over real sockets: a bare host is tried
// on https first; a redirect to https on the same host switches once and is remembered; any other redirect
// is a clear error naming where it pointed, and the token never follows it.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { endpointOf, fastClient, json, startTinyServer, type TinyServer } from './support';
import { ApiError } from '../../../main/supervisely/errors';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function tiny(answer: Parameters<typeof startTinyServer>[0]): Promise<TinyServer> {
  const s = await startTinyServer(answer);
  closers.push(() => s.close());
  return s;
}

/**
 * A port that notes every TLS ClientHello (first byte 0x16) and closes it, and hands plain HTTP to `http`:
 * it shows which scheme the client spoke, without needing a certificate.
 */
async function schemeSpy(http: TinyServer | null): Promise<{ port: number; spoken: string[] }> {
  const spoken: string[] = [];
  const target = http ? Number(new URL(http.url).port) : 0;
  const sockets = new Set<Socket>();
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('data', (first) => {
      if (first[0] === 0x16) {
        spoken.push('tls');
        return void socket.destroy();
      }
      spoken.push('http');
      if (!http) return void socket.destroy();
      const out = connect(target, '127.0.0.1', () => {
        out.write(first);
        socket.pipe(out).pipe(socket);
      });
      out.on('error', () => socket.destroy());
      sockets.add(out);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, spoken };
}

const version = (res: Parameters<typeof json>[0]) => json(res, 200, { version: '6.12.0' });

describe('server addresses', () => {
  it('a bare host is tried on https first (once), then used on http when no TLS answers', async () => {
    const server = await tiny((_req, res) => version(res));
    const spy = await schemeSpy(server);
    const api = fastClient(`127.0.0.1:${spy.port}`, 't');
    expect(await api.instanceVersion()).toBe('6.12.0');
    expect(await api.instanceVersion()).toBe('6.12.0');
    expect(spy.spoken[0]).toBe('tls');
    expect(spy.spoken.filter((s) => s === 'tls')).toHaveLength(1);
    expect(api.serverAddress).toBe(`http://127.0.0.1:${spy.port}`);
  });

  it('an address with http:// is used as typed: no https probe', async () => {
    const server = await tiny((_req, res) => version(res));
    const spy = await schemeSpy(server);
    await fastClient(`http://127.0.0.1:${spy.port}`, 't').instanceVersion();
    expect(spy.spoken).not.toContain('tls');
  });

  it.each([301, 302, 307, 308])('a %i to https on the same host switches once, is remembered and reported', async (status) => {
    const secure = await schemeSpy(null); // where https would be
    const server = await tiny((req, res) => {
      res.writeHead(status, { Location: `https://127.0.0.1:${secure.port}${req.path}` });
      res.end();
    });
    const changes: string[] = [];
    const api = fastClient(server.url, 'T0KEN', { onServerAddressChanged: (a) => changes.push(a), offlineBudgetMs: 0, retryLimit: 1 });
    const first = await api.instanceVersion().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ApiError); // no certificate at the spy: what matters is where the client went
    expect(secure.spoken).toEqual(['tls']);
    expect(api.serverAddress).toBe(`https://127.0.0.1:${secure.port}`);
    expect(changes).toEqual([`https://127.0.0.1:${secure.port}`]);
    await api.instanceVersion().catch(() => undefined);
    expect(server.requests).toHaveLength(1); // remembered: the http address is not asked again
    expect(secure.spoken).toEqual(['tls', 'tls']);
  });

  it('a redirect anywhere else is a clear error naming where it pointed; the token never goes there', async () => {
    const elsewhere = await tiny((_req, res) => version(res));
    const server = await tiny((req, res) => {
      res.writeHead(302, { Location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/login?next=${endpointOf(req)}` });
      res.end();
    });
    const err = await fastClient(server.url, 'T0KEN')
      .instanceVersion()
      .then(
        () => null,
        (e: unknown) => e as ApiError,
      );
    expect(err).toMatchObject({ kind: 'malformed_response', details: { status: 302 } });
    if (!err) throw new Error('expected a redirect error');
    const target = elsewhere.url.replace('127.0.0.1', 'localhost');
    expect(err.message).toBe(
      `The server at ${server.url} answered instance.version with a redirect (302 to ${target}/login?next=instance.version) instead of an ` +
        `API answer; it was not followed, so the token stays with ${server.url}. Check the server address in Settings (perhaps it should be ${target}).`,
    );
    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('a redirect to https on another host is not followed either', async () => {
    const server = await tiny((_req, res) => void res.writeHead(308, { Location: 'https://login.example.invalid/' }).end());
    const err = await fastClient(server.url, 'T0KEN')
      .instanceVersion()
      .then(
        () => null,
        (e: unknown) => e as ApiError,
      );
    expect(err?.message).toContain('redirect (308 to https://login.example.invalid/)');
  });
});
