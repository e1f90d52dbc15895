// Small keyed state of the app: settings values (JSON), the local id sequence for offline-created
// jobs and users, watches ("notify me when job X reaches status Y"), saved filter presets and saved
// create forms (job templates, a JSON list under one kv key: few and small, no table of their own).
import { JobTemplateSchema, type JobFilter, type JobStatus, type JobTemplate } from '#shared/contract';
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

export function createWatchesRepo(db: Db) {
  return {
    list(): { jobId: number; status: JobStatus }[] {
      return db.prepare('SELECT job_id AS jobId, status FROM watches ORDER BY job_id').all() as { jobId: number; status: JobStatus }[];
    },
    set(jobId: number, status: JobStatus, at: string): void {
      db.prepare(
        `INSERT INTO watches (job_id, status, created_at) VALUES (?, ?, ?)
        ON CONFLICT(job_id) DO UPDATE SET status = excluded.status, notified_at = NULL`,
      ).run(jobId, status, at);
    },
    delete(jobId: number): void {
      db.prepare('DELETE FROM watches WHERE job_id = ?').run(jobId);
    },
    changeJobId(localId: number, serverId: number): void {
      db.prepare('UPDATE OR REPLACE watches SET job_id = ? WHERE job_id = ?').run(serverId, localId);
    },
  };
}

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

const TEMPLATES_KEY = 'job_templates';

export function createTemplatesRepo(kv: ReturnType<typeof createKvRepo>) {
  return {
    /** by name; a stored entry an older or newer app wrote that no longer parses is left out, not thrown */
    list(): JobTemplate[] {
      return kv
        .get<unknown[]>(TEMPLATES_KEY, [])
        .flatMap((t) => {
          const parsed = JobTemplateSchema.safeParse(t);
          return parsed.success ? [parsed.data] : [];
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    /** a template of the same name is replaced */
    save(template: JobTemplate): void {
      kv.set(TEMPLATES_KEY, [...this.list().filter((t) => t.name !== template.name), template]);
    },
    delete(name: string): void {
      kv.set(
        TEMPLATES_KEY,
        this.list().filter((t) => t.name !== name),
      );
    },
  };
}
