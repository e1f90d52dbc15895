// A project's meta (classes and tags, supervisely-api.md §5.4): reading it as wire JSON, validating an incoming
// meta strictly, and merging it into the stored one (§5.3 [EMU]: by id, else by name; absent items kept).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DB } from './store';
import { badRequest } from './errors';

export const SHAPES = [
  'bitmap',
  'polygon',
  'rectangle',
  'point',
  'line',
  'graph',
  'any',
  'alpha_mask',
  'oriented_bbox',
  'multipolygon',
  'cuboid',
  'cuboid_2d',
  'cuboid_3d',
  'mask_3d',
  'point_cloud',
  'point_3d',
  'multichannelBitmap',
  'closed_surface_mesh',
  'polyline_3d',
  'mesh',
] as const;
const VALUE_TYPES = ['none', 'any_number', 'any_string', 'oneof_string', 'date'] as const;
const color = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'must be a #RRGGBB colour');
const LABELING_INTERFACES = [
  'default',
  'medical_imaging_single',
  'images_with_16_color',
  'multispectral',
  'overlay',
  'multi_view',
  'image_matting',
  'fisheye',
] as const;

const classSchema = z.object({
  title: z.string().trim().min(1),
  shape: z.enum(SHAPES),
  color,
  id: z.number().int().positive().optional(),
  hotkey: z.string().default(''),
  description: z.string().default(''),
  geometry_config: z.record(z.string(), z.unknown()).default({}),
});
const tagObject = z
  .object({
    name: z.string().trim().min(1),
    value_type: z.enum(VALUE_TYPES),
    values: z.array(z.string()).nullish(),
    color: color.optional(),
    id: z.number().int().positive().optional(),
    hotkey: z.string().default(''),
    applicable_type: z.enum(['all', 'imagesOnly', 'objectsOnly']).default('all'),
    classes: z.array(z.string()).default([]),
    target_type: z.enum(['all', 'framesOnly', 'entitiesOnly']).default('all'),
  })
  .refine((t) => (t.value_type === 'oneof_string' ? !!t.values?.length : t.values == null), {
    message: 'a oneof_string tag needs a non-empty values list; other value types must not have values',
  });
const tagSchema = z.union([
  z
    .string()
    .trim()
    .min(1)
    .transform((name) => tagObject.parse({ name, value_type: 'none' })),
  tagObject,
]);
export const projectSettingsSchema = z
  .object({
    multiView: z
      .object({ enabled: z.boolean(), tagName: z.string().nullable(), tagId: z.number().int().nullable(), isSynced: z.boolean() })
      .strict(),
    labelingInterface: z.enum(LABELING_INTERFACES).nullish(),
  })
  .strict();
export const metaSchema = z.object({
  classes: z.array(classSchema),
  tags: z.array(tagSchema).default([]),
  tags_images: z.array(tagSchema).optional(),
  tags_objects: z.array(tagSchema).optional(),
  projectType: z.string().optional(),
  projectSettings: projectSettingsSchema.optional(),
});
export type MetaInput = z.output<typeof metaSchema>;

interface ClassRow {
  id: number;
  title: string;
  shape: string;
  color: string;
  hotkey: string;
  description: string;
  geometry_config: string;
}
interface TagRow {
  id: number;
  name: string;
  value_type: string;
  possible_values: string | null;
  color: string;
  hotkey: string;
  applicable_type: string;
  classes: string;
  target_type: string;
}

/** The meta as `projects.meta` answers it: classes and tags (alphabetical), projectType. */
export function readMeta(db: DB, projectId: number, projectType: string) {
  const classes = db.prepare('SELECT * FROM project_classes WHERE project_id = ? ORDER BY title').all(projectId) as ClassRow[];
  const tags = db.prepare('SELECT * FROM project_tags WHERE project_id = ? ORDER BY name').all(projectId) as TagRow[];
  return {
    classes: classes.map((c) => ({
      id: c.id,
      title: c.title,
      description: c.description,
      shape: c.shape,
      color: c.color,
      geometry_config: JSON.parse(c.geometry_config) as unknown,
      hotkey: c.hotkey,
    })),
    tags: tags.map((t) => ({
      id: t.id,
      name: t.name,
      value_type: t.value_type,
      color: t.color,
      ...(t.value_type === 'oneof_string' ? { values: JSON.parse(t.possible_values ?? '[]') as string[] } : {}),
      hotkey: t.hotkey,
      applicable_type: t.applicable_type,
      classes: JSON.parse(t.classes) as string[],
      target_type: t.target_type,
    })),
    projectType,
  };
}

