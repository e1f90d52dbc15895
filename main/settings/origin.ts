// Which server a stored token belongs to: the origin (scheme, host, port) of a profile's address.
// A token is only ever sent to the origin it was saved for.
import { normaliseServerAddress } from '../supervisely/address';

/** The origin of a server address as a person types it, or null when it is not a URL. */
export function originOf(serverAddress: string): string | null {
  try {
    return new URL(normaliseServerAddress(serverAddress)).origin;
  } catch {
    return null;
  }
}

export function sameOrigin(a: string, b: string): boolean {
  const origin = originOf(a);
  return origin !== null && origin === originOf(b);
}

/** host[:port] of an address, for messages; the address itself when it is not a URL. */
export function hostOf(serverAddress: string): string {
  const origin = originOf(serverAddress);
  return origin ? new URL(origin).host : serverAddress;
}
