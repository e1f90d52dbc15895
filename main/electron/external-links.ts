// Which URLs a page may hand to the system browser, and how: https opens, plain http opens only after
// the user confirms its host (anyone on the way can read or change it, as the readme's links say),
// anything else (file:, javascript:, data:, custom schemes that start other programs) is refused.
// No electron import: main/electron/security.ts wires shell.openExternal and a dialog in.

export type LinkDecision =
  { action: 'open'; url: string } | { action: 'ask'; url: string; host: string } | { action: 'refuse'; reason: string };

/** What to do with a URL a page tried to open or navigate to. */
export function externalLinkDecision(raw: string): LinkDecision {
  // WHATWG parsing silently drops tabs and newlines inside a URL: a classic way past scheme filters
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { action: 'refuse', reason: 'it contains control characters' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { action: 'refuse', reason: 'it is not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { action: 'refuse', reason: `only http and https links open outside the app, not ${url.protocol}` };
  }
  // https://app.supervisely.com@evil.example/ reads as Supervisely's address but goes elsewhere
  if (url.username !== '' || url.password !== '') return { action: 'refuse', reason: 'it carries a user name or password' };
  if (url.hostname === '') return { action: 'refuse', reason: 'it names no host' };
  if (url.protocol === 'https:') return { action: 'open', url: url.href };
  return { action: 'ask', url: url.href, host: url.host };
}

export type LinkOutcome = 'opened' | 'declined' | 'refused' | 'failed';

export interface LinkOpenerDeps {
  openExternal(url: string): Promise<void>;
  /** asks the user whether to open a plain http link to `host`; true to open */
  confirmPlainHttp(url: string, host: string): Promise<boolean>;
  log?: ((line: string) => void) | undefined;
}

/** Opens a page's link outside the app per externalLinkDecision; never throws. */
export function createLinkOpener(deps: LinkOpenerDeps): (url: string) => Promise<LinkOutcome> {
  return async (raw) => {
    const decision = externalLinkDecision(raw);
    if (decision.action === 'refuse') {
      deps.log?.(`security: refused to open ${JSON.stringify(raw.slice(0, 200))}: ${decision.reason}`);
      return 'refused';
    }
    try {
      if (decision.action === 'ask' && !(await deps.confirmPlainHttp(decision.url, decision.host))) return 'declined';
      await deps.openExternal(decision.url);
      return 'opened';
    } catch (err) {
      deps.log?.(`security: could not open ${decision.url}: ${String(err)}`);
      return 'failed';
    }
  };
}
