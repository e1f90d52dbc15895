// Images synthesised from a formula instead of stored row by row (the team world's millions): a dataset with
// `synth_count` > 0 owns the ids synth_first_id … synth_first_id + synth_count − 1, and each image's name, size,
// hash, dimensions and dates are a pure function of its id and dataset, so every call answers the same.
import { createHash } from 'node:crypto';
import type { DB } from './store';
import { badRequest } from './errors';
import type { FieldMap } from './filters';

export interface SyntheticDataset {
  id: number;
  name: string;
  project_id: number;
  project_type: string;
  synth_first_id: number;
  synth_count: number;
  created_at: string;
  created_by: string | null; // login
}

/** What images.list renders for one image (the columns of a stored image row). */
export interface ImageRow {
  id: number;
  dataset_id: number;
  name: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  hash: string;
  labels_count: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  project_id: number;
}

const EXTENSION: Record<string, [string, string]> = {
  images: ['jpg', 'image/jpeg'],
  videos: ['mp4', 'video/mp4'],
  volumes: ['nrrd', 'application/octet-stream'],
  point_clouds: ['pcd', 'application/octet-stream'],
  point_cloud_episodes: ['pcd', 'application/octet-stream'],
  meshes: ['obj', 'model/obj'],
};

/** A 32-bit mix of the id (splitmix-style): the source of every varying attribute. */
function mix(id: number, salt: number): number {
  let h = Math.imul((id ^ salt) >>> 0, 0x9e3779b1) ^ Math.floor(id / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Bytes of one synthetic image: 40 KB – 4 MB. */
export const syntheticSize = (id: number): number => 40_000 + (mix(id, 1) % 3_960_000);

/** The name of the image at position `k` (0-based) of a synthetic dataset. */
export function syntheticName(ds: SyntheticDataset, k: number): string {
  return `${ds.name}_${String(k + 1).padStart(7, '0')}.${(EXTENSION[ds.project_type] ?? EXTENSION.images!)[0]}`;
}

/** The image at position `k` (0-based) of a synthetic dataset. */
export function syntheticImage(ds: SyntheticDataset, k: number): ImageRow {
  const id = ds.synth_first_id + k;
  const mime = (EXTENSION[ds.project_type] ?? EXTENSION.images!)[1];
  // one second apart from the dataset's creation, so name, createdAt and id orders agree
  const at = new Date(Date.parse(ds.created_at) + k * 1000).toISOString();
  const wide = mix(id, 2) % 3;
  return {
    id,
    dataset_id: ds.id,
    name: syntheticName(ds, k),
    mime,
    size: syntheticSize(id),
    width: [1920, 1280, 4032][wide]!,
    height: [1080, 960, 3024][wide]!,
    hash: createHash('sha256').update(`synthetic/${id}`).digest('base64'),
    labels_count: mix(id, 3) % 24,
    created_by: ds.created_by,
    created_at: at,
    updated_at: at,
    project_id: ds.project_id,
  };
}

/** Sum of the sizes of a synthetic dataset's images (stored once at seed time: the formula has no closed form). */
export function syntheticTotalSize(firstId: number, count: number): number {
  let total = 0;
  for (let id = firstId; id < firstId + count; id++) total += syntheticSize(id);
  return total;
}

const DATASET_SQL = `SELECT d.id, d.name, d.project_id, p.type AS project_type, d.synth_first_id, d.synth_count, d.created_at,
  u.login AS created_by FROM datasets d JOIN projects p ON p.id = d.project_id LEFT JOIN users u ON u.id = d.created_by`;

/** The synthetic datasets among `datasetIds`, in id order of their images. */
export function syntheticDatasets(db: DB, datasetIds: number[]): SyntheticDataset[] {
  if (!datasetIds.length) return [];
  return db
    .prepare(`${DATASET_SQL} WHERE d.synth_count > 0 AND d.id IN (SELECT value FROM json_each(?)) ORDER BY d.synth_first_id`)
    .all(JSON.stringify(datasetIds)) as SyntheticDataset[];
}

/** The synthetic image with this id, or undefined (not synthetic, or no such image). */
export function findSyntheticImage(db: DB, id: number): ImageRow | undefined {
  const ds = db
    .prepare(`${DATASET_SQL} WHERE d.synth_first_id <= ? AND d.synth_count > 0 ORDER BY d.synth_first_id DESC LIMIT 1`)
    .get(id) as SyntheticDataset | undefined;
  return ds && id < ds.synth_first_id + ds.synth_count ? syntheticImage(ds, id - ds.synth_first_id) : undefined;
}

/** The images a job may take from a dataset (id and name, in id order): stored rows or the formula. */
export function datasetImages(db: DB, datasetId: number): { id: number; name: string }[] {
  const [ds] = syntheticDatasets(db, [datasetId]);
  if (!ds)
    return db.prepare('SELECT id, name FROM images WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number; name: string }[];
  return Array.from({ length: ds.synth_count }, (_, k) => ({ id: ds.synth_first_id + k, name: syntheticName(ds, k) }));
}

/**
 * One page of the images of synthetic datasets, computed from the formula. Only what the formula can answer
 * without enumerating is accepted: filters on `id` with =, >, >=, <, <= and sorting by id (or, within one
 * dataset, by name / createdAt / updatedAt, which follow id order); anything else is a 400 that says so.
 */
export function syntheticPage(
  datasets: SyntheticDataset[],
  filter: unknown,
  sort: unknown,
  order: unknown,
  fields: FieldMap,
  offset: number,
  limit: number,
): { total: number; rows: ImageRow[] } {
  let lo = -Infinity;
  let hi = Infinity;
  for (const f of (Array.isArray(filter) ? filter : []) as { field?: unknown; operator?: unknown; value?: unknown }[]) {
    const v = f?.value;
    if (
      f?.field !== 'id' ||
      typeof v !== 'number' ||
      !['=', 'eq', '>', 'gt', '>=', 'gte', '<', 'lt', '<=', 'lte'].includes(String(f.operator))
    ) {
      const known = f?.field !== undefined && Object.hasOwn(fields, String(f.field));
      throw badRequest(
        `images.list: the images of dataset ${datasets.map((d) => d.id).join(', ')} are synthesised by this server; ` +
          `it filters them only on id with =, >, >=, <, <=${known ? '' : ` (and '${String(f?.field)}' is not an image field)`}`,
        'Invalid filter',
      );
    }
    const op = String(f.operator);
    if (op === '=' || op === 'eq') [lo, hi] = [Math.max(lo, v), Math.min(hi, v)];
    else if (op === '>' || op === 'gt') lo = Math.max(lo, v + 1);
    else if (op === '>=' || op === 'gte') lo = Math.max(lo, v);
    else if (op === '<' || op === 'lt') hi = Math.min(hi, v - 1);
    else hi = Math.min(hi, v);
  }
  const sortKey = sort ?? 'id';
  if (sortKey !== 'id' && !(datasets.length === 1 && ['name', 'createdAt', 'updatedAt'].includes(String(sortKey)))) {
    throw badRequest(
      `images.list: synthesised images across several datasets can only be sorted by id, not ${JSON.stringify(sortKey)}`,
      'Validation error',
    );
  }
  const ranges = datasets
    .map((ds) => ({ ds, from: Math.max(ds.synth_first_id, lo), to: Math.min(ds.synth_first_id + ds.synth_count - 1, hi) }))
    .filter((r) => r.from <= r.to);
  if (order === 'desc') ranges.reverse();
  const total = ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
  const rows: ImageRow[] = [];
  let skip = offset;
  for (const r of ranges) {
    const size = r.to - r.from + 1;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    for (let i = skip; i < size && rows.length < limit; i++) {
      const id = order === 'desc' ? r.to - i : r.from + i;
      rows.push(syntheticImage(r.ds, id - r.ds.synth_first_id));
    }
    skip = 0;
    if (rows.length >= limit) break;
  }
  return { total, rows };
}
