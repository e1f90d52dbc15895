// zod schemas of the wire JSON (supervisely-api.md §3.3, §4, §5) that transform answers into the clean types of
// ./types, and parseWire(), which turns a mismatch into a malformed_response ApiError naming the field.
// Lenient where the SDK is (missing optional keys → null, unknown statuses kept as strings, ids as
// decimal strings, unknown keys ignored), strict where the SDK would crash (§7.8).
import { z } from 'zod';
import { ApiError } from './errors';
import { canonicalTimestamp } from './timestamps';
import {
  type ActivityInfo,
  type DatasetInfo,
  type ImageInfo,
  type JobStatusOrUnknown,
  type JobWire,
  type LabelingQueueInfo,
  type Membership,
  type ObjClassMeta,
  type ProjectInfo,
  type ProjectMeta,
  type ReviewStatusOrUnknown,
  type RoleInfo,
  type TagMetaInfo,
  type TeamInfo,
  type UserInfo,
  type WorkspaceInfo,
} from './types';

// ---- parsing with readable errors ----------------------------------------------------------------

function pathText(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(the whole answer)';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Parses `data` with `schema`; on mismatch throws malformed_response naming endpoint and field path. */
export function parseWire<S extends z.ZodType>(schema: S, data: unknown, endpoint: string, pathPrefix = ''): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = pathText(pathPrefix, issue.path);
  const input = (issue as { input?: unknown }).input;
  let what: string;
  if (issue.code === 'invalid_type' && input === undefined) what = 'is missing';
  else if (issue.code === 'invalid_type') what = `should be ${issue.expected}, got ${describe(input)}`;
  else if (issue.code === 'invalid_value') what = `has an unexpected value ${describe(input)}`;
  else what = issue.message;
  throw new ApiError('malformed_response', `${endpoint} answered in an unexpected shape: ${field} ${what}`, endpoint, { field });
}

/** One list row that did not parse: skipped so the rest of its page survives. */
export interface SkippedRow {
  /** the row's `id` as sent (null when it has none) */
  id: unknown;
  /** the field path that failed, e.g. `entities[3].createdAt` */
  field: string;
  message: string;
}

/** Parses each row of a page alone; a bad row becomes a SkippedRow instead of failing the page. */
export function parseRows<S extends z.ZodType>(
  schema: S,
  rows: readonly unknown[],
  endpoint: string,
): { items: z.output<S>[]; skipped: SkippedRow[] } {
  const items: z.output<S>[] = [];
  const skipped: SkippedRow[] = [];
  rows.forEach((row, i) => {
    try {
      items.push(parseWire(schema, row, endpoint, `entities[${i}]`));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const id = row && typeof row === 'object' && 'id' in row ? (row as { id: unknown }).id : null;
      skipped.push({ id: id ?? null, field: err.details.field ?? `entities[${i}]`, message: err.message });
    }
  });
  return { items, skipped };
}

// ---- building blocks -----------------------------------------------------------------------------

/** Integers, also when sent as decimal strings ("5555"), as the SDK's untyped reading accepts them. */
const wholeNumber = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), s);
const int = wholeNumber(z.number().int());
/** Any ISO-8601 timestamp, normalised to the canonical form of ./timestamps. */
const timestamp = z.string().transform((v, ctx) => {
  const canonical = canonicalTimestamp(v);
  if (canonical === null) {
    ctx.addIssue({ code: 'custom', message: `is not an ISO-8601 timestamp (${JSON.stringify(v.slice(0, 40))})` });
    return z.NEVER;
  }
  return canonical;
});
/** A status string: a known one, or a newer one kept as sent. */
const statusText = z.string().min(1).max(200);
/** Missing or null → null (the SDK's skip_missing rule). */
const orNull = <T extends z.ZodType>(s: T) => s.nullish().transform((v): z.output<T> | null => (v ?? null) as z.output<T> | null);
const str = z.string();
const textOrEmpty = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const count = int.nullish().transform((v) => v ?? 0);
const record = z.record(z.string(), z.unknown());
const recordOrEmpty = record.nullish().transform((v) => v ?? {});
/** Sizes are decimal strings on the wire; a number is accepted and kept as its decimal string. */
const sizeText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));

/** `meta.classes[*]` / `meta.projectTags[*]`: an object whose `name` (or else `title`) is taken. */
const namedObject = z.object({ name: z.string().nullish(), title: z.string().nullish() }).transform((o, ctx) => {
  const n = o.name ?? o.title;
  if (n === null || n === undefined) {
    ctx.addIssue({ code: 'custom', message: 'has neither name nor title' });
    return z.NEVER;
  }
  return n;
});