/** A stable colour for a tag sent without one. */
function colourFor(name: string): string {
  return `#${createHash('sha1').update(name).digest('hex').slice(0, 6).toUpperCase()}`;
}

function checkUnique(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw badRequest(`meta: ${what} '${n}' appears more than once`);
    seen.add(n);
  }
}

/** Merges `meta` into the project's stored meta; returns counts of created items. */
export function mergeMeta(db: DB, projectId: number, meta: MetaInput): { createdClasses: number; createdTags: number } {
  const legacy = [...(meta.tags_images ?? []), ...(meta.tags_objects ?? [])];
  if (legacy.length && meta.tags.length) throw badRequest('meta: use either tags or tags_images/tags_objects, not both');
  const tags = legacy.length ? legacy : meta.tags;
  checkUnique(
    meta.classes.map((c) => c.title),
    'class',
  );
  checkUnique(
    tags.map((t) => t.name),
    'tag',
  );
  let createdClasses = 0;
  let createdTags = 0;
  for (const c of meta.classes) {
    const existing = (
      c.id !== undefined
        ? db.prepare('SELECT id FROM project_classes WHERE id = ? AND project_id = ?').get(c.id, projectId)
        : db.prepare('SELECT id FROM project_classes WHERE title = ? AND project_id = ?').get(c.title, projectId)
    ) as { id: number } | undefined;
    if (c.id !== undefined && !existing) throw badRequest(`meta: class id ${c.id} does not belong to project ${projectId}`);
    const clash = db.prepare('SELECT id FROM project_classes WHERE title = ? AND project_id = ?').get(c.title, projectId) as
      { id: number } | undefined;
    if (existing && clash && clash.id !== existing.id) throw badRequest(`meta: another class is already named '${c.title}'`);
    const values = [c.title, c.shape, c.color.toUpperCase(), c.hotkey, c.description, JSON.stringify(c.geometry_config)];
    if (existing) {
      db.prepare('UPDATE project_classes SET title=?, shape=?, color=?, hotkey=?, description=?, geometry_config=? WHERE id=?').run(
        ...values,
        existing.id,
      );
    } else {
      db.prepare(
        'INSERT INTO project_classes (project_id, title, shape, color, hotkey, description, geometry_config) VALUES (?,?,?,?,?,?,?)',
      ).run(projectId, ...values);
      createdClasses++;
    }
  }
  const classNames = new Set(
    (db.prepare('SELECT title FROM project_classes WHERE project_id = ?').all(projectId) as { title: string }[]).map((r) => r.title),
  );
  for (const t of tags) {
    const unknown = t.classes.filter((n) => !classNames.has(n));
    if (unknown.length) throw badRequest(`meta: tag '${t.name}' refers to unknown classes ${unknown.join(', ')}`);
    const existing = (
      t.id !== undefined
        ? db.prepare('SELECT id, color FROM project_tags WHERE id = ? AND project_id = ?').get(t.id, projectId)
        : db.prepare('SELECT id, color FROM project_tags WHERE name = ? AND project_id = ?').get(t.name, projectId)
    ) as { id: number; color: string } | undefined;
    if (t.id !== undefined && !existing) throw badRequest(`meta: tag id ${t.id} does not belong to project ${projectId}`);
    const clash = db.prepare('SELECT id FROM project_tags WHERE name = ? AND project_id = ?').get(t.name, projectId) as
      { id: number } | undefined;
    if (existing && clash && clash.id !== existing.id) throw badRequest(`meta: another tag is already named '${t.name}'`);
    const values = [
      t.name,
      t.value_type,
      t.value_type === 'oneof_string' ? JSON.stringify(t.values) : null,
      (t.color ?? existing?.color ?? colourFor(t.name)).toUpperCase(),
      t.hotkey,
      t.applicable_type,
      JSON.stringify(t.classes),
      t.target_type,
    ];
    if (existing) {
      db.prepare(
        'UPDATE project_tags SET name=?, value_type=?, possible_values=?, color=?, hotkey=?, applicable_type=?, classes=?, target_type=? WHERE id=?',
      ).run(...values, existing.id);
    } else {
      db.prepare(
        'INSERT INTO project_tags (project_id, name, value_type, possible_values, color, hotkey, applicable_type, classes, target_type) VALUES (?,?,?,?,?,?,?,?,?)',
      ).run(projectId, ...values);
      createdTags++;
    }
  }
  return { createdClasses, createdTags };
}
