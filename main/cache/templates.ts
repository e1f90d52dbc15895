// Saved create forms (job templates): a JSON list under one kv key, as they are few and small (no table of their own).
import { JobTemplateSchema, type JobTemplate } from '#shared/contract';
import type { createKvRepo } from './kv';

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
