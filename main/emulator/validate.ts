// Request-body validation with zod: turns schema failures into 400 answers whose message names
// the offending field, and holds the small schemas shared by several endpoints.
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
