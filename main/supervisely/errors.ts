// Typed failures of Supervisely calls. Every error the client raises is an ApiError whose message
// a person can act on; callers branch on `kind`, never on message text.

export type ApiErrorKind =
  | 'unauthorized' // 401: the token is missing, wrong or revoked
  | 'forbidden' // 403: the token's user lacks the role for this action
  | 'not_found' // 404: unknown, removed or invisible entity (or unknown method)
  | 'validation' // 400/409/422: the server refused the request as written
  | 'server' // 5xx after retries
  | 'offline' // nothing answered (refused, reset, DNS) after retries
  | 'timeout' // no answer in time after retries
  | 'outcome_unknown' // a non-idempotent call may or may not have been applied
  | 'malformed_response' // the server answered, but not in the documented shape
  | 'too_large' // the answer was over the size cap and was not read
  | 'aborted'; // the caller cancelled

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly endpoint: string,
    readonly details: { status?: number; serverMessage?: string; field?: string } = {},
  ) {
    super(message);
  }

  /** Worth sending again later unchanged (the outbox retries these, and stops on the rest). */
  get transient(): boolean {
    return this.kind === 'server' || this.kind === 'offline' || this.kind === 'timeout';
  }
}

export const isApiError = (e: unknown, kind?: ApiErrorKind): e is ApiError =>
  e instanceof ApiError && (kind === undefined || e.kind === kind);
