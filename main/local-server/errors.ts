// Errors the local server answers with: one class carrying the HTTP status, the short `error` title
// and the `details.message` a person can act on (supervisely-api.md §1.5, §7.1). Created only through these helpers.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: string; details: { message: string } } {
    return { error: this.title, details: { message: this.message } };
  }
}

export const badRequest = (message: string, title = 'Bad Request'): HttpError => new HttpError(400, title, message);
export const unauthorized = (message: string): HttpError => new HttpError(401, 'Unauthorized', message);
export const forbidden = (message: string): HttpError => new HttpError(403, 'Forbidden', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'Not Found', message);
