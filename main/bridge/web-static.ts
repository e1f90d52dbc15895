// The built renderer over the web bridge: GET/HEAD of a file inside the UI folder (the path check and
// content types are static-files.ts, shared with Electron's app://), HTML with the app's CSP.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp';
import { contentTypeOf, staticFileOf } from './static-files';
import { HttpRefusal, SECURITY_HEADERS } from './web-http';

/** `staticRoot` is an absolute folder; `path` the URL's path, still percent-encoded. */
export function serveStatic(staticRoot: string, req: IncomingMessage, res: ServerResponse, path: string): void {
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
}
