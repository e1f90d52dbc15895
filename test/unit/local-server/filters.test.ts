// Unit tests of the filter compiler (filter objects → SQL) and the LIKE pattern matcher.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { compileFilters, likeToRegExp, registerFilterFunctions, type FieldMap } from '../../../main/local-server/filters';
import { HttpError } from '../../../main/local-server/errors';

const FIELDS: FieldMap = {
  id: { column: 'id', type: 'int' },
  name: { column: 'name', type: 'string', like: true },
  status: { column: 'status', type: 'enum', values: ['a', 'b'] },
  at: { column: 'at', type: 'timestamp' },
  q: { column: 'q', type: 'int' },
};

function rejects(filter: unknown): string {
  try {
    compileFilters(filter, FIELDS, 'x.list');
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    return (err as HttpError).message;
  }
  throw new Error('no error');
}

describe('compileFilters', () => {
  it('maps every operator alias and coerces numeric strings', () => {
    const w = compileFilters(
      [
        { field: 'id', operator: 'eq', value: '7' },
        { field: 'id', operator: 'not', value: 8 },
        { field: 'id', operator: 'gt', value: 1 },
        { field: 'id', operator: '>=', value: 1 },
        { field: 'id', operator: 'lt', value: 9 },
        { field: 'id', operator: 'lte', value: 9 },
        { field: 'id', operator: 'in', value: [1, '2'] },
        { field: 'id', operator: '!in', value: [3] },
      ],
      FIELDS,
      'x',
    );
    expect(w.clauses).toEqual([
      'id = ?',
      'id IS NOT ?',
      'id > ?',
      'id >= ?',
      'id < ?',
      'id <= ?',
      'id IN (?,?)',
      '(id IS NULL OR id NOT IN (?))',
    ]);
    expect(w.params).toEqual([7, 8, 1, 1, 9, 9, 1, 2, 3]);
  });

  it('treats = null / != null as IS NULL / IS NOT NULL and empty lists as false / true', () => {
    const w = compileFilters(
      [
        { field: 'q', operator: '=', value: null },
        { field: 'q', operator: '!=', value: null },
        { field: 'id', operator: 'in', value: [] },
        { field: 'id', operator: '!in', value: [] },
      ],
      FIELDS,
      'x',
    );
    expect(w.clauses).toEqual(['q IS NULL', 'q IS NOT NULL', '0', '1']);
    expect(w.params).toEqual([]);
  });

  it('normalises timestamps to ISO UTC with milliseconds', () => {
    const w = compileFilters([{ field: 'at', operator: '>', value: '2022-10-18T17:39:57+02:00' }], FIELDS, 'x');
    expect(w.params).toEqual(['2022-10-18T15:39:57.000Z']);
  });

  it('rejects unknown fields and operators, bad values and misuse', () => {
    expect(rejects([{ field: 'nope', operator: '=', value: 1 }])).toContain("unknown filter field 'nope'");
    expect(rejects([{ field: 'id', operator: '<>', value: 1 }])).toContain("unknown filter operator '<>'");
    rejects([{ field: 'id', operator: '=', value: 1.5 }]);
    rejects([{ field: 'id', operator: '=', value: true }]);
    rejects([{ field: 'name', operator: '=', value: 5 }]);
    rejects([{ field: 'status', operator: '=', value: 'c' }]);
    rejects([{ field: 'status', operator: '>', value: 'a' }]);
    rejects([{ field: 'id', operator: 'in', value: [null] }]);
    rejects([{ field: 'id', operator: '=', value: [1] }]);
    rejects([{ field: 'id', operator: 'like', value: '1%' }]);
    rejects([{ field: 'id', operator: '=' }]);
    rejects([5]);
    rejects({ field: 'id' });
  });

  it('null or absent filter means no condition', () => {
    expect(compileFilters(null, FIELDS, 'x').clauses).toEqual([]);
    expect(compileFilters(undefined, FIELDS, 'x').clauses).toEqual([]);
  });
});

describe('like / ilike', () => {
  it('matches % and _ with escapes; like is case-sensitive, ilike is not', () => {
    expect(likeToRegExp('IMG_%', false).test('IMG_0748.jpeg')).toBe(true);
    expect(likeToRegExp('img_%', false).test('IMG_0748.jpeg')).toBe(false);
    expect(likeToRegExp('img_%', true).test('IMG_0748.jpeg')).toBe(true);
    expect(likeToRegExp('a_c', false).test('abc')).toBe(true);
    expect(likeToRegExp('a\\_c', false).test('abc')).toBe(false);
    expect(likeToRegExp('a\\_c', false).test('a_c')).toBe(true);
    expect(likeToRegExp('50\\%', false).test('50%')).toBe(true);
    expect(likeToRegExp('(x)', false).test('(x)')).toBe(true);
  });

  it('runs inside SQLite through emu_like', () => {
    const db = new Database(':memory:');
    registerFilterFunctions(db);
    db.exec("CREATE TABLE t (name TEXT); INSERT INTO t VALUES ('Lemon'), ('lemonade'), ('kiwi')");
    const w = compileFilters(
      [
        { field: 'name', operator: 'ilike', value: 'lemon%' },
        { field: 'name', operator: '!like', value: '%ade' },
      ],
      FIELDS,
      'x',
    );
    const rows = db
      .prepare(`SELECT name FROM t WHERE ${w.clauses.join(' AND ')}`)
      .pluck()
      .all(...w.params);
    expect(rows).toEqual(['Lemon']);
    db.close();
  });
});
