// HTTP plumbing of the local server: routing (API, login, previews, GET /), token auth, JSON bodies and
// error answers, injected faults and latency, one SQLite transaction per API call, socket tracking.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { DB } from './store';
import { RawJson, type Caller, type Ctx, type HandlerMap } from './context';
import { HttpError, badRequest, notFound, unauthorized } from './errors';
import { requireWellFormedStrings } from './validate';
import { login } from './account';
import { previewPng } from './png';
import { findSyntheticImage } from './synthetic-images';
import type { QuirkGate } from './quirks';
import { LOOPBACK_CERT, LOOPBACK_KEY } from './tls-loopback';
import { activityHandlers } from './handlers/activity';
import { userHandlers } from './handlers/users';
import { teamHandlers } from './handlers/teams';
import { projectHandlers } from './handlers/projects';
import { datasetHandlers } from './handlers/datasets';
import { jobCreateHandlers } from './handlers/jobs-create';
import { jobQueryHandlers } from './handlers/jobs-query';
import { jobUpdateHandlers } from './handlers/jobs-update';
import { queueHandlers } from './handlers/queues';

export const HANDLERS: HandlerMap = {
  ...teamHandlers,
  ...userHandlers,
  ...activityHandlers,
  ...projectHandlers,
  ...datasetHandlers,
  ...jobCreateHandlers,
  ...jobQueryHandlers,
  ...jobUpdateHandlers,
  ...queueHandlers,
};

export interface Faults {
  failRate: number;
  latencyMs: number;
  /** fraction of API calls that are applied, then answered by a dropped connection (a lost answer) */
  loseRate: number;
}

export interface ServerDeps {
  db: DB;
  faults: Faults;
  quirks: QuirkGate;
  baseUrl: () => string;
  httpsUrl: () => string; // the TLS listener's base URL (https-redirect quirk)
  log?: (line: string) => void;
  isClosed: () => boolean;
}

const API_PREFIX = '/public/api/v3/';
const MAX_BODY = 10 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = body instanceof RawJson ? body.text : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, err: HttpError): void {
  send(res, err.status, err.toBody(), err.headers);
}

/** The body as text, at most MAX_BODY bytes; more is a 413 answered without reading the rest (see tooLarge). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new HttpError(413, 'Payload Too Large', `Request bodies are limited to ${MAX_BODY} bytes`, { Connection: 'close' });
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseApiBody(method: string, raw: string, query: URLSearchParams): Record<string, unknown> {
  if (method === 'GET' && !raw.trim()) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of query) {
      try {
        out[k] = JSON.parse(v) as unknown;
      } catch {
        out[k] = v;
      }
    }
    requireWellFormedStrings(out);
    return out;
  }
  if (!raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('The request body is not valid JSON', 'Malformed JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('The request body must be a JSON object', 'Malformed JSON');
  }
  requireWellFormedStrings(parsed);
  return parsed as Record<string, unknown>;
}

function authenticate(db: DB, req: IncomingMessage): Caller {
  const header = req.headers['x-api-key'];
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw unauthorized('Missing x-api-key header: send your API token in it');
  const user = db.prepare('SELECT id, login, is_admin, disabled FROM users WHERE token = ?').get(token) as
    { id: number; login: string; is_admin: number; disabled: number } | undefined;
  if (!user) throw unauthorized('Unknown API token: check API_TOKEN (the token may belong to another server)');
  if (user.disabled) throw unauthorized(`User '${user.login}' is disabled`);
  return { id: user.id, login: user.login, isAdmin: user.is_admin === 1 };
}

const FAULTS = [500, 502, 503, 504, 500, 503, 429, 0, 0] as const; // 0 = drop the connection

/** Decides whether to inject a fault; returns true when the request was answered by one. */
function injectFault(faults: Faults, req: IncomingMessage, res: ServerResponse): number | null {
  if (!(faults.failRate > 0) || Math.random() >= faults.failRate) return null;
  const status = FAULTS[Math.floor(Math.random() * FAULTS.length)]!;
  if (status === 0) {
    req.socket.destroy();
    return 0;
  }
  const title = status === 429 ? 'Too Many Requests' : 'Injected fault';
  send(
    res,
    status,
    new HttpError(status, title, `Fault injected by the local server (--fail-rate ${faults.failRate})`).toBody(),
    status === 429 ? { 'Retry-After': '1' } : {},
  );
  return status;
}

