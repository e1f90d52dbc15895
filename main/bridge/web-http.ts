// HTTP plumbing of the web bridge: the headers every answer carries, a refusal that names its status
// and the contract's error kind, JSON answers, and request bodies read with a size limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { envelopeOfError } from './dispatch';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Thrown by a route: answered as `{ ok: false, error: { kind, message } }` with this status. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
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
export function readBody(req: IncomingMessage): Promise<string> {
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

/** Answers what a route threw: a refusal with its status, anything else as the contract's internal error (500). */
export function answerFailure(req: IncomingMessage, res: ServerResponse, err: unknown, log?: (line: string) => void): void {
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
}
