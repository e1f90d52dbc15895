// Readme link/image policy and the no-DOM fallback. Real DOMPurify sanitising runs in the e2e test
// (a real Chromium), because no DOM library is installed for vitest.
import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeHref, isSafeImageSrc, plainHttpHost, renderMarkdown } from '../../../renderer/src/lib/markdown';

describe('isSafeHref', () => {
  it('allows http, https and mailto only', () => {
    expect(isSafeHref('https://supervisely.com/docs')).toBe(true);
    expect(isSafeHref('http://example.org')).toBe(true);
    expect(isSafeHref('mailto:lead@example.org')).toBe(true);
    expect(isSafeHref('javascript:alert(1)')).toBe(false);
    expect(isSafeHref('JaVaScRiPt:alert(1)')).toBe(false);
    expect(isSafeHref(' javascript:alert(1)')).toBe(false);
    expect(isSafeHref('java\tscript:alert(1)')).toBe(false);
    expect(isSafeHref('data:text/html,<script>alert(1)</script>')).toBe(false);
    expect(isSafeHref('vbscript:msgbox')).toBe(false);
    expect(isSafeHref('file:///etc/passwd')).toBe(false);
    expect(isSafeHref('//evil.example')).toBe(false);
    expect(isSafeHref('https://ok.example/\u0000')).toBe(false);
  });
});

describe('plainHttpHost', () => {
  it('names the host of unencrypted links only', () => {
    expect(plainHttpHost('http://wiki.example.org:8080/page')).toBe('wiki.example.org:8080');
    expect(plainHttpHost(' HTTP://Example.org')).toBe('example.org');
    expect(plainHttpHost('https://docs.supervisely.com')).toBeNull();
    expect(plainHttpHost('mailto:lead@example.org')).toBeNull();
  });
});

describe('isSafeImageSrc', () => {
  it('allows only inline raster data images', () => {
    expect(isSafeImageSrc('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(isSafeImageSrc('x')).toBe(false);
    expect(isSafeImageSrc('https://tracker.example/pixel.gif')).toBe(false);
    expect(isSafeImageSrc('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
  });
});

describe('renderMarkdown without a DOM', () => {
  it('shows the readme escaped, never as raw HTML', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))');
    expect(html.startsWith('<pre>')).toBe(true);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
