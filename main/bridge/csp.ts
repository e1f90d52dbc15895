// The Content-Security-Policy of the app's page, in one place for both transports: the web bridge
// sends it on every HTML answer, the Electron shell on every response of its session and app://.
// Pure (no Node, no Electron). Svelte's `style:` directives set styles through the CSSOM, which CSP
// does not restrict, and the renderer ships no inline <style> or style="" — so no 'unsafe-inline'.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
