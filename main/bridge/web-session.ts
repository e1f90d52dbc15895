// Who may drive the web bridge: requests must name our own Host (a DNS-rebinding site still says its own
// name), come from our origin when they say one, and carry the per-launch session cookie. The secret
// leaves this process only as that HttpOnly cookie; a browser is handed a one-time code instead, spent
// on its first use and within minutes (GET /?code=… sets the cookie and redirects to the clean URL): a
// link left in a terminal's scrollback or a shell history opens nothing later.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpRefusal, SECURITY_HEADERS } from './web-http';

export interface WebSession {
  /** `host:port` (or an Origin without its scheme) is this bridge's own */
  isOwnHost(host: string): boolean;
  /** throws a refusal for a foreign origin or a missing or wrong session cookie */
  checkCaller(req: IncomingMessage): void;
  /** GET /?code=…: a known code is spent and becomes the session cookie; the address bar is cleaned */
  exchangeCode(req: IncomingMessage, res: ServerResponse, code: string): void;
  /** a new one-time code (each call mints another) */
  mintCode(): string;
  /** `name=value` of the session cookie */
  cookie(): string;
}

/** The value of cookie `name` in a Cookie header, or ''. */
function cookieValueOf(header: string | undefined, name: string): string {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return '';
}

/** `port` is read on every check: the bridge knows it only once it listens. */
export function createWebSession(secret: string, port: () => number, codeTtlMs = 10 * 60_000): WebSession {
  const secretBytes = Buffer.from(secret);
  /** code → when it stops working (ms since the epoch) */
  const unusedCodes = new Map<string, number>();
  // cookies are not kept apart by port: the name carries it, so two launches do not collide
  const cookieName = () => `ljd_session_${port()}`;
  const isOwnHost = (host: string) => host === `127.0.0.1:${port()}` || host === `localhost:${port()}`;

  const hasSession = (req: IncomingMessage) => {
    const given = Buffer.from(cookieValueOf(req.headers.cookie, cookieName()));
    return given.length === secretBytes.length && timingSafeEqual(given, secretBytes);
  };

  return {
    isOwnHost,
    checkCaller(req) {
      const origin = req.headers.origin;
      if (origin !== undefined && !isOwnHost(origin.replace(/^http:\/\//, ''))) {
        throw new HttpRefusal(403, 'forbidden', 'Requests from other origins are refused.');
      }
      if (!hasSession(req)) {
        throw new HttpRefusal(401, 'forbidden', 'No valid session: open the link the app printed when it started (each link works once).');
      }
    },
    exchangeCode(req, res, code) {
      const expiresAt = unusedCodes.get(code);
      unusedCodes.delete(code);
      if (!hasSession(req)) {
        if (expiresAt === undefined) {
          const message = 'This link was already used or is not from this launch: open a new link the app prints (restart it).';
          throw new HttpRefusal(401, 'forbidden', message);
        }
        if (Date.now() > expiresAt) {
          const message = `This link has expired (links work once, within ${Math.round(codeTtlMs / 60_000) || 1} min): restart the app for a new one.`;
          throw new HttpRefusal(401, 'forbidden', message);
        }
      }
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        Location: '/',
        'Cache-Control': 'no-store',
        'Set-Cookie': `${cookieName()}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
    },
    mintCode() {
      const code = randomBytes(24).toString('base64url');
      const now = Date.now();
      // forgotten a while after they expire: until then a late click hears "expired", not "unknown"
      for (const [old, expiresAt] of unusedCodes) if (now > expiresAt + codeTtlMs) unusedCodes.delete(old);
      unusedCodes.set(code, now + codeTtlMs);
      return code;
    },
    cookie: () => `${cookieName()}=${secret}`,
  };
}
