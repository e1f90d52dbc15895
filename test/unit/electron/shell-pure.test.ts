// The Node-only parts of the Electron shell: the app:// file server, remembered window bounds,
// the safeStorage secret store (with a fake safeStorage), and the icon's PNG encoder.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APP_URL, fileOfAppUrl, serveAppRequest } from '../../../main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../main/bridge/csp';
import { createSafeStorageSecretStore, protectionOf } from '../../../main/electron/secrets';
import { DEFAULT_SIZE, fitBounds, readWindowState, writeWindowState } from '../../../main/electron/window-state';
import { crc32, encodePng } from '../../../scripts/make-icon';

const scratch = mkdtempSync(join(tmpdir(), 'ljd-shell-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('app:// protocol', () => {
  const root = join(scratch, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ljd</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(scratch, 'secret.txt'), 'outside');

  it('maps app://ljd/<path> into the renderer folder and nowhere else', () => {
    expect(fileOfAppUrl(APP_URL, root)).toBe(join(root, 'index.html'));
    expect(fileOfAppUrl('app://ljd/', root)).toBe(join(root, 'index.html'));
    expect(fileOfAppUrl('app://ljd/assets/app.js?v=1#x', root)).toBe(join(root, 'assets', 'app.js'));
    // URL parsing already resolves a leading ".." (plain or %2e%2e) at the root: still inside the folder
    expect(fileOfAppUrl('app://ljd/../secret.txt', root)).toBe(join(root, 'secret.txt'));
    expect(fileOfAppUrl('app://ljd/%2e%2e/secret.txt', root)).toBe(join(root, 'secret.txt'));
    // an encoded "/../" survives URL parsing and is caught by the folder check
    expect(fileOfAppUrl('app://ljd/assets/%2e%2e%2f%2e%2e%2fsecret.txt', root)).toBeNull();
    expect(fileOfAppUrl('app://ljd/..%5csecret.txt', root)).toBeNull();
    expect(fileOfAppUrl('app://ljd/a%00.html', root)).toBeNull();
    expect(fileOfAppUrl('app://other/index.html', root)).toBeNull();
    expect(fileOfAppUrl('file:///etc/passwd', root)).toBeNull();
  });

  it('serves files with their type and the CSP header; 404 for missing or escaping paths', async () => {
    const html = await serveAppRequest({ url: APP_URL, method: 'GET' }, root);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await html.text()).toContain('<title>ljd</title>');
    const js = await serveAppRequest({ url: 'app://ljd/assets/app.js', method: 'GET' }, root);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await serveAppRequest({ url: 'app://ljd/nope.js', method: 'GET' }, root)).status).toBe(404);
    expect((await serveAppRequest({ url: 'app://ljd/assets', method: 'GET' }, root)).status).toBe(404);
    const escape = await serveAppRequest({ url: 'app://ljd/%2e%2e/secret.txt', method: 'GET' }, root);
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('outside');
    expect((await serveAppRequest({ url: APP_URL, method: 'POST' }, root)).status).toBe(405);
  });

  it('has the strict CSP the design asks for (one policy for both transports)', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'frame-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });
});

describe('window state', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1080 };

  it('round-trips through the file and survives a missing or broken one', () => {
    const file = join(scratch, 'window-state.json');
    expect(readWindowState(file)).toEqual({ bounds: null, maximized: false });
    writeWindowState(file, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(readWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    writeFileSync(file, '{"bounds":{"x":"a"}');
    expect(readWindowState(file)).toEqual({ bounds: null, maximized: false });
  });

  it('keeps saved bounds on a display, clamps oversize ones, and forgets a position on a vanished display', () => {
    expect(fitBounds(null, [screen])).toEqual(DEFAULT_SIZE);
    expect(fitBounds({ x: 100, y: 50, width: 1000, height: 700 }, [screen])).toEqual({ x: 100, y: 50, width: 1000, height: 700 });
    expect(fitBounds({ x: -50, y: 0, width: 4000, height: 3000 }, [screen])).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
    const gone = fitBounds({ x: 3000, y: 0, width: 1000, height: 700 }, [screen]);
    expect(gone).toEqual({ width: 1000, height: 700 });
    expect(fitBounds({ x: 2000, y: 100, width: 1000, height: 700 }, [screen, { x: 1920, y: 0, width: 1280, height: 1024 }])).toEqual({
      x: 2000,
      y: 100,
      width: 1000,
      height: 700,
    });
  });
});