async function route(deps: ServerDeps, tls: boolean, req: IncomingMessage, res: ServerResponse): Promise<string> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  if (deps.quirks.redirects(tls)) {
    // 308 keeps the method and body, as a real server moved to https does
    send(
      res,
      308,
      { error: 'Permanent Redirect', details: { message: 'This server is served over https' } },
      { Location: `${deps.httpsUrl()}${req.url ?? '/'}` },
    );
    return 'redirect';
  }
  if (path.startsWith(API_PREFIX)) deps.quirks.enter(res); // counted from arrival, its latency included
  if (deps.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.faults.latencyMs));
  if (deps.isClosed()) {
    req.socket.destroy();
    return 'closed';
  }
  if (path.startsWith(API_PREFIX)) {
    const apiMethod = path.slice(API_PREFIX.length);
    if (method !== 'POST' && method !== 'GET') {
      throw new HttpError(405, 'Method Not Allowed', `Call API methods with POST (got ${method})`, { Allow: 'POST, GET' });
    }
    const fault = injectFault(deps.faults, req, res);
    if (fault !== null) return `${apiMethod} fault:${fault || 'drop'}`;
    const caller = authenticate(deps.db, req);
    const handler = Object.hasOwn(HANDLERS, apiMethod) ? HANDLERS[apiMethod] : undefined;
    if (!handler) throw notFound(`Unknown API method '${apiMethod}'. See the endpoint list in main/local-server/README.md`);
    const body = parseApiBody(method, raw, url.searchParams);
    await deps.quirks.admit(deps.db, caller.id, apiMethod, body);
    const ctx: Ctx = { db: deps.db, caller, now: new Date(deps.quirks.nowMs()).toISOString(), baseUrl: deps.baseUrl(), method: apiMethod };
    const result = deps.db.transaction(() => handler(ctx, body))();
    // A lost answer: the change is committed but the client never hears of it (exactly-once tests).
    if (deps.faults.loseRate > 0 && Math.random() < deps.faults.loseRate) {
      req.socket.destroy();
      return `${apiMethod} fault:lost-answer`;
    }
    send(res, 200, result);
    return apiMethod;
  }
  if (path === '/api/account' && method === 'POST') {
    send(res, 200, deps.db.transaction(() => login(deps.db, raw, String(req.headers['content-type'] ?? '')))());
    return 'login';
  }
  const preview = /^\/previews\/(\d+)\.png$/.exec(path);
  if (preview && (method === 'GET' || method === 'HEAD')) {
    const id = Number(preview[1]);
    const row =
      (deps.db.prepare('SELECT id, name FROM images WHERE id = ?').get(id) as { id: number; name: string } | undefined) ??
      findSyntheticImage(deps.db, id);
    if (!row) throw notFound(`No image with id ${preview[1]}`);
    const png = previewPng(row.id, row.name);
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'max-age=3600' });
    res.end(method === 'HEAD' ? undefined : png);
    return 'preview';
  }
  if (path === '/' && (method === 'GET' || method === 'HEAD')) {
    send(res, 200, { name: 'Supervisely-compatible local server (Labeling Jobs Desktop)', api: `${deps.baseUrl()}${API_PREFIX}` });
    return 'root';
  }
  throw notFound(`Nothing at ${method} ${path}; the API lives under ${API_PREFIX}<method>`);
}

/** The local server's listener: plain HTTP, or (`tls`) HTTPS with the loopback certificate for the https-redirect quirk. */
export function createLocalServerListener(deps: ServerDeps, tls = false): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const listener: RequestListener = (req, res) => {
    const started = performance.now();
    res.setHeader('Date', new Date(deps.quirks.nowMs()).toUTCString()); // the server's clock (clock-offset quirk)
    route(deps, tls, req, res)
      .then((what) => what)
      .catch((err: unknown) => {
        // An unread body (413): answer first, then discard what is still coming for up to 2 s and close;
        // closing at once would reset the connection before the caller reads the answer.
        if (err instanceof HttpError && err.status === 413) {
          res.once('finish', () => {
            req.resume();
            setTimeout(() => req.destroy(), 2000).unref();
          });
        }
        if (err instanceof HttpError) sendError(res, err);
        else {
          deps.log?.(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          send(res, 500, { error: 'Internal Server Error', details: { message: err instanceof Error ? err.message : String(err) } });
        }
        return req.url ?? '';
      })
      .then((what) => {
        deps.log?.(
          `${new Date().toISOString()} ${req.method} ${req.url} ${res.headersSent ? res.statusCode : 'dropped'} ${(performance.now() - started).toFixed(1)}ms ${what}`,
        );
      })
      .catch(() => undefined);
  };
  const server: Server = tls ? createTlsServer({ cert: LOOPBACK_CERT, key: LOOPBACK_KEY }, listener) : createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A TLS ClientHello (the SDK's HTTPS probe) or any garbage: answer 400 if possible and close.
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return { server, sockets };
}
