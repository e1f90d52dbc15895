// SQLite failures of the cache file that happen while the app runs become one sentence a person can act on,
// not "database disk image is malformed".
import Database from 'better-sqlite3';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../../main/sync/errors';

const dir = mkdtempSync(join(tmpdir(), 'ljd-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('cache failures at run time', () => {
  it('a file damaged in the middle says to restart, which repairs it', () => {
    const file = join(dir, 'damaged.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`row ${i} ${'x'.repeat(50)}`);
    })();
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 8, 0xa5), 0, 4096 * 8, 4096 * 3); // scribble over pages 4-11
    closeSync(fd);

    const damaged = new Database(file);
    const err = thrownBy(() => damaged.prepare("SELECT count(*) FROM t WHERE x > 'row'").get());
    damaged.close();
    expect((err as { code: string }).code).toMatch(/^SQLITE_CORRUPT|SQLITE_NOTADB/);
    const app = toAppError(err);
    expect(app.kind).toBe('internal');
    expect(app.message).toMatch(/^The local cache file is damaged\. Restart the app/);
    expect(app.message).not.toMatch(/malformed/);
  });

  it('a read-only cache says so and where to look', () => {
    const file = join(dir, 'ro.sqlite');
    new Database(file).exec('CREATE TABLE t (x)');
    const ro = new Database(file, { readonly: true });
    const err = thrownBy(() => ro.exec("INSERT INTO t VALUES ('x')"));
    ro.close();
    expect(toAppError(err).message).toMatch(/cannot be written \(read-only\)/);
  });

  it('other errors keep their own message', () => {
    expect(toAppError(new Error('something else')).message).toBe('something else');
  });
});
