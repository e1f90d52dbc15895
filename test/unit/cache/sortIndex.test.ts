// compareSqlValues (main/cache/sortIndex.ts) orders values as SQLite's ORDER BY does on a real cache file:
// NULL first, numbers before text, text by UTF-8 bytes (so characters beyond U+FFFF after U+E000–U+FFFF).
import { afterAll, describe, expect, it } from 'vitest';
import { compareSqlValues } from '../../../main/cache/sortIndex';
import { tempCache } from './helpers';

const ctx = tempCache();
afterAll(() => ctx.cleanup());

const VALUES: unknown[] = [
  null,
  0,
  -1.5,
  2,
  0.25,
  '',
  'a',
  'A',
  'ab',
  'a\u0000b',
  'Ä',
  'ß',
  '\uE000',
  '\uFFFD',
  '\uFFFF',
  '😀',
  '𐀀',
  'z😀',
  'z\uE000',
  '10',
  '9',
  '2026-03-01T00:00:00.000Z',
  '2026-03-01T00:00:00Z',
];

describe('compareSqlValues', () => {
  it('sorts like SQLite ORDER BY', () => {
    const db = ctx.cache.db;
    db.exec('CREATE TEMP TABLE vals (k INTEGER PRIMARY KEY, v)');
    const insert = db.prepare('INSERT INTO vals (k, v) VALUES (?, ?)');
    VALUES.forEach((v, k) => insert.run(k, v));
    const bySqlite = db.prepare('SELECT k FROM vals ORDER BY v, k').pluck().all() as number[];
    const byUs = VALUES.map((_, k) => k).sort((x, y) => compareSqlValues(VALUES[x], VALUES[y])! || x - y);
    expect(byUs.map((k) => VALUES[k])).toEqual(bySqlite.map((k) => VALUES[k]));
  });

  it('knows equal values, and leaves blobs to SQLite', () => {
    expect(compareSqlValues('x', 'x')).toBe(0);
    expect(compareSqlValues(null, null)).toBe(0);
    expect(compareSqlValues(Buffer.from('a'), 'a')).toBeNull();
  });
});
