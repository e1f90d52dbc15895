// The loopback web bridge: the contract's channels over HTTP (POST /api/<channel>, web-api.ts), its events
// as Server-Sent Events (GET /api/events, web-events.ts), and the built renderer as static files
// (web-static.ts) — on 127.0.0.1 only. Every request must name our own Host, and every API request must
// pass web-session.ts (our Origin, the per-launch session cookie), so neither another local page nor a
// DNS-rebinding site can drive the app. This module only routes and owns the server's life.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Core } from '../core';
import { serveChannel } from './web-api';
import { createEventStreams } from './web-events';
import { answerFailure, HttpRefusal } from './web-http';
import { createWebSession } from './web-session';
import { serveStatic } from './web-static';

export interface WebBridgeOptions {
  core: Pick<Core, 'handlers' | 'on'>;
  /** folder of the built renderer (index.html + assets) */
  staticDir: string;
  /** 0 = a free port */
  port?: number;
  /** fixed session secret (tests); default: 32 random bytes */
  secret?: string;
  /** how long a one-time login code stays valid (default 10 minutes) */
  codeTtlMs?: number;
  /** check every core answer against the contract (tests and development) */
  validateResponses?: boolean;
  log?: (line: string) => void;
}

export interface WebBridge {
  /** a fresh URL to open the app with: carries a one-time code (each call mints a new one) */
  loginUrl(): string;
  origin: string;
  port: number;
  /** `name=value` of the session cookie, for callers that are not browsers (tests) */
  sessionCookie: string;
  close(): Promise<void>;
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const staticRoot = resolve(options.staticDir);
  const validateResponse = options.validateResponses ?? process.env.NODE_ENV !== 'production';
  const log = options.log;
  const sockets = new Set<Socket>();
  let port = 0;
  const session = createWebSession(options.secret ?? randomBytes(32).toString('base64url'), () => port, options.codeTtlMs);
  const eventStreams = createEventStreams(options.core);

  const server = createServer((req, res) => {
    const handle = async () => {
      // DNS rebinding: a foreign name that resolves to 127.0.0.1 still says its own name in Host.
      if (!session.isOwnHost(String(req.headers.host ?? ''))) throw new HttpRefusal(403, 'forbidden', 'Unknown host.');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const code = url.searchParams.get('code');
      if (code !== null && path === '/') return session.exchangeCode(req, res, code);
      if (path === '/api/events') {
        session.checkCaller(req);
        if (req.method !== 'GET') throw new HttpRefusal(405, 'invalid_request', 'Read events with GET.');
        return eventStreams.open(req, res);
      }
      if (path.startsWith('/api/')) {
        session.checkCaller(req);
        return serveChannel(options.core.handlers, req, res, path.slice('/api/'.length), { validateResponse, log });
      }
      return serveStatic(staticRoot, req, res, path);
    };
    handle().catch((err: unknown) => answerFailure(req, res, err, log));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ready();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    loginUrl: () => `${origin}/?code=${session.mintCode()}`,
    origin,
    port,
    sessionCookie: session.cookie(),
    close: () =>
      new Promise<void>((done) => {
        eventStreams.close();
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
