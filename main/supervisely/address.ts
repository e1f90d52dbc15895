// Server address rules of the SDK (supervisely-api.md §1.1): normalisation of what a person types, and the
// API base URL every call is resolved against. Pure module: no Node, no DOM.

/** Whether a typed address names its scheme; a bare host is probed for https first (§1.8). */
export const hasScheme = (address: string): boolean => /^\s*\/*https?:\/\//i.test(address);

/** `address` moved to the scheme and port of `url` (after a switch to https), path kept. */
export function withOriginOf(address: string, url: string): string {
  const moved = new URL(address);
  const to = new URL(url);
  moved.protocol = to.protocol;
  moved.port = to.port;
  return moved.href.replace(/\/+$/, '');
}

/** Strips leading/trailing slashes and adds http:// when no scheme is given, as the SDK does. */
export function normaliseServerAddress(address: string): string {
  const trimmed = address.trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) throw new Error('The server address is empty. Enter it as e.g. https://app.supervisely.com');
  // The SDK tests for the substrings, not for a prefix; a leading scheme is what matters in practice.
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

/**
 * `{server}/public/api/v3/`, or `{apiServerAddress}/v3/` when an explicit API server address is
 * configured (the SDK's SUPERVISELY_API_SERVER_ADDRESS, which skips the /public/api part).
 */
export function apiBaseUrl(serverAddress: string, apiServerAddress?: string): string {
  if (apiServerAddress) return `${normaliseServerAddress(apiServerAddress)}/v3/`;
  return `${normaliseServerAddress(serverAddress)}/public/api/v3/`;
}
