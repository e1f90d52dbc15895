// Small keyed state of the app: settings values (JSON) and the local id sequence for offline-created
// jobs and users, one row per key.
import type { Db } from './db';

export function createKvRepo(db: Db) {
  const get = db.prepare('SELECT value FROM kv WHERE key = ?').pluck();
  const set = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  return {
    get<T>(key: string, fallback: T): T {
      const raw = get.get(key) as string | undefined;
      return raw === undefined ? fallback : (JSON.parse(raw) as T);
    },
    set(key: string, value: unknown): void {
      set.run(key, JSON.stringify(value));
    },
    delete(key: string): void {
      db.prepare('DELETE FROM kv WHERE key = ?').run(key);
    },
    /** Next negative id for something created offline (-1, -2, …; never reused). */
    nextLocalId(): number {
      const next = this.get<number>('local_id_seq', 0) - 1;
      this.set('local_id_seq', next);
      return next;
    },
  };
}
