// One place that turns client failures into sentences a person can act on, and into the contract's
// AppError kinds. Used by pull, push (outbox last errors) and the core's handlers.
import { AppError, type AppErrorKind } from '#shared/contract';
import { ApiError } from '../supervisely/errors';

export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const server = err.details.serverMessage ? ` Server said: ${err.details.serverMessage}` : '';
    const status = err.details.status ? ` (${err.details.status})` : '';
    switch (err.kind) {
      case 'unauthorized':
        return `The server refused the token${status}. Open Settings and paste a fresh API token.`;
      case 'forbidden':
        return `Your role does not allow this${status}.${server}`;
      case 'not_found':
        return `The server no longer has it${status}: it was removed or you cannot see it.${server}`;
      case 'validation':
        return `The server refused the request${status}.${server || ` ${err.message}`}`;
      case 'offline':
        return `The server cannot be reached (${err.endpoint}). Changes are kept and sent when it is back.`;
      case 'timeout':
        return `The server did not answer in time (${err.endpoint}). It will be tried again.`;
      case 'server':
        return `The server had an error${status} on ${err.endpoint}. It will be tried again.${server}`;
      case 'outcome_unknown':
        return `The answer to ${err.endpoint} was lost; the app checks the server before sending it again.`;
      case 'malformed_response':
        return `The server answered ${err.endpoint} in an unexpected shape: ${err.message}`;
      case 'too_large':
        return (
          `The answer to ${err.endpoint} was too large to read safely (${err.message}). ` +
          "Narrow what is asked for, or ask the server's admin."
        );
      case 'aborted':
        return 'Cancelled.';
    }
  }
  if (err instanceof AppError) return err.message;
  const cacheProblem = describeCacheError(err);
  if (cacheProblem) return cacheProblem;
  return err instanceof Error ? err.message : String(err);
}

/** SQLite's own failures of the cache file, found while the app runs (damage found at start is healed there). */
function describeCacheError(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (!(err instanceof Error) || err.name !== 'SqliteError' || typeof code !== 'string') return null;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return (
      'The local cache file is damaged. Restart the app: it moves the damaged file aside, keeps the queued changes ' +
      'it can read, and rebuilds the rest from the server.'
    );
  }
  if (code === 'SQLITE_FULL') return 'The disk holding the local cache is full. Free some space; nothing queued was lost.';
  if (code.startsWith('SQLITE_READONLY')) return "The local cache cannot be written (read-only). Check the data folder's permissions.";
  return null;
}

const KIND_FOR: Record<ApiError['kind'], AppErrorKind> = {
  unauthorized: 'forbidden',
  forbidden: 'forbidden',
  not_found: 'not_found',
  validation: 'conflict',
  server: 'server',
  offline: 'offline',
  timeout: 'offline',
  outcome_unknown: 'server',
  malformed_response: 'server',
  too_large: 'server',
  aborted: 'internal',
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ApiError) return new AppError(KIND_FOR[err.kind], describeError(err));
  return new AppError('internal', describeError(err));
}

/** A failure that says "the server is not reachable right now". */
export const isConnectivityError = (err: unknown): boolean => err instanceof ApiError && (err.kind === 'offline' || err.kind === 'timeout');
