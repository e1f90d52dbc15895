// Datasets and images: datasets.list/info and images.list/info (supervisely-api.md §5.5, §5.6), with image
// tags and preview URLs served by the local server itself (/previews/<imageId>.png).
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { badRequest, notFound } from '../errors';
import { roleInTeam } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { envelope, parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';
import { requireProject } from './projects';
import { findSyntheticImage, syntheticDatasets, syntheticPage, type ImageRow } from '../synthetic-images';

interface DatasetRow {
  id: number;
  project_id: number;
  parent_id: number | null;
  name: string;
  description: string;
  created_by: number;
  custom_data: string;
  created_at: string;
  updated_at: string;
  team_id: number;
  workspace_id: number;
  images_count: number;
  size: number;
  first_image: number | null;
}
// Counts of stored images plus those the formula gives (synth_*): never enumerated.
const DATASET_SELECT = `d.*, p.team_id, p.workspace_id,
  (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id) + d.synth_count AS images_count,
  (SELECT COALESCE(SUM(i.size), 0) FROM images i WHERE i.dataset_id = d.id) + d.synth_size AS size,
  COALESCE((SELECT MIN(i.id) FROM images i WHERE i.dataset_id = d.id), CASE WHEN d.synth_count > 0 THEN d.synth_first_id END) AS first_image`;
const DATASET_FROM = 'datasets d JOIN projects p ON p.id = d.project_id';

function datasetJson(ctx: Ctx, d: DatasetRow, withCustomData: boolean) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    size: String(d.size),
    projectId: d.project_id,
    imagesCount: d.images_count,
    itemsCount: d.images_count,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    referenceImageUrl: d.first_image === null ? null : `${ctx.baseUrl}/previews/${d.first_image}.png`,
    teamId: d.team_id,
    workspaceId: d.workspace_id,
    parentId: d.parent_id,
    createdBy: d.created_by,
    ...(withCustomData ? { customData: JSON.parse(d.custom_data) as unknown } : {}),
  };
}

