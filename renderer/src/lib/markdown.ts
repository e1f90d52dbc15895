// Job readmes (server text written by anyone on the team) turned into safe HTML: marked renders,
// DOMPurify strips scripts and handlers, and links keep only http(s)/mailto targets (plain http ones
// are opened only after a confirmation naming the host: Markdown.svelte).
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const markdown = new Marked({ gfm: true, breaks: false });

/** Link targets a readme may use; anything else (javascript:, data:, vbscript:, file:) is dropped. */
export function isSafeHref(href: string): boolean {
  const trimmed = href.trim();
  // Control characters and whitespace inside a scheme are a classic way to sneak past filters.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return false;
  return /^(https?:\/\/|mailto:)/i.test(trimmed);
}

/** The host of a plain http: link (unencrypted: opened only after the user confirms it), else null. */
export function plainHttpHost(href: string): string | null {
  if (!/^http:\/\//i.test(href.trim())) return null;
  try {
    return new URL(href.trim()).host || null;
  } catch {
    return null;
  }
}

/** Images only from data: URLs: remote images would leak that the lead opened the readme. */
export function isSafeImageSrc(src: string): boolean {
  return /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i.test(src.trim());
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

type Purifier = ReturnType<typeof DOMPurify>;
let purifier: Purifier | null | undefined;

function getPurifier(): Purifier | null {
  if (purifier !== undefined) return purifier;
  if (typeof window === 'undefined') return (purifier = null);
  const instance = DOMPurify(window);
  if (!instance.isSupported) return (purifier = null);
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href');
      if (href === null || !isSafeHref(href)) node.removeAttribute('href');
      else {
        node.setAttribute('rel', 'noopener noreferrer nofollow');
        node.setAttribute('target', '_blank');
      }
    }
    if (node.tagName === 'IMG') {
      const src = node.getAttribute('src');
      if (src === null || !isSafeImageSrc(src)) node.removeAttribute('src');
    }
  });
  return (purifier = instance);
}

/** Sanitised HTML for a readme. Where no DOM is available the text is shown escaped, never raw. */
export function renderMarkdown(source: string): string {
  const sanitizer = getPurifier();
  if (!sanitizer) return `<pre>${escapeHtml(source)}</pre>`;
  const html = markdown.parse(source, { async: false });
  return sanitizer.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
  });
}
