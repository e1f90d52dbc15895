// The clean TypeScript shapes of Supervisely entities, as the rest of the app sees them.
// Pure module (no Node, no DOM): wire JSON is mapped to these by the zod schemas in ./schemas.

export const JOB_STATUSES = ['pending', 'in_progress', 'on_review', 'completed', 'stopped', 'review_completed'] as const;
/** A status the app knows and may act on (set, wait for, watch). */
export type JobStatus = (typeof JOB_STATUSES)[number];
/**
 * A status as a server reports it: a known one, or a newer one kept as its raw string (the SDK keeps
 * it too; only its get_status raises). Code that acts on a status takes JobStatus, so it must narrow first.
 */
export type JobStatusOrUnknown = JobStatus | (string & {});
export const isKnownJobStatus = (s: string): s is JobStatus => (JOB_STATUSES as readonly string[]).includes(s);

export const REVIEW_STATUSES = ['none', 'done', 'accepted', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** A review status as a server reports it, e.g. `quality_check_accepted` from a newer server. */
export type ReviewStatusOrUnknown = ReviewStatus | (string & {});

/** `api.role.DefaultRole` of the SDK (ids sent as plain integers). */
export const DefaultRole = { ADMIN: 1, DEVELOPER: 2, ANNOTATOR: 3, VIEWER: 4 } as const;

export interface JobEntity {
  id: number;
  name: string | null;
  /** null where the server sends none (the SDK maps a missing key to None) */
  reviewStatus: ReviewStatusOrUnknown | null;
}

export interface ImageTagFilter {
  name: string;
  positive: boolean;
}

/** A job as the server sends it (the SDK's `LabelingJobInfo`), camelCased (wire keys differ: see supervisely-api.md §3.3). */
export interface JobWire {
  id: number;
  /** '' when the server sends none */
  name: string;
  readme: string;
  description: string;
  teamId: number;
  workspaceId: number;
  workspaceName: string;
  projectId: number;
  projectName: string;
  /** null for a job over several datasets */
  datasetId: number | null;
  datasetName: string;
  createdById: number;
  createdByLogin: string;
  assignedToId: number;
  assignedToLogin: string;
  reviewerId: number | null;
  reviewerLogin: string | null;
  /** timestamps in one canonical form, `new Date().toISOString()`'s (any ISO-8601 form is read) */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Not read by the SDK; present on servers that send it (ours does) and used for incremental sync. */
  updatedAt: string | null;
  status: JobStatusOrUnknown;
  /** true = archived */
  disabled: boolean;
  labelingQueueId: number | null;
  labelingExamId: number | null;
  imagesCount: number;
  finishedImagesCount: number;
  rejectedImagesCount: number;
  acceptedImagesCount: number;
  progressImagesCount: number;
  classesToLabel: string[];
  tagsToLabel: string[];
  imagesRange: { start: number | null; end: number | null };
  objectsLimitPerImage: number | null;
  tagsLimitPerImage: number | null;
  filterImagesByTags: ImageTagFilter[];
  includeImagesWithTags: string[];
  excludeImagesWithTags: string[];
  /** null in listings (jobs.list does not return entities) */
  entities: JobEntity[] | null;
  priority: number | null;
  guideId: number | null;
  customData: Record<string, unknown>;
}

export interface Membership {
  id: number;
  name: string;
  roleId: number;
  role: string;
}

export interface UserInfo {
  id: number;
  login: string;
  /** role in a team context (members.list); null elsewhere */
  role: string | null;
  roleId: number | null;
  name: string | null;
  email: string | null;
  logins: number | null;
  disabled: boolean;
  lastLogin: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** only from users.info */
  teams?: Membership[];
}

export interface RoleInfo {
  id: number;
  role: string;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface TeamInfo {
  id: number;
  name: string;
  description: string | null;
  /** the caller's role in the team */
  role: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface WorkspaceInfo {
  id: number;
  name: string;
  description: string | null;
  teamId: number;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ProjectInfo {
  id: number;
  name: string;
  description: string | null;
  /** bytes, as the server's decimal string */
  size: string | null;
  readme: string | null;
  workspaceId: number;
  teamId: number | null;
  type: string;
  imagesCount: number | null;
  itemsCount: number | null;
  datasetsCount: number | null;
  referenceImageUrl: string | null;
  customData: Record<string, unknown>;
  createdById: number | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ObjClassMeta {
  id: number | null;
  title: string;
  shape: string;
  color: string;
  description: string;
  hotkey: string;
  geometryConfig: Record<string, unknown>;
}

export type TagValueType = 'none' | 'any_number' | 'any_string' | 'oneof_string' | 'date';

export interface TagMetaInfo {
  id: number | null;
  name: string;
  valueType: TagValueType;
  /** only for oneof_string */
  values: string[] | null;
  color: string;
  hotkey: string;
  applicableType: 'all' | 'imagesOnly' | 'objectsOnly';
  /** class names the tag applies to */
  classes: string[];
  targetType: 'all' | 'framesOnly' | 'entitiesOnly';
}

export interface ProjectMeta {
  classes: ObjClassMeta[];
  tags: TagMetaInfo[];
  projectType: string | null;
}

export interface DatasetInfo {
  id: number;
  name: string;
  description: string | null;
  size: string | null;
  projectId: number;
  teamId: number | null;
  workspaceId: number | null;
  parentId: number | null;
  imagesCount: number | null;
  itemsCount: number | null;
  referenceImageUrl: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ImageTag {
  id: number | null;
  tagId: number;
  name: string | null;
  value: unknown;
}

export interface ImageInfo {
  id: number;
  /** after the SDK's name rule (extension from mime, supervisely-api.md §5.6) */
  name: string;
  datasetId: number;
  mime: string | null;
  ext: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  labelsCount: number | null;
  hash: string | null;
  link: string | null;
  pathOriginal: string | null;
  fullStorageUrl: string | null;
  tags: ImageTag[];
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ActivityInfo {
  userId: number | null;
  user: string | null;
  action: string;
  date: string;
  projectId: number | null;
  datasetId: number | null;
  imageId: number | null;
  jobId: number | null;
  job: string | null;
  meta: Record<string, unknown>;
}

/** Options of `api.labeling_job.create` (SDK names, camelCased). One job is created per user id. */
export interface CreateJobsInput {
  name: string;
  datasetId: number;
  userIds: number[];
  readme?: string;
  description?: string;
  classesToLabel?: string[];
  tagsToLabel?: string[];
  objectsLimitPerImage?: number | null;
  tagsLimitPerImage?: number | null;
  imageIds?: number[];
  includeImagesWithTags?: string[];
  excludeImagesWithTags?: string[];
  /** 1-based inclusive positions, as the server reads `meta.range` */
  imagesRange?: [number, number];
  reviewerId?: number;
  dynamicClasses?: boolean;
  dynamicTags?: boolean;
  readOnlyTags?: string[];
  guideId?: number;
  /** sent as given: the caller drops it for non-video projects, as the SDK does */
  toolboxSettings?: Record<string, unknown>;
  disableConfirm?: boolean;
  disableSubmit?: boolean;
  /** the SDK's enable_quality_check, sent as meta.enableIntermediateReview */
  enableQualityCheck?: boolean;
}

/** Filters of `api.labeling_job.get_list`, plus `updatedSince` (an extension for incremental sync). */
export interface JobListFilter {
  teamId: number;
  createdById?: number;
  assignedToId?: number;
  reviewerId?: number;
  projectId?: number;
  datasetId?: number;
  showDisabled?: boolean;
  isPartOfQueue?: boolean;
  queueIds?: number[];
  excludeStatuses?: JobStatus[];
  ids?: number[];
  updatedSince?: string;
}

/**
 * A labeling queue (the SDK's LabelingQueueInfo): jobs are handed out from it to its labelers. A queue on an
 * entities collection has no dataset; labelers, reviewers and jobs arrive as lists of `{ id }`.
 */
export interface LabelingQueueInfo {
  id: number;
  name: string;
  teamId: number;
  projectId: number | null;
  datasetId: number | null;
  createdById: number | null;
  labelerIds: number[];
  reviewerIds: number[];
  jobIds: number[];
  createdAt: string | null;
  finishedAt: string | null;
  /** a job status the server sends as the queue's, or a newer one kept as sent */
  status: string | null;
  disabled: boolean;
  entitiesCount: number;
  acceptedCount: number;
  annotatedCount: number;
  inProgressCount: number;
  pendingCount: number;
}