function requireDataset(ctx: Ctx, id: number): DatasetRow {
  const d = ctx.db.prepare(`SELECT ${DATASET_SELECT} FROM ${DATASET_FROM} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
  if (!d || roleInTeam(ctx, d.team_id) === null) {
    throw notFound(`Dataset with datasetId ${id} is either archived, doesn't exist or you don't have enough permissions to access`);
  }
  return d;
}

const DATASET_FIELDS: FieldMap = {
  id: { column: 'd.id', type: 'int' },
  name: { column: 'd.name', type: 'string', like: true },
  parentId: { column: 'd.parent_id', type: 'int' },
  createdAt: { column: 'd.created_at', type: 'timestamp' },
  updatedAt: { column: 'd.updated_at', type: 'timestamp' },
};
const NAMED_SORT = (p: string) => ({ id: `${p}.id`, name: `${p}.name`, createdAt: `${p}.created_at`, updatedAt: `${p}.updated_at` });

/** recursive:false lists top-level datasets only; true lists nested ones too. */
function listDatasets(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(
    z.object({ projectId: idSchema, filter: optionalFilter, recursive: z.boolean().nullish(), extraFields: z.array(z.string()).nullish() }),
    body,
    ctx.method,
  );
  requireProject(ctx, req.projectId);
  const where = compileFilters(req.filter, DATASET_FIELDS, ctx.method);
  where.clauses.unshift('d.project_id = ?', ...(req.recursive ? [] : ['d.parent_id IS NULL']));
  where.params.unshift(req.projectId);
  const page = parsePage(body);
  const { total, rows } = queryPage<DatasetRow>(
    ctx.db,
    { select: DATASET_SELECT, from: DATASET_FROM, where, orderBy: parseSort(body, NAMED_SORT('d'), 'd.id', ctx.method) },
    page,
  );
  const custom = !!req.extraFields?.includes('customData');
  return envelope(
    total,
    page,
    rows.map((d) => datasetJson(ctx, d, custom)),
  );
}

function datasetInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema }), body, ctx.method);
  return datasetJson(ctx, requireDataset(ctx, id), true);
}

interface ImageTagRow {
  id: number;
  image_id: number;
  tag_id: number;
  value: string | null;
  labeler_login: string;
  created_at: string;
  updated_at: string;
  name: string;
}

const IMAGE_SELECT =
  'i.id, i.dataset_id, i.name, i.mime, i.size, i.width, i.height, i.hash, i.labels_count, u.login AS created_by, i.created_at, i.updated_at, d.project_id';
const IMAGE_FROM = 'images i JOIN datasets d ON d.id = i.dataset_id LEFT JOIN users u ON u.id = i.created_by';

function imagesJson(ctx: Ctx, rows: ImageRow[]) {
  const tags = new Map<number, Record<string, unknown>[]>();
  if (rows.length) {
    const tagRows = ctx.db
      .prepare(
        `SELECT it.*, t.name FROM image_tags it JOIN project_tags t ON t.id = it.tag_id WHERE it.image_id IN (${rows.map(() => '?').join(',')}) ORDER BY it.id`,
      )
      .all(...rows.map((r) => r.id)) as ImageTagRow[];
    for (const t of tagRows) {
      const list = tags.get(t.image_id) ?? [];
      list.push({
        id: t.id,
        tagId: t.tag_id,
        name: t.name,
        entityId: t.image_id,
        value: t.value,
        labelerLogin: t.labeler_login,
        createdAt: t.created_at,
        updatedAt: t.updated_at,
      });
      tags.set(t.image_id, list);
    }
  }
  return rows.map((i) => ({
    id: i.id,
    name: i.name,
    link: null,
    hash: i.hash,
    mime: i.mime,
    size: i.size,
    width: i.width,
    height: i.height,
    labelsCount: i.labels_count,
    datasetId: i.dataset_id,
    projectId: i.project_id,
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    meta: {},
    pathOriginal: `/previews/${i.id}.png`,
    fullStorageUrl: `${ctx.baseUrl}/previews/${i.id}.png`,
    tags: tags.get(i.id) ?? [],
    createdBy: i.created_by,
    relatedDataId: null,
    downloadId: null,
    offsetStart: null,
    offsetEnd: null,
    aiSearchMeta: null,
    embeddingsUpdatedAt: null,
    description: '',
    parentId: null,
  }));
}

const IMAGE_FIELDS: FieldMap = {
  id: { column: 'i.id', type: 'int' },
  name: { column: 'i.name', type: 'string', like: true },
  datasetId: { column: 'i.dataset_id', type: 'int' },
  mime: { column: 'i.mime', type: 'string' },
  size: { column: 'i.size', type: 'int' },
  width: { column: 'i.width', type: 'int' },
  height: { column: 'i.height', type: 'int' },
  labelsCount: { column: 'i.labels_count', type: 'int' },
  createdAt: { column: 'i.created_at', type: 'timestamp' },
  updatedAt: { column: 'i.updated_at', type: 'timestamp' },
};
const IMAGE_SORT = { ...NAMED_SORT('i'), labelsCount: 'i.labels_count', description: 'i.id', customSort: 'i.id' };

const listImagesSchema = z.object({
  projectId: idSchema.nullish(),
  datasetId: idSchema.nullish(),
  filter: optionalFilter,
  recursive: z.boolean().nullish(),
  forceMetadataForLinks: z.boolean().nullish(),
  fields: z.array(z.string()).nullish(),
  extraFields: z.array(z.string()).nullish(),
  filters: z.array(z.unknown()).nullish(),
  pagination_mode: z.enum(['page', 'token']).nullish(),
  after: z.string().nullish(),
});

/** The datasets whose images a listing covers (after checking the caller may read them). */
function inScope(ctx: Ctx, datasetId: number | null | undefined, projectId: number | null | undefined, recursive: boolean): number[] {
  if (datasetId) {
    requireDataset(ctx, datasetId);
    if (!recursive) return [datasetId];
    return ctx.db
      .prepare('WITH RECURSIVE t(id) AS (SELECT ? UNION SELECT d2.id FROM datasets d2 JOIN t ON d2.parent_id = t.id) SELECT id FROM t')
      .pluck()
      .all(datasetId) as number[];
  }
  requireProject(ctx, projectId!);
  return ctx.db.prepare('SELECT id FROM datasets WHERE project_id = ?').pluck().all(projectId) as number[];
}

/** images.list over formula images: page mode (`after` undefined) and token mode (offset cursors), as for stored ones. */
function listSyntheticImages(
  ctx: Ctx,
  body: Record<string, unknown>,
  filter: unknown,
  after: string | null | undefined,
  datasets: ReturnType<typeof syntheticDatasets>,
) {
  const page = parsePage(body);
  const order = body.sort_order ?? 'asc';
  if (order !== 'asc' && order !== 'desc')
    throw badRequest(`${ctx.method}: sort_order must be "asc" or "desc", got ${JSON.stringify(order)}`, 'Validation error');
  if (after === undefined) {
    const { total, rows } = syntheticPage(datasets, filter, body.sort, order, IMAGE_FIELDS, (page.page - 1) * page.perPage, page.perPage);
    return envelope(total, page, imagesJson(ctx, rows));
  }
  const offset = after ? Number.parseInt(after, 10) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw badRequest(`'after' is not a cursor this server issued: ${after}`);
  const { total, rows } = syntheticPage(datasets, filter, body.sort, order, IMAGE_FIELDS, offset, page.perPage);
  const next = offset + rows.length;
  return { ...envelope(total, page, imagesJson(ctx, rows)), after: next < total ? String(next) : null };
}

function listImages(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(listImagesSchema, body, ctx.method);
  if ((req.projectId ? 1 : 0) + (req.datasetId ? 1 : 0) !== 1) throw badRequest('Give exactly one of projectId and datasetId');
  if (req.filters?.length) throw badRequest("The advanced 'filters' list is not supported by this server; use 'filter'");
  const synthetic = syntheticDatasets(ctx.db, inScope(ctx, req.datasetId, req.projectId, !!req.recursive));
  if (synthetic.length)
    return listSyntheticImages(ctx, body, req.filter, req.pagination_mode === 'token' ? (req.after ?? null) : undefined, synthetic);
  const where = compileFilters(req.filter, IMAGE_FIELDS, ctx.method);
  if (req.datasetId) {
    where.clauses.unshift(
      req.recursive
        ? 'i.dataset_id IN (WITH RECURSIVE t(id) AS (SELECT ? UNION SELECT d2.id FROM datasets d2 JOIN t ON d2.parent_id = t.id) SELECT id FROM t)'
        : 'i.dataset_id = ?',
    );
    where.params.unshift(req.datasetId);
  } else {
    where.clauses.unshift('d.project_id = ?');
    where.params.unshift(req.projectId);
  }
  const page = parsePage(body);
  const orderBy = parseSort(body, IMAGE_SORT, 'i.id', ctx.method);
  if (req.pagination_mode === 'token') {
    const offset = req.after ? Number.parseInt(req.after, 10) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw badRequest(`'after' is not a cursor this server issued: ${req.after}`);
    const { total, rows } = queryPage<ImageRow>(
      ctx.db,
      { select: IMAGE_SELECT, from: IMAGE_FROM, where, orderBy },
      { page: 1, perPage: offset + page.perPage },
    );
    const slice = rows.slice(offset);
    const next = offset + slice.length;
    return { ...envelope(total, page, imagesJson(ctx, slice)), after: next < total ? String(next) : null };
  }
  const { total, rows } = queryPage<ImageRow>(ctx.db, { select: IMAGE_SELECT, from: IMAGE_FROM, where, orderBy }, page);
  return envelope(total, page, imagesJson(ctx, rows));
}

function imageInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema, forceMetadataForLinks: z.boolean().nullish() }), body, ctx.method);
  const stored = ctx.db.prepare(`SELECT ${IMAGE_SELECT} FROM ${IMAGE_FROM} WHERE i.id = ?`).get(id) as ImageRow | undefined;
  const row = stored ?? findSyntheticImage(ctx.db, id);
  const team = row && (ctx.db.prepare('SELECT team_id FROM projects WHERE id = ?').pluck().get(row.project_id) as number);
  if (!row || !team || roleInTeam(ctx, team) === null) throw notFound(`Image with id ${id} doesn't exist or you don't have access to it`);
  return imagesJson(ctx, [row])[0];
}

export const datasetHandlers: HandlerMap = {
  'datasets.list': listDatasets,
  'datasets.info': datasetInfo,
  'images.list': listImages,
  'images.info': imageInfo,
};
