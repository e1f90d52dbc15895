// One static-file server for both transports (issue 12): the same escape check and content types
// in the web bridge and in Electron's app:// scheme, against the same hostile paths.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '#shared/contract';
import { staticFileOf } from '../../../main/bridge/static-files';
import { startWebBridge, type WebBridge } from '../../../main/bridge/web';
import { serveAppRequest } from '../../../main/electron/app-protocol';

const top = mkdtempSync(join(tmpdir(), 'ljd-static-'));
const root = join(top, 'ui');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>ui</title>');
writeFileSync(join(root, 'assets', 'chunk.mjs'), 'export {}');
writeFileSync(join(top, 'secret.txt'), 'private');

const HOSTILE = [
  '/..%2fsecret.txt',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/index.html%00.txt',
  '/assets%5c..%5c..%5csecret.txt',
  '/..%5csecret.txt',
  '/%E0%A4%A',
  '/assets/..%252f..%252fsecret.txt',
];

describe('staticFileOf', () => {
  it('maps paths inside the folder, / to index.html', () => {
    expect(staticFileOf(root, '/')).toBe(join(root, 'index.html'));
    expect(staticFileOf(root, '/assets/chunk.mjs')).toBe(join(root, 'assets', 'chunk.mjs'));
    expect(staticFileOf(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
  });
  it('refuses traversal, NUL, backslash and bad encoding', () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/a/%2e%2e/%2e%2e/secret.txt', '/x%00', '/a%5cb', '/a\\b', '/%E0%A4%A']) {
      expect(staticFileOf(root, path), path).toBeNull();
    }
  });
});

describe('both transports', () => {
  let bridge: WebBridge;
  beforeAll(async () => {
    bridge = await startWebBridge({ core: { handlers: {} as Handlers, on: () => () => {} }, staticDir: root });
  });
  afterAll(async () => {
    await bridge.close();
    rmSync(top, { recursive: true, force: true });
  });
  const web = (path: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path, headers: { host: `127.0.0.1:${bridge.port}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
  const app = async (path: string) => {
    const answer = await serveAppRequest({ url: `app://ljd${path}`, method: 'GET' }, root);
    return { status: answer.status, type: String(answer.headers.get('content-type')), body: await answer.text() };
  };

  it('serve the same file with the same content type', async () => {
    for (const get of [web, app]) {
      const chunk = await get('/assets/chunk.mjs');
      expect(chunk).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'export {}' });
    }
  });

  it('answer 404 to every escape attempt, and never the file outside', async () => {
    for (const get of [web, app]) {
      for (const path of HOSTILE) {
        const answer = await get(path);
        expect(answer.status, `${get === web ? 'web' : 'app'} ${path}`).toBe(404);
        expect(answer.body).not.toContain('private');
      }
    }
  });
});
