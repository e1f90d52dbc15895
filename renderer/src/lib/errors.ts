// Turns whatever a call threw into words a lead can act on: what happened, and what to do.

export interface ErrorText {
  what: string;
  todo: string;
}

const advice: Record<string, string> = {
  offline: 'The server cannot be reached. Your change is kept and will be sent when it is back; check the connection in Settings.',
  forbidden: 'Your account is not allowed to do this. Ask a team admin for the right role, or use another profile in Settings.',
  not_found: 'It no longer exists on the server. Refresh with "Sync now"; it may have been removed by someone else.',
  conflict: 'The server state changed. Sync, look at the item again, then retry or discard it in Sync.',
  invalid_request: 'Some input was not accepted. Check the highlighted fields and try again.',
  server: 'The server answered with an error. Try again in a moment; if it persists, check the server.',
  internal: 'Something went wrong inside the app. Try again; if it persists, restart the app.',
  transport: 'The app lost its connection to its own core. Reload the window.',
};

export function describeError(error: unknown): ErrorText {
  if (error && typeof error === 'object' && 'message' in error) {
    const kind = 'kind' in error && typeof error.kind === 'string' ? error.kind : 'internal';
    const message = String(error.message) || 'Unknown error';
    return { what: message, todo: advice[kind] ?? advice.internal! };
  }
  return { what: String(error), todo: advice.internal! };
}

export function errorKind(error: unknown): string | null {
  return error && typeof error === 'object' && 'kind' in error && typeof error.kind === 'string' ? error.kind : null;
}