const imageTagFilter = z
  .object({ name: z.string().nullish(), title: z.string().nullish(), positive: z.boolean().nullable() })
  .transform((o, ctx) => {
    const n = o.name ?? o.title;
    if (n === null || n === undefined) {
      ctx.addIssue({ code: 'custom', message: 'has neither name nor title' });
      return z.NEVER;
    }
    return { name: n, positive: o.positive === true };
  });

// ---- labeling jobs (§3.2, §3.3) -------------------------------------------------------------------

const jobMetaWire = z.object({
  classes: z.array(namedObject),
  projectTags: z.array(namedObject),
  imageTags: z.array(imageTagFilter),
  range: z.object({ start: int.nullable(), end: int.nullable() }),
  imageFiguresLimit: orNull(int),
  imageTagsLimit: orNull(int),
  guide: orNull(int),
});

const jobEntityWire = z.object({
  id: int,
  name: orNull(str),
  reviewStatus: orNull(statusText).transform((v) => v as ReviewStatusOrUnknown | null),
});

export const jobWire = z
  .object({
    id: int,
    name: textOrEmpty,
    readme: textOrEmpty,
    description: textOrEmpty,
    teamId: int,
    workspaceId: int,
    workspaceTitle: textOrEmpty,
    projectId: int,
    projectTitle: textOrEmpty,
    datasetId: orNull(int),
    datasetTitle: textOrEmpty,
    createdBy: int,
    managerLogin: textOrEmpty,
    userId: int,
    labelerLogin: textOrEmpty,
    reviewerId: orNull(int),
    reviewerLogin: orNull(str),
    createdAt: timestamp,
    startedAt: orNull(timestamp),
    finishedAt: orNull(timestamp),
    updatedAt: orNull(timestamp),
    status: statusText.transform((v) => v as JobStatusOrUnknown),
    disabled: z.boolean().nullish(),
    labelingQueueId: orNull(int),
    labelingExamId: orNull(int),
    imagesCount: count,
    finishedImagesCount: count,
    rejectedImagesCount: count,
    acceptedImagesCount: count,
    progressImagesCount: count,
    priority: orNull(int),
    customData: recordOrEmpty,
    meta: jobMetaWire,
    entities: orNull(z.array(jobEntityWire)),
  })
  .transform((j): JobWire => ({
    id: j.id,
    name: j.name,
    readme: j.readme,
    description: j.description,
    teamId: j.teamId,
    workspaceId: j.workspaceId,
    workspaceName: j.workspaceTitle,
    projectId: j.projectId,
    projectName: j.projectTitle,
    datasetId: j.datasetId,
    datasetName: j.datasetTitle,
    createdById: j.createdBy,
    createdByLogin: j.managerLogin,
    assignedToId: j.userId,
    assignedToLogin: j.labelerLogin,
    reviewerId: j.reviewerId,
    reviewerLogin: j.reviewerLogin,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    updatedAt: j.updatedAt,
    status: j.status,
    disabled: j.disabled === true,
    labelingQueueId: j.labelingQueueId,
    labelingExamId: j.labelingExamId,
    imagesCount: j.imagesCount,
    finishedImagesCount: j.finishedImagesCount,
    rejectedImagesCount: j.rejectedImagesCount,
    acceptedImagesCount: j.acceptedImagesCount,
    progressImagesCount: j.progressImagesCount,
    classesToLabel: j.meta.classes,
    tagsToLabel: j.meta.projectTags,
    imagesRange: { start: j.meta.range.start, end: j.meta.range.end },
    objectsLimitPerImage: j.meta.imageFiguresLimit,
    tagsLimitPerImage: j.meta.imageTagsLimit,
    filterImagesByTags: j.meta.imageTags,
    includeImagesWithTags: j.meta.imageTags.filter((t) => t.positive).map((t) => t.name),
    excludeImagesWithTags: j.meta.imageTags.filter((t) => !t.positive).map((t) => t.name),
    entities: j.entities,
    priority: j.priority,
    guideId: j.meta.guide,
    customData: j.customData,
  }));

/** `jobs.add` / `jobs.restart` answer: an array of objects with `id` (§3.4.1). */
export const createdJobsWire = z.array(z.object({ id: int }).transform((o) => o.id));

// ---- users, roles (§4) ----------------------------------------------------------------------------

const membershipWire = z.object({ id: int, name: str, roleId: int, role: str }).transform((m): Membership => m);