describe('safeStorage secret store', () => {
  // A reversible fake "encryption" so the file never holds the plain token.
  const fakeSafeStorage = (backend: string, available = true) => ({
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(`enc:${[...s].reverse().join('')}`),
    decryptString: (b: Buffer) => {
      const text = b.toString();
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return [...text.slice(4)].reverse().join('');
    },
    getSelectedStorageBackend: () => backend as never,
  });

  it('stores tokens encrypted and base64 in a 0600 file, and reads them back', () => {
    const file = join(scratch, 'secrets-a.json');
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('gnome_libsecret'), platform: 'linux' });
    expect(store.protection).toBe('os');
    expect(store.get('p1')).toBeNull();
    store.set('p1', 'token-one');
    store.set('p2', 'token-two');
    expect(store.get('p1')).toBe('token-one');
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('token-one');
    const parsed = JSON.parse(raw) as { tokens: Record<string, string> };
    expect(Buffer.from(parsed.tokens.p1!, 'base64').toString()).toBe('enc:eno-nekot');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    store.delete('p1');
    expect(store.get('p1')).toBeNull();
    expect(store.get('p2')).toBe('token-two');
  });

  it('reports basic_text (and logs a warning) when Linux has no secret service', () => {
    const log = vi.fn();
    const store = createSafeStorageSecretStore({
      file: join(scratch, 'secrets-b.json'),
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'linux',
      log,
    });
    expect(store.protection).toBe('basic_text');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('basic_text'));
    expect(protectionOf(fakeSafeStorage('basic_text'), 'darwin')).toBe('os');
    expect(protectionOf({ ...fakeSafeStorage('x'), getSelectedStorageBackend: undefined }, 'linux')).toBe('os');
  });

  it('gives null for a token it cannot decrypt, and refuses to save without encryption', () => {
    const file = join(scratch, 'secrets-c.json');
    writeFileSync(file, JSON.stringify({ format: 'ljd-safeStorage-1', tokens: { p: Buffer.from('garbage').toString('base64') } }));
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('kwallet'), platform: 'linux' });
    expect(store.get('p')).toBeNull();
    const none = createSafeStorageSecretStore({
      file: join(scratch, 'secrets-d.json'),
      safeStorage: fakeSafeStorage('unknown', false),
      platform: 'linux',
    });
    expect(() => none.set('p', 't')).toThrow(/not saved/);
    expect(() => none.set('p', 't')).toThrow(expect.objectContaining({ name: 'AppError', kind: 'internal' }));
  });

  it('ignores a plain-text secrets file of the browser-mode store instead of handing out its contents', () => {
    const file = join(scratch, 'secrets-e.json');
    writeFileSync(file, JSON.stringify({ p: 'plain-token' }));
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('kwallet'), platform: 'linux', report: () => {} });
    expect(store.get('p')).toBeNull();
  });

  it('keeps an unreadable secrets file aside and reports it, never overwriting it', () => {
    const dir = mkdtempSync(join(scratch, 'broken-'));
    const file = join(dir, 'secrets.json');
    writeFileSync(file, '{"format":"ljd-safeStorage-1","tokens":{"p1":"ZW5jOg=='); // cut off mid-write
    const problems: { file: string; keptAs: string | null; message: string }[] = [];
    const store = createSafeStorageSecretStore({
      file,
      safeStorage: fakeSafeStorage('kwallet'),
      platform: 'linux',
      report: (p) => problems.push(p),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(
      /secrets\.json could not be read \(it is not valid JSON\); it was kept as .*secrets\.json\.broken-/,
    );
    expect(readFileSync(problems[0]!.keptAs!, 'utf8')).toContain('"p1":"ZW5jOg==');
    store.set('p2', 'token-two'); // a fresh file beside the kept copy
    expect(store.get('p2')).toBe('token-two');
    expect(readdirSync(dir).sort()).toEqual(['secrets.json', basename(problems[0]!.keptAs!)].sort());
  });
});

describe('icon PNG encoder', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a PNG whose chunks and pixels decode back', () => {
    const px = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const png = encodePng(2, 2, px);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks: Array<{ type: string; data: Buffer }> = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      const type = png.toString('ascii', at + 4, at + 8);
      const data = png.subarray(at + 8, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
      chunks.push({ type, data });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks[0]!.data.readUInt32BE(0)).toBe(2);
    const raw = inflateSync(chunks[1]!.data);
    expect([...raw]).toEqual([0, ...px.subarray(0, 8), 0, ...px.subarray(8)]);
  });

  it('the committed assets/icon.png is a 512×512 RGBA PNG', () => {
    const png = readFileSync(join(import.meta.dirname, '../../../assets/icon.png'));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([512, 512, 8, 6]);
  });
});
