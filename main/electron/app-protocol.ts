// The app:// scheme that serves the built renderer (dist/renderer) to the window: URL → file (the
// shared bridge/static-files.ts: no way out of that folder, one content-type table), with the CSP
// header. Node-only (uses the global
// Response), so it is unit-tested; main.ts registers it with protocol.handle.

import { readFile, stat } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from '../bridge/csp';
import { contentTypeOf, staticFileOf } from '../bridge/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ljd';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The file an app:// URL names inside `root`, or null when it is not ours or would leave the folder. */
export function fileOfAppUrl(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  return staticFileOf(root, parsed.pathname);
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY },
  });
}

/** Answers one app:// request from the renderer folder. */
export async function serveAppRequest(request: { url: string; method: string }, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
  const file = fileOfAppUrl(request.url, root);
  if (!file) return textResponse(404, 'Not found');
  try {
    if (!(await stat(file)).isFile()) return textResponse(404, 'Not found');
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': contentTypeOf(file),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      },
    });
  } catch {
    return textResponse(404, 'Not found');
  }
}