const userFields = {
  id: int,
  login: str,
  role: orNull(str),
  roleId: orNull(int),
  name: orNull(str),
  email: orNull(str),
  logins: orNull(int),
  disabled: z.boolean().nullish(),
  lastLogin: orNull(timestamp),
  createdAt: orNull(timestamp),
  updatedAt: orNull(timestamp),
};
type UserWire = z.output<z.ZodObject<typeof userFields>>;
const toUser = (u: UserWire): UserInfo => ({
  id: u.id,
  login: u.login,
  role: u.role,
  roleId: u.roleId,
  name: u.name,
  email: u.email,
  logins: u.logins,
  disabled: u.disabled === true,
  lastLogin: u.lastLogin,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

export const userWire = z.object(userFields).transform(toUser);
/** users.info also carries `teams`, which the SDK's get_teams needs complete (§4.2). */
export const userInfoWire = z
  .object({ ...userFields, teams: z.array(membershipWire) })
  .transform((u): UserInfo => ({ ...toUser(u), teams: u.teams }));
export const addedUserWire = z.object({ userId: int }).transform((o) => o.userId);

export const roleWire = z
  .object({ id: int, role: str, createdAt: orNull(timestamp), updatedAt: orNull(timestamp) })
  .transform((r): RoleInfo => r);

// ---- teams, workspaces, projects, datasets, images (§5) ------------------------------------------

export const teamWire = z
  .object({ id: int, name: str, description: orNull(str), role: orNull(str), createdAt: orNull(timestamp), updatedAt: orNull(timestamp) })
  .transform((t): TeamInfo => t);

export const workspaceWire = z
  .object({ id: int, name: str, description: orNull(str), teamId: int, createdAt: orNull(timestamp), updatedAt: orNull(timestamp) })
  .transform((w): WorkspaceInfo => w);

export const projectWire = z
  .object({
    id: int,
    name: str,
    description: orNull(str),
    size: sizeText,
    readme: orNull(str),
    workspaceId: int,
    teamId: orNull(int),
    type: str,
    imagesCount: orNull(int),
    itemsCount: orNull(int),
    datasetsCount: orNull(int),
    referenceImageUrl: orNull(str),
    customData: recordOrEmpty,
    createdBy: orNull(int),
    createdAt: orNull(timestamp),
    updatedAt: orNull(timestamp),
  })
  .transform(({ createdBy, ...p }): ProjectInfo => ({ ...p, itemsCount: p.itemsCount ?? p.imagesCount, createdById: createdBy }));

export const datasetWire = z
  .object({
    id: int,
    name: str,
    description: orNull(str),
    size: sizeText,
    projectId: int,
    teamId: orNull(int),
    workspaceId: orNull(int),
    parentId: orNull(int),
    imagesCount: orNull(int),
    itemsCount: orNull(int),
    referenceImageUrl: orNull(str),
    createdAt: orNull(timestamp),
    updatedAt: orNull(timestamp),
  })
  .transform((d): DatasetInfo => ({ ...d, itemsCount: d.itemsCount ?? d.imagesCount }));

/**
 * The SDK's image name rule (§5.6): the extension comes from `mime`; a name without one gets it,
 * a jpeg keeps .jpg/.jpeg/.mpo, any other mismatch gets `.{ext}` appended.
 */
export function imageNameFromMime(name: string, mime: string | null): string {
  if (!mime) return name;
  const ext = mime.split('/')[1];
  if (!ext) return name;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return `${name}.${ext}`;
  const own = name.slice(dot + 1).toLowerCase();
  if (ext === 'jpeg' && (own === 'jpg' || own === 'jpeg' || own === 'mpo')) return name;
  return own === ext.toLowerCase() ? name : `${name}.${ext}`;
}

const imageTagWire = z.object({ id: orNull(int), tagId: int, name: orNull(str), value: z.unknown() });

export const imageWire = z
  .object({
    id: int,
    name: str,
    datasetId: int,
    mime: orNull(str),
    size: orNull(int),
    width: orNull(int),
    height: orNull(int),
    labelsCount: orNull(int),
    hash: orNull(str),
    link: orNull(str),
    pathOriginal: orNull(str),
    fullStorageUrl: orNull(str),
    tags: z.array(imageTagWire).nullish(),
    createdAt: orNull(timestamp),
    updatedAt: orNull(timestamp),
  })
  .transform((i): ImageInfo => ({
    ...i,
    name: imageNameFromMime(i.name, i.mime),
    ext: i.mime ? (i.mime.split('/')[1] ?? null) : null,
    tags: (i.tags ?? []).map((t) => ({ id: t.id, tagId: t.tagId, name: t.name, value: t.value ?? null })),
  }));

export const activityWire = z
  .object({
    userId: orNull(int),
    user: orNull(str),
    action: str,
    date: timestamp,
    projectId: orNull(int),
    datasetId: orNull(int),
    imageId: orNull(int),
    jobId: orNull(int),
    job: orNull(str),
    meta: recordOrEmpty,
  })
  .transform((a): ActivityInfo => a);

// ---- project meta (§5.4) -------------------------------------------------------------------------

const classWire = z
  .object({
    id: orNull(int),
    title: str,
    shape: str,
    color: str,
    description: textOrEmpty,
    hotkey: textOrEmpty,
    geometry_config: recordOrEmpty,
  })
  .transform((c): ObjClassMeta => ({
    id: c.id,
    title: c.title,
    shape: c.shape,
    color: c.color,
    description: c.description,
    hotkey: c.hotkey,
    geometryConfig: c.geometry_config,
  }));

const tagObjectWire = z
  .object({
    id: orNull(int),
    name: str,
    value_type: z.enum(['none', 'any_number', 'any_string', 'oneof_string', 'date']),
    values: orNull(z.array(str)),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'should be a #RRGGBB colour')
      .nullish(),
    hotkey: textOrEmpty,
    applicable_type: z.enum(['all', 'imagesOnly', 'objectsOnly']).nullish(),
    classes: z.array(str).nullish(),
    target_type: z.enum(['all', 'framesOnly', 'entitiesOnly']).nullish(),
  })
  .superRefine((t, ctx) => {
    if (t.value_type === 'oneof_string' && t.values === null) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'is missing (required for a oneof_string tag)' });
    } else if (t.value_type !== 'oneof_string' && t.values !== null) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must be absent for a ${t.value_type} tag` });
    }
  })
  .transform((t): TagMetaInfo => ({
    id: t.id,
    name: t.name,
    valueType: t.value_type,
    values: t.values,
    color: t.color ?? '',
    hotkey: t.hotkey,
    applicableType: t.applicable_type ?? 'all',
    classes: t.classes ?? [],
    targetType: t.target_type ?? 'all',
  }));

/** A bare string tag means `{name, value_type: "none"}` (§5.4). */
const tagWire = z.preprocess((v) => (typeof v === 'string' ? { name: v, value_type: 'none' } : v), tagObjectWire);

export const projectMetaWire = z
  .object({ classes: z.array(classWire), tags: z.array(tagWire).nullish(), projectType: orNull(str) })
  .transform((m): ProjectMeta => ({ classes: m.classes, tags: m.tags ?? [], projectType: m.projectType }));

// ---- pagination envelope (§2.1) -----------------------------------------------------------------

export const pageEnvelopeWire = z.object({
  total: wholeNumber(z.number().int().nonnegative()),
  perPage: wholeNumber(z.number().int().positive()),
  pagesCount: wholeNumber(z.number().int().nonnegative()),
  entities: z.array(z.unknown()),
});
export type PageEnvelope = z.output<typeof pageEnvelopeWire>;

// ---- labeling queues (the SDK's api.labeling_queue) ------------------------------------------------

/** `labelers` / `reviewers` / `jobs`: objects with `id` as the SDK reads them, or bare ids; entries without one are dropped. */
const idList = z
  .array(z.union([int, z.object({ id: orNull(int) }).transform((o) => o.id), z.null()]))
  .nullish()
  .transform((list) => (list ?? []).filter((id): id is number => id !== null));

/** Lenient like the SDK's skip_missing reading: only `id` is required; a missing team is the team listed. */
export const queueWire = z
  .object({
    id: int,
    name: textOrEmpty,
    teamId: orNull(int),
    projectId: orNull(int),
    datasetId: orNull(int),
    createdBy: orNull(int),
    labelers: idList,
    reviewers: idList,
    jobs: idList,
    createdAt: orNull(timestamp),
    finishedAt: orNull(timestamp),
    status: orNull(statusText),
    disabled: z.boolean().nullish(),
    entitiesCount: count,
    acceptedCount: count,
    annotatedCount: count,
    inProgressCount: count,
    pendingCount: count,
  })
  .transform((q): Omit<LabelingQueueInfo, 'teamId'> & { teamId: number | null } => ({
    id: q.id,
    name: q.name,
    teamId: q.teamId,
    projectId: q.projectId,
    datasetId: q.datasetId,
    createdById: q.createdBy,
    labelerIds: q.labelers,
    reviewerIds: q.reviewers,
    jobIds: q.jobs,
    createdAt: q.createdAt,
    finishedAt: q.finishedAt,
    status: q.status,
    disabled: q.disabled === true,
    entitiesCount: q.entitiesCount,
    acceptedCount: q.acceptedCount,
    annotatedCount: q.annotatedCount,
    inProgressCount: q.inProgressCount,
    pendingCount: q.pendingCount,
  }));
