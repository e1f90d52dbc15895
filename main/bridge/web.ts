// The loopback web bridge: the contract's channels over HTTP (POST /api/<channel>), its events as
// Server-Sent Events (GET /api/events), and the built renderer as static files — on 127.0.0.1 only.
// Every API request must carry the per-launch session cookie and name our own Host (and Origin, when
// sent), so neither another local page nor a DNS-rebinding site can drive the app. The session secret
// never leaves this process except as that HttpOnly cookie: what is printed or handed to a browser
// on its command line is a one-time code, dead after its first use (GET /?code=… sets the cookie and
// redirects to the clean URL).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { events, isChannelName, type EventName } from '#shared/contract';
import { callChannel, envelopeOfError } from './dispatch';
import type { Core } from '../core';
import { CONTENT_SECURITY_POLICY } from './csp';
import { contentTypeOf, staticFileOf } from './static-files';

export interface WebBridgeOptions {
  core: Pick<Core, 'handlers' | 'on'>;
  /** folder of the built renderer (index.html + assets) */
  staticDir: string;
  /** 0 = a free port */
  port?: number;
  /** fixed session secret (tests); default: 32 random bytes */
  secret?: string;
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

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const HEARTBEAT_MS = 25_000;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The request body as text, at most MAX_BODY_BYTES (more: a 413, and the connection is closed). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const tooLarge = () => new HttpRefusal(413, 'invalid_request', `Requests are limited to ${MAX_BODY_BYTES} bytes.`);
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The value of cookie `name` in a Cookie header, or ''. */
function sessionCookieOf(header: string | undefined, name: string): string {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return '';
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const secretBytes = Buffer.from(secret);
  const staticRoot = resolve(options.staticDir);
  const validate = options.validateResponses ?? process.env.NODE_ENV !== 'production';
  const log = options.log;
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const unusedCodes = new Set<string>();
  // cookies are not kept apart by port: the name carries it, so two launches do not collide
  const cookieName = () => `ljd_session_${port}`;

  const hasSession = (req: IncomingMessage) => {
    const given = Buffer.from(sessionCookieOf(req.headers.cookie, cookieName()));
    return given.length === secretBytes.length && timingSafeEqual(given, secretBytes);
  };

  const checkCaller = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      throw new HttpRefusal(403, 'forbidden', 'Requests from other origins are refused.');
    }
    if (!hasSession(req)) {
      throw new HttpRefusal(401, 'forbidden', 'No valid session: open the link the app printed when it started (each link works once).');
    }
  };

  /** GET /?code=…: a known code is spent and becomes the session cookie; the address bar is cleaned. */
  const exchangeCode = (req: IncomingMessage, res: ServerResponse, code: string) => {
    const known = unusedCodes.delete(code);
    if (!known && !hasSession(req)) {
      const message = 'This link was already used or is not from this launch: open a new link the app prints (restart it).';
      throw new HttpRefusal(401, 'forbidden', message);
    }
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      Location: '/',
      'Cache-Control': 'no-store',
      'Set-Cookie': `${cookieName()}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end();
  };

  const serveApi = async (req: IncomingMessage, res: ServerResponse, name: string) => {
    if (req.method !== 'POST') throw new HttpRefusal(405, 'invalid_request', 'Call channels with POST.');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new HttpRefusal(415, 'invalid_request', 'Send channel requests as application/json.');
    }
    if (!isChannelName(name)) throw new HttpRefusal(404, 'invalid_request', `There is no channel named '${name}'.`);
    let payload: unknown;
    try {
      const raw = await readBody(req);
      payload = raw ? JSON.parse(raw) : {};
    } catch (err) {
      if (err instanceof HttpRefusal) throw err;
      throw new HttpRefusal(400, 'invalid_request', `${name}: the request body is not valid JSON.`);
    }
    const { envelope, failure } = await callChannel(options.core.handlers, name, payload, { validateResponse: validate, log });
    sendJson(res, failure === 'invalid_request' ? 400 : failure === 'bad_response' ? 500 : 200, envelope);
  };

  const serveEvents = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'invalid_request', 'Only GET here.');
    const file = staticFileOf(staticRoot, path);
    if (!file) throw new HttpRefusal(404, 'not_found', 'Not found.');
    if (!existsSync(join(staticRoot, 'index.html'))) {
      throw new HttpRefusal(503, 'internal', 'The UI is not built yet: run `npm run build:renderer` (npm start does it for you).');
    }
    if (!existsSync(file) || !statSync(file).isFile()) throw new HttpRefusal(404, 'not_found', 'Not found.');
    const body = readFileSync(file);
    const isHtml = extname(file) === '.html';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeOf(file),
      'Content-Length': body.length,
      'Cache-Control': isHtml ? 'no-store' : 'max-age=300',
      ...(isHtml ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    const handle = async () => {
      // DNS rebinding: a foreign name that resolves to 127.0.0.1 still says its own name in Host.
      if (!allowedHosts().has(String(req.headers.host ?? ''))) throw new HttpRefusal(403, 'forbidden', 'Unknown host.');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const code = url.searchParams.get('code');
      if (code !== null && path === '/') return exchangeCode(req, res, code);
      if (path === '/api/events') {
        checkCaller(req);
        if (req.method !== 'GET') throw new HttpRefusal(405, 'invalid_request', 'Read events with GET.');
        return serveEvents(req, res);
      }
      if (path.startsWith('/api/')) {
        checkCaller(req);
        return serveApi(req, res, path.slice('/api/'.length));
      }
      return serveStatic(req, res, path);
    };
    handle().catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpRefusal) {
        // an unread body (413): answer, then discard the rest (closing at once would reset the
        // connection before the caller reads the answer) and close the connection, within 2 s
        if (err.status === 413) {
          res.setHeader('Connection', 'close');
          res.once('finish', () => {
            req.resume();
            setTimeout(() => req.destroy(), 2000).unref();
          });
        }
        return sendJson(res, err.status, { ok: false, error: { kind: err.kind, message: err.message } });
      }
      sendJson(res, 500, envelopeOfError(err, log));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const unsubscribers = (Object.keys(events) as EventName[]).map((name) =>
    options.core.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const stream of streams) stream.write(frame);
    }),
  );
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

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
    loginUrl() {
      const code = randomBytes(24).toString('base64url');
      unusedCodes.add(code);
      return `${origin}/?code=${code}`;
    },
    origin,
    port,
    sessionCookie: `${cookieName()}=${secret}`,
    close: () =>
      new Promise<void>((done) => {
        clearInterval(heartbeat);
        for (const off of unsubscribers) off();
        for (const stream of streams) stream.end();
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
