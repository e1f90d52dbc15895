// Request-body validation: lone UTF-16 surrogates refused anywhere in a body, zod schema failures
// turned into 400 answers whose message names the offending field, and the small shared schemas.
import { z } from 'zod';
import { badRequest } from './errors';

export const idSchema = z.number().int().positive();
export const optionalFilter = z.array(z.unknown()).nullish();

/** Parses `body` with `schema` or throws a 400 that says which fields are wrong and why. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, method: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : 'body';
    return `${where}: ${issue.message}`;
  });
  throw badRequest(`Invalid request for ${method}: ${problems.join('; ')}`, 'Validation error');
}

/**
 * Refuses a body holding a string (value or key, at any depth) with a lone UTF-16 surrogate: valid
 * JSON (`"\\ud800"`) that SQLite's UTF-8 cannot store, so it would be read back as U+FFFD.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function requireWellFormedStrings(value: unknown, where = 'body'): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value))
      throw badRequest(`${where}: the string contains a lone UTF-16 surrogate, which cannot be stored`, 'Validation error');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => requireWellFormedStrings(item, `${where}.${i}`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      requireWellFormedStrings(key, `${where} (a key)`);
      requireWellFormedStrings(item, `${where}.${key}`);
    }
  }
}
