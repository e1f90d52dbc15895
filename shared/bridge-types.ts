// The shape of `window.ljd`, the one object the Electron preload exposes to the page.
// Type-only (no electron, no zod at runtime): the renderer may `import type` it.

import type { Envelope } from './contract';

export interface LjdBridge {
  /** Calls a contract channel in main; answers the Envelope main sent (unknown names: an invalid_request Envelope, main never called). */
  invoke(channel: string, payload: unknown): Promise<Envelope>;
  /** Subscribes to a contract event; returns the function that removes exactly this listener. Unknown names throw. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The IPC channel names both sides derive from the contract names. */
export const IPC_INVOKE_PREFIX = 'ljd:';
export const IPC_EVENT_PREFIX = 'ljd:event:';
