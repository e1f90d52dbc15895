// Saved filter presets of the jobs grid, by name.
import type { JobFilter } from '#shared/contract';
import type { Db } from './db';

export function createPresetsRepo(db: Db) {
  return {
    list(): { name: string; filter: JobFilter }[] {
      return (db.prepare('SELECT name, filter FROM presets ORDER BY name').all() as { name: string; filter: string }[]).map((p) => ({
        name: p.name,
        filter: JSON.parse(p.filter) as JobFilter,
      }));
    },
    save(name: string, filter: JobFilter, at: string): void {
      db.prepare(
        `INSERT INTO presets (name, filter, updated_at) VALUES (?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET filter = excluded.filter, updated_at = excluded.updated_at`,
      ).run(name, JSON.stringify(filter), at);
    },
    delete(name: string): void {
      db.prepare('DELETE FROM presets WHERE name = ?').run(name);
    },
  };
}
