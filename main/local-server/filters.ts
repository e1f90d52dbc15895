// Turns the API's filter objects ({field, operator, value}, AND-combined; supervisely-api.md §2.3) into a SQL
// WHERE fragment for one endpoint's field map, with strict checking of fields, operators and values.
import { badRequest } from './errors';
import type { DB } from './store';

export type FieldType = 'int' | 'string' | 'timestamp' | 'enum';
export interface FieldSpec {
  column: string;
  type: FieldType;
  values?: readonly string[]; // allowed values of an enum field
  like?: boolean; // like / ilike (and negations) allowed
}
export type FieldMap = Record<string, FieldSpec>;
export interface SqlWhere {
  clauses: string[];
  params: unknown[];
}

type Op = 'eq' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'nlike' | 'ilike' | 'nilike';
const OPERATORS: Record<string, Op> = {
  '=': 'eq',
  eq: 'eq',
  '!=': 'ne',
  not: 'ne',
  in: 'in',
  '!in': 'nin',
  '>': 'gt',
  gt: 'gt',
  '>=': 'gte',
  gte: 'gte',
  '<': 'lt',
  lt: 'lt',
  '<=': 'lte',
  lte: 'lte',
  like: 'like',
  '!like': 'nlike',
  ilike: 'ilike',
  '!ilike': 'nilike',
};
const COMPARE: Partial<Record<Op, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

function coerce(value: unknown, spec: FieldSpec, field: string): string | number {
  const fail = (expected: string) =>
    badRequest(`Filter on '${field}': value ${JSON.stringify(value)} is not ${expected}`, 'Invalid filter');
  switch (spec.type) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
      throw fail('an integer (or a numeric string)');
    case 'string':
      if (typeof value === 'string') return value;
      throw fail('a string');
    case 'enum':
      if (typeof value === 'string' && spec.values?.includes(value)) return value;
      throw fail(`one of ${spec.values?.join(', ')}`);
    case 'timestamp': {
      const ms = typeof value === 'string' && /\d/.test(value) ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) throw fail('an ISO-8601 timestamp');
      return new Date(ms).toISOString();
    }
  }
}

/** Compiles `filter` (the request's array; null/absent = no condition) for the given fields. */
export function compileFilters(filter: unknown, fields: FieldMap, method: string): SqlWhere {
  const out: SqlWhere = { clauses: [], params: [] };
  if (filter === undefined || filter === null) return out;
  if (!Array.isArray(filter)) throw badRequest(`${method}: 'filter' must be an array of {field, operator, value}`, 'Invalid filter');
  for (const raw of filter) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw badRequest(`${method}: every filter must be an object {field, operator, value}`, 'Invalid filter');
    }
    const { field, operator, value } = raw as Record<string, unknown>;
    if (typeof field !== 'string' || typeof operator !== 'string' || !('value' in raw)) {
      throw badRequest(`${method}: every filter needs a string 'field', a string 'operator' and a 'value'`, 'Invalid filter');
    }
    const spec = fields[field];
    if (!spec) {
      throw badRequest(`${method}: unknown filter field '${field}'. Known fields: ${Object.keys(fields).join(', ')}`, 'Invalid filter');
    }
    const op = OPERATORS[operator];
    if (!op)
      throw badRequest(
        `${method}: unknown filter operator '${operator}'. Known operators: ${Object.keys(OPERATORS).join(', ')}`,
        'Invalid filter',
      );
    out.clauses.push(compileOne(spec, field, op, operator, value, out.params));
  }
  return out;
}

function compileOne(spec: FieldSpec, field: string, op: Op, operator: string, value: unknown, params: unknown[]): string {
  const col = spec.column;
  if (op === 'in' || op === 'nin') {
    if (!Array.isArray(value)) throw badRequest(`Filter on '${field}': operator '${operator}' needs an array value`, 'Invalid filter');
    if (value.some((v) => v === null))
      throw badRequest(`Filter on '${field}': '${operator}' lists cannot contain null; use '=' null instead`, 'Invalid filter');
    const list = value.map((v) => coerce(v, spec, field));
    if (list.length === 0) return op === 'in' ? '0' : '1';
    params.push(...list);
    const marks = list.map(() => '?').join(',');
    return op === 'in' ? `${col} IN (${marks})` : `(${col} IS NULL OR ${col} NOT IN (${marks}))`;
  }
  if (value === null) {
    if (op === 'eq') return `${col} IS NULL`;
    if (op === 'ne') return `${col} IS NOT NULL`;
    throw badRequest(`Filter on '${field}': operator '${operator}' cannot compare with null`, 'Invalid filter');
  }
  if (Array.isArray(value) || typeof value === 'object') {
    throw badRequest(`Filter on '${field}': operator '${operator}' needs a single value, not ${JSON.stringify(value)}`, 'Invalid filter');
  }
  if (op === 'like' || op === 'nlike' || op === 'ilike' || op === 'nilike') {
    if (!spec.like)
      throw badRequest(`Filter on '${field}': operator '${operator}' is only allowed on text fields such as name`, 'Invalid filter');
    if (typeof value !== 'string') throw badRequest(`Filter on '${field}': '${operator}' needs a string pattern`, 'Invalid filter');
    params.push(value);
    if (op === 'like') return `emu_like(${col}, ?, 0)`;
    if (op === 'nlike') return `NOT emu_like(${col}, ?, 0)`;
    if (op === 'ilike') return `emu_like(${col}, ?, 1)`;
    return `NOT emu_like(${col}, ?, 1)`;
  }
  const v = coerce(value, spec, field);
  if (op === 'eq') {
    params.push(v);
    return `${col} = ?`;
  }
  if (op === 'ne') {
    params.push(v);
    return `${col} IS NOT ?`;
  }
  if (spec.type === 'enum')
    throw badRequest(`Filter on '${field}': ordering operator '${operator}' is not allowed on this field`, 'Invalid filter');
  params.push(v);
  return `${col} ${COMPARE[op]} ?`;
}

const likeCache = new Map<string, RegExp>();

/** SQL LIKE pattern (% any run, _ one char, backslash escapes) → anchored regular expression. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}:${pattern}`;
  let re = likeCache.get(key);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      if (ch === '\\' && i + 1 < pattern.length) src += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else if (ch === '%') src += '[\\s\\S]*';
      else if (ch === '_') src += '[\\s\\S]';
      else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, caseInsensitive ? 'iu' : 'u');
    if (likeCache.size > 500) likeCache.clear();
    likeCache.set(key, re);
  }
  return re;
}

/** Registers the SQL functions the compiled filters use. */
export function registerFilterFunctions(db: DB): void {
  db.function('emu_like', { deterministic: true }, (value: unknown, pattern: unknown, ci: unknown) =>
    typeof value === 'string' && typeof pattern === 'string' && likeToRegExp(pattern, ci === 1).test(value) ? 1 : 0,
  );
}
