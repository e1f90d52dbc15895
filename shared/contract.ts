// The one contract between the UI and the application core: every channel (request and response
// schemas) and every event main pushes. Both transports (Electron IPC, loopback web bridge), the
// core's handler map and the renderer's client are derived from these objects by a loop.
// Pure module: zod only, so the preload, main and the renderer can all import it.

import { z } from 'zod';
import { countIdRuns, IdRunsError } from './idRuns';

// ── Shared vocabulary ──────────────────────────────────────────────────────────────────────────

export const JobStatusSchema = z.enum(['pending', 'in_progress', 'on_review', 'completed', 'stopped', 'review_completed']);
export type JobStatus = z.infer<typeof JobStatusSchema>;
/**
 * A status as the server reported it: a known one, or a newer one kept as its raw string (shown as a
 * neutral badge, filtered and counted on its own). Actions take JobStatus only.
 */
export type JobStatusOrUnknown = JobStatus | (string & {});
export const JobStatusOrUnknownSchema: z.ZodType<JobStatusOrUnknown> = z.string().min(1).max(200);
export const isKnownJobStatus = (s: string): s is JobStatus => (JobStatusSchema.options as readonly string[]).includes(s);
export const ReviewStatusSchema = z.enum(['none', 'done', 'accepted', 'rejected']);
export type ReviewStatusOrUnknown = z.infer<typeof ReviewStatusSchema> | (string & {});
const ReviewStatusOrUnknownSchema: z.ZodType<ReviewStatusOrUnknown> = z.string().min(1).max(200);

const Id = z.number().int();
/** Server ids are positive; jobs and users created offline have negative local ids until the server answers. */
/** the most ids one bulk call takes (jobs.stop/archive/remove/setStatus, outbox.retry/discard) */
export const MAX_BULK_IDS = 100_000;
const Ids = z.array(Id).min(1).max(MAX_BULK_IDS);
// Every string a page may send has a maximum length: nothing unbounded reaches the core.
const ProfileId = z.string().min(1).max(100);
const ServerAddress = z.string().trim().max(2048, 'At most 2048 characters');
const ApiToken = z.string().min(1).max(1024, 'At most 1024 characters');
const BatchId = z.string().max(100);
/** a class or tag name */
const MetaName = z.string().max(255);
const Timestamp = z.string();

export const JobSortColumnSchema = z.enum([
  'id',
  'name',
  'status',
  'assignedToLogin',
  'reviewerLogin',
  'createdByLogin',
  'projectName',
  'datasetName',
  /** the queue's name as the grid shows it ('Queue #id' while the name is unknown); jobs from no queue first */
  'labelingQueueName',
  'progress',
  'createdAt',
  'startedAt',
  'finishedAt',
  'updatedAt',
]);
export type JobSortColumn = z.infer<typeof JobSortColumnSchema>;

/** What the Filters view can express; every key optional, combined with AND, arrays as IN. */
export const JobFilterSchema = z
  .object({
    teamId: Id.optional(),
    createdById: z.array(Id).optional(),
    assignedToId: z.array(Id).optional(),
    reviewerId: z.array(Id).optional(),
    projectId: z.array(Id).optional(),
    datasetId: z.array(Id).optional(),
    /** labeling queues the jobs came from; 0 stands for "not from a queue" */
    queueId: z.array(Id).max(1000).optional(),
    statuses: z.array(JobStatusOrUnknownSchema).max(100).optional(),
    text: z.string().max(200).optional(),
    showArchived: z.boolean().optional(),
    onlyPending: z.boolean().optional(),
  })
  .strict();
export type JobFilter = z.infer<typeof JobFilterSchema>;

export const JobSortSchema = z.object({ column: JobSortColumnSchema, direction: z.enum(['asc', 'desc']) });
export type JobSort = z.infer<typeof JobSortSchema>;

/** One grid row: what the jobs table shows, straight from the cache. */
export const JobGridRowSchema = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  status: JobStatusOrUnknownSchema,
  archived: z.boolean(),
  teamId: Id,
  workspaceId: Id,
  projectId: Id,
  projectName: z.string(),
  /** null for a job over several datasets */
  datasetId: Id.nullable(),
  datasetName: z.string(),
  createdById: Id,
  createdByLogin: z.string(),
  assignedToId: Id,
  assignedToLogin: z.string(),
  reviewerId: Id.nullable(),
  reviewerLogin: z.string().nullable(),
  /** the labeling queue the job came from (its name: queues.list) */
  labelingQueueId: Id.nullable(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  updatedAt: Timestamp.nullable(),
  imagesCount: z.number().int(),
  finishedImagesCount: z.number().int(),
  acceptedImagesCount: z.number().int(),
  rejectedImagesCount: z.number().int(),
  /** queued changes not yet confirmed by the server */
  pendingCount: z.number().int(),
  /** a queued change the server refused (conflict or failure), with its reason */
  problem: z.string().nullable(),
  /** created offline; not yet on the server */
  local: z.boolean(),
  /** removed here, removal still queued */
  removing: z.boolean(),
});
export type JobGridRow = z.infer<typeof JobGridRowSchema>;

/**
 * What the jobs grid draws of a job, in the order a window answer (jobs.window) sends it: each row one array of
 * these values, not an object, so no key goes once a row, nor what the grid does not show (a description may be
 * kilobytes). 400 rows of the team world: 103 KB of JSON instead of jobs.query's 286 KB.
 */
export const GRID_ROW_FIELDS = [
  'id',
  'name',
  'status',
  'archived',
  'projectName',
  'datasetId',
  'datasetName',
  'createdByLogin',
  'assignedToLogin',
  'reviewerLogin',
  'labelingQueueId',
  'createdAt',
  'startedAt',
  'finishedAt',
  'imagesCount',
  'finishedImagesCount',
  'acceptedImagesCount',
  'rejectedImagesCount',
  'pendingCount',
  'problem',
  'local',
  'removing',
] as const satisfies readonly (keyof JobGridRow)[];
export type GridRow = Pick<JobGridRow, (typeof GRID_ROW_FIELDS)[number]>;
type GridRowTuple = {
  -readonly [K in keyof typeof GRID_ROW_FIELDS]: (typeof GRID_ROW_FIELDS)[K] extends keyof JobGridRow
    ? JobGridRow[(typeof GRID_ROW_FIELDS)[K]]
    : never;
};
// zod cannot type a tuple mapped from a list: cast, and test/integration/core/jobsWindow.test.ts checks both agree
const GridRowTupleSchema = z.tuple(
  GRID_ROW_FIELDS.map((field) => JobGridRowSchema.shape[field]) as unknown as [z.ZodType, ...z.ZodType[]],
) as unknown as z.ZodType<GridRowTuple>;

/** A job's grid values as a window answer sends them. */
export const gridTupleOf = (row: GridRow): GridRowTuple => GRID_ROW_FIELDS.map((field) => row[field]) as unknown as GridRowTuple;

/** A window answer's row as the grid reads it. */
export function gridRowOf(tuple: GridRowTuple): GridRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < GRID_ROW_FIELDS.length; i++) row[GRID_ROW_FIELDS[i]!] = tuple[i];
  return row as GridRow;
}

export const HistorySourceSchema = z.enum(['server_timestamp', 'sync_observed', 'local_mutation', 'activity']);
export const HistoryPointSchema = z.object({
  status: z.string(),
  at: Timestamp,
  source: HistorySourceSchema,
  note: z.string().nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

/** needs_checking: a create whose lost answer cannot be matched to one job for sure; the user decides */
export const OutboxStateSchema = z.enum(['pending', 'sending', 'done', 'failed', 'conflict', 'needs_checking']);
export type OutboxState = z.infer<typeof OutboxStateSchema>;
export const OutboxItemSchema = z.object({
  /** client-side, monotonically increasing; kept after success */
  id: Id,
  kind: z.string(),
  summary: z.string(),
  state: OutboxStateSchema,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  jobIds: z.array(Id),
  batchId: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** needs_checking: the server jobs that may be what this create made */
  candidates: z.array(z.object({ id: Id, name: z.string(), createdAt: z.string() })).optional(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;

/** A labeling queue as the cache last listed it. */
export const QueueSummarySchema = z.object({
  id: Id,
  teamId: Id,
  name: z.string(),
  projectId: Id.nullable(),
  datasetId: Id.nullable(),
  status: z.string().nullable(),
  archived: z.boolean(),
});
export type QueueSummary = z.infer<typeof QueueSummarySchema>;

/** What a queue without a name (or one the cache does not know) is called: the grid's cells and sort, the filter, the job page */
export const UNNAMED_QUEUE_PREFIX = 'Queue #';
export const queueNameOr = (name: string | null | undefined, id: number): string => name || `${UNNAMED_QUEUE_PREFIX}${id}`;

/** A bulk run (a batch over several jobs) whose change to this job is not sent yet: the job's own actions wait for it. */
export const BulkRunSchema = z.object({ batchId: z.string(), summary: z.string(), jobs: z.number().int(), unsent: z.number().int() });
export type BulkRun = z.infer<typeof BulkRunSchema>;

export const JobDetailsSchema = z.object({
  job: JobGridRowSchema,
  /** the queue the job came from: null when none, or when the queue is not in the cache (its id is in job) */
  queue: QueueSummarySchema.nullable(),
  bulkRun: BulkRunSchema.nullable(),
  readme: z.string(),
  classesToLabel: z.array(z.string()),
  tagsToLabel: z.array(z.string()),
  objectsLimitPerImage: z.number().int().nullable(),
  tagsLimitPerImage: z.number().int().nullable(),
  imagesRange: z.object({ start: z.number().int().nullable(), end: z.number().int().nullable() }),
  includeImagesWithTags: z.array(z.string()),
  excludeImagesWithTags: z.array(z.string()),
  /** null until the job's images have been fetched once */
  entities: z
    .array(
      z.object({
        id: Id,
        name: z.string().nullable(),
        reviewStatus: ReviewStatusOrUnknownSchema.nullable(),
      }),
    )
    .nullable(),
  history: z.array(HistoryPointSchema),
  outbox: z.array(OutboxItemSchema),
});
export type JobDetails = z.infer<typeof JobDetailsSchema>;

/** jobs.add options beyond the basics (supervisely-api.md §3.4.1): sent only when set. */
export const CreateOptionsSchema = z.object({
  dynamicClasses: z.boolean().optional(),
  dynamicTags: z.boolean().optional(),
  disableConfirm: z.boolean().optional(),
  disableSubmit: z.boolean().optional(),
  /** the SDK's enable_quality_check (meta.enableIntermediateReview) */
  enableQualityCheck: z.boolean().optional(),
  guideId: Id.positive('A guide id is a positive number').optional(),
  readOnlyTags: z.array(MetaName).max(1000).optional(),
  /** video projects only; the SDK does not send it for other project types */
  toolboxSettings: z
    .object({ playbackRate: z.number().refine((r) => PLAYBACK_RATES.includes(r), 'Not a playback rate the server knows') })
    .optional(),
});
export type CreateOptions = z.infer<typeof CreateOptionsSchema>;
/** The video playback rates the SDK allows in toolbox_settings. */
export const PLAYBACK_RATES: readonly number[] = [0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.5, 2, 4, 8, 16, 32];
const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export const CreateJobsRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the job a name').max(255, 'At most 255 characters'),
    datasetId: Id.positive('Choose a dataset'),
    userIds: z.array(Id).min(1, 'Choose at least one annotator').max(500),
    reviewerId: Id.optional(),
    readme: z.string().max(100_000).optional(),
    description: z.string().max(255, 'At most 255 characters').optional(),
    classesToLabel: z.array(MetaName).default([]),
    tagsToLabel: z.array(MetaName).default([]),
    objectsLimitPerImage: z.number().int().min(1, 'At least 1, or leave empty for no limit').nullable().optional(),
    tagsLimitPerImage: z.number().int().min(1, 'At least 1, or leave empty for no limit').nullable().optional(),
    imageIds: z.array(Id).optional(),
    imagesRange: z
      .tuple([z.number().int().min(1), z.number().int().min(1)])
      .refine(([a, b]) => a <= b, 'The range must start before it ends')
      .optional(),
    includeImagesWithTags: z.array(MetaName).default([]),
    excludeImagesWithTags: z.array(MetaName).default([]),
    ...CreateOptionsSchema.shape,
    /** split work: each annotator's own images (instead of imageIds / imagesRange for all) */
    assignments: z
      .array(z.object({ userId: Id, imageIds: z.array(Id).min(1, 'Each annotator needs at least one image') }))
      .max(500)
      .optional(),
  })
  .refine(
    (r) =>
      !r.assignments ||
      sameIds(
        r.assignments.map((a) => a.userId),
        r.userIds,
      ),
    {
      message: 'Each annotator needs exactly one share of the images',
      path: ['assignments'],
    },
  );
export type CreateJobsRequest = z.input<typeof CreateJobsRequestSchema>;

/** A saved create form, reused for new jobs (like a filter preset); classes and tags are names. */
export const JobTemplateSchema = z.object({
  name: z.string().trim().min(1, 'Give the template a name').max(80, 'At most 80 characters'),
  classesToLabel: z.array(MetaName).max(1000),
  tagsToLabel: z.array(MetaName).max(1000),
  objectsLimitPerImage: z.number().int().min(1).nullable(),
  tagsLimitPerImage: z.number().int().min(1).nullable(),
  readme: z.string().max(100_000),
  description: z.string().max(255),
  reviewerId: Id.nullable(),
  options: CreateOptionsSchema,
});
export type JobTemplate = z.infer<typeof JobTemplateSchema>;

/** How busy an annotator is: open (pending, in progress) jobs and their images not yet done, from the cache. */
const AnnotatorLoadSchema = z.object({ userId: Id, openJobs: z.number().int(), imagesToDo: z.number().int() });

const TeamSchema = z.object({ id: Id, name: z.string(), role: z.string().nullable() });
const WorkspaceSchema = z.object({ id: Id, name: z.string(), teamId: Id });
const ProjectSchema = z.object({ id: Id, name: z.string(), workspaceId: Id, type: z.string(), imagesCount: z.number().int().nullable() });
const DatasetSchema = z.object({ id: Id, name: z.string(), projectId: Id, imagesCount: z.number().int().nullable() });
const ImageSchema = z.object({
  id: Id,
  name: z.string(),
  datasetId: Id,
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  tags: z.array(z.string()),
});
/** One image of a dataset's window: `position` is 1-based in id order, the order of the server's `meta.range`. */
const ImageRowSchema = z.object({ position: z.number().int().positive(), id: Id, name: z.string(), tags: z.array(z.string()) });
const ImagesWindowSchema = z.object({
  /** images in the dataset (the server's count; null when never read and unknown) */
  total: z.number().int().nullable(),
  offset: z.number().int(),
  images: z.array(ImageRowSchema),
  /** rows of the window neither the server nor the cache could give (offline, refused) */
  missing: z.number().int(),
  /** why some rows are missing, in words */
  problem: z.string().nullable(),
});
const ImagesSearchSchema = z.object({
  total: z.number().int().nullable(),
  /** images looked at: every one of a small dataset, the ones read so far of a big one */
  searched: z.number().int(),
  matches: z.array(ImageRowSchema),
  more: z.boolean(),
});
const ImagePoolSchema = z.object({
  total: z.number().int().nullable(),
  /** every image id, in id order */
  ids: z.array(Id),
  /** the images with tags (all others have none) */
  tagged: z.array(z.object({ id: Id, tags: z.array(z.string()) })),
  missing: z.number().int(),
  problem: z.string().nullable(),
});
const ProjectMetaSchema = z.object({
  classes: z.array(z.object({ id: Id.nullable(), title: z.string(), shape: z.string(), color: z.string() })),
  tags: z.array(
    z.object({
      id: Id.nullable(),
      name: z.string(),
      valueType: z.string(),
      values: z.array(z.string()).nullable(),
      color: z.string(),
    }),
  ),
});
/** The project browser (issue #10): a team's projects of every type, each with its datasets' image counts. */
const BrowseDatasetSchema = z.object({ id: Id, name: z.string(), parentId: Id.nullable(), imagesCount: z.number().int().nullable() });
const BrowseProjectSchema = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  type: z.string(),
  /** labeling jobs can be made only on image projects; the others are listed, marked as not usable */
  usable: z.boolean(),
  workspaceId: Id,
  workspaceName: z.string(),
  imagesCount: z.number().int().nullable(),
  datasets: z.array(BrowseDatasetSchema),
});
/** A project's meta as last read, when, and why it could not be read again (offline, the server refused). */
const BrowseMetaSchema = z.object({
  meta: ProjectMetaSchema.nullable(),
  fetchedAt: Timestamp.nullable(),
  problem: z.string().nullable(),
});
const BrowseImagesSchema = z.object({
  /** images of the page, in id order (the order of a job's image range) */
  images: z.array(z.object({ id: Id, name: z.string(), width: z.number().int().nullable(), height: z.number().int().nullable() })),
  /** the dataset's images as the server last listed them (null: never listed), and the count of its own row */
  total: z.number().int().nullable(),
  datasetImagesCount: z.number().int().nullable(),
  fetchedAt: Timestamp.nullable(),
  problem: z.string().nullable(),
});

const MemberSchema = z.object({
  id: Id,
  login: z.string(),
  name: z.string().nullable(),
  roleId: Id.nullable(),
  role: z.string().nullable(),
  disabled: z.boolean(),
  pending: z.boolean(),
});
const RoleSchema = z.object({ id: Id, role: z.string() });

export const ProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  serverAddress: z.string(),
  hasToken: z.boolean(),
  source: z.enum(['user', 'supervisely.env']),
});
/** Which releases an installed build updates to (where its build has an update feed at all). */
export const UpdateChannelSchema = z.enum(['latest', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannelSchema>;

/** "Requests at once": the most requests the app has in flight to the server; on a shared server, lower is politer. */
export const REQUESTS_AT_ONCE = { min: 1, max: 32, default: 16 } as const;
const requestsAtOnceRange = `Requests at once must be a whole number from ${REQUESTS_AT_ONCE.min} to ${REQUESTS_AT_ONCE.max}`;
export const RequestsAtOnceSchema = z
  .number(requestsAtOnceRange)
  .int(requestsAtOnceRange)
  .min(REQUESTS_AT_ONCE.min, requestsAtOnceRange)
  .max(REQUESTS_AT_ONCE.max, requestsAtOnceRange);

export const SettingsSchema = z.object({
  profiles: z.array(ProfileSchema),
  /** null = demo mode on the built-in local server */
  activeProfileId: z.string().nullable(),
  syncIntervalSec: z.number().int(),
  theme: z.enum(['system', 'light', 'dark']),
  updateChannel: UpdateChannelSchema,
  /** the bound on requests in flight (transport, outbox push, bulk actions), applied at once */
  requestsAtOnce: RequestsAtOnceSchema,
  /** how the API token is kept: OS keychain, Electron's fixed-key fallback, or a 0600 file */
  tokenProtection: z.enum(['os', 'basic_text', 'file']),
  /** data files found damaged since start: each kept aside under a new name, never overwritten */
  dataFileProblems: z.array(z.object({ file: z.string(), keptAs: z.string().nullable(), message: z.string() })),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A list the last sync could not read (the cache keeps what it had), with the server's reason. */
export const StaleListSchema = z.object({
  /** e.g. "members:9", "datasets:9:120" */
  list: z.string(),
  /** jobs, members, workspaces, projects, datasets, meta, activity, teams, roles */
  kind: z.string(),
  teamId: Id.nullable(),
  teamName: z.string().nullable(),
  reason: z.string(),
  failedAt: Timestamp,
  /** when it was last read completely, if ever */
  fetchedAt: Timestamp.nullable(),
});
export type StaleList = z.infer<typeof StaleListSchema>;

/** Rows of one list its last read skipped because they did not parse (the rest of each page was kept). */
export const SkippedRowsSchema = z.object({
  list: z.string(),
  kind: z.string(),
  teamId: Id.nullable(),
  teamName: z.string().nullable(),
  count: z.number().int(),
  /** the first skipped row's id and why it did not parse */
  reason: z.string(),
  at: Timestamp,
});
export type SkippedRows = z.infer<typeof SkippedRowsSchema>;

export const SyncStateSchema = z.object({
  online: z.boolean(),
  syncing: z.boolean(),
  lastSyncAt: Timestamp.nullable(),
  /** the last sync could not run at all (no list was read); stale lists alone are in staleLists */
  lastError: z.string().nullable(),
  /** the user cancelled the last sync at this time (null once a sync completes); what it read is kept */
  cancelledAt: Timestamp.nullable(),
  staleLists: z.array(StaleListSchema),
  skippedRows: z.array(SkippedRowsSchema),
  step: z.string().nullable(),
  done: z.number().int(),
  total: z.number().int(),
  outboxPending: z.number().int(),
  outboxProblems: z.number().int(),
  /** when the core read this state (ms, only growing): an answer and an event travel apart, so the page keeps the later */
  readAt: z.number(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

/** The jobs grid's columns as the lead left them: which are hidden, and widths they dragged (px, by column key). */
export const ColumnLayoutSchema = z.object({
  hidden: z.array(z.string().max(40)).max(50),
  widths: z.record(z.string().max(40), z.number().int().min(40).max(1000)),
});
export type ColumnLayout = z.infer<typeof ColumnLayoutSchema>;

export const WatchSchema = z.object({ jobId: Id, status: JobStatusSchema });
export const PresetSchema = z.object({ name: z.string().min(1).max(80), filter: JobFilterSchema });

/** a bulk action answers once its first changes are queued: `mutationIds` are those, the rest follow (batch.progress) */
const Accepted = z.object({ mutationIds: z.array(Id), batchId: z.string() });
/**
 * How many of a batch's changes are done and refused (failed, conflict, needs checking), of how many; `writing`: of
 * those, how many the core is still queuing (a bulk action of thousands of jobs is queued over seconds); `cancelling`:
 * how many its Cancel under way has still to discard
 */
const BatchProgress = z.object({
  done: z.number().int(),
  failed: z.number().int(),
  total: z.number().int(),
  writing: z.number().int(),
  cancelling: z.number().int(),
});
/** A sorted id set in the runs encoding, checked well-formed and holding exactly `count` ids. */
export const IdSetAnswerSchema = z
  .object({
    runs: z.string().max(64_000_000), // its characters are checked with the runs below
    count: z.number().int().min(0),
  })
  .superRefine((answer, ctx) => {
    try {
      const held = countIdRuns(answer.runs);
      if (held !== answer.count)
        ctx.addIssue({ code: 'custom', message: `The id runs hold ${held} ids, not ${answer.count}`, path: ['count'] });
    } catch (err) {
      if (!(err instanceof IdRunsError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, path: ['runs'] });
    }
  });
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

// ── Channels ───────────────────────────────────────────────────────────────────────────────────

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

const JobWindowRequestSchema = z.object({
  filter: JobFilterSchema,
  sort: JobSortSchema,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(1000),
});

export const channels = {
  'app.info': channel(
    Empty,
    z.object({
      version: z.string(),
      transport: z.enum(['electron', 'web']),
      demo: z.boolean(),
      serverAddress: z.string(),
      userLogin: z.string().nullable(),
    }),
  ),

  'jobs.query': channel(JobWindowRequestSchema, z.object({ rows: z.array(JobGridRowSchema), total: z.number().int() })),
  /** the grid's window of rows: the same rows as jobs.query, each as GRID_ROW_FIELDS' values (gridRowOf reads one) */
  'jobs.window': channel(JobWindowRequestSchema, z.object({ rows: z.array(GridRowTupleSchema), total: z.number().int() })),
  /** every id matching a filter, for select all, as one short string of runs (shared/idRuns.ts) and their count */
  'jobs.idSet': channel(z.object({ filter: JobFilterSchema }), IdSetAnswerSchema),
  'jobs.get': channel(z.object({ id: Id }), JobDetailsSchema.nullable()),
  'jobs.stats': channel(z.object({ id: Id }), z.record(z.string(), z.unknown()).nullable()),
  /** how many jobs match per status: the filter bar's chips for statuses newer than this app (the charts cost far more) */
  'jobs.statusCounts': channel(
    z.object({ filter: JobFilterSchema }),
    z.array(z.object({ status: JobStatusOrUnknownSchema, count: z.number().int() })),
  ),
  'jobs.charts': channel(
    z.object({ filter: JobFilterSchema }),
    z.object({
      byStatus: z.array(z.object({ status: JobStatusOrUnknownSchema, count: z.number().int() })),
      byAssignee: z.array(
        z.object({
          userId: Id,
          login: z.string(),
          jobs: z.number().int(),
          images: z.number().int(),
          finished: z.number().int(),
          accepted: z.number().int(),
          rejected: z.number().int(),
        }),
      ),
      createdPerDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
    }),
  ),
  'jobs.create': channel(CreateJobsRequestSchema, Accepted.extend({ jobIds: z.array(Id) })),
  'jobs.stop': channel(z.object({ ids: Ids }), Accepted),
  'jobs.archive': channel(z.object({ ids: Ids }), Accepted),
  'jobs.remove': channel(z.object({ ids: Ids }), Accepted),
  'jobs.setStatus': channel(z.object({ ids: Ids, status: JobStatusSchema }), Accepted),
  /** a new annotator and/or reviewer (jobs.editInfo: the only fields the API lets a job change after creation) */
  'jobs.edit': channel(
    z
      .object({ id: Id, userId: Id.optional(), reviewerId: Id.optional() })
      .refine((r) => r.userId !== undefined || r.reviewerId !== undefined, 'Choose a new annotator or reviewer'),
    Accepted,
  ),
  /** one image's review status */
  'jobs.review': channel(z.object({ id: Id, imageId: Id, status: ReviewStatusSchema }), Accepted),
  /** sends the job back: a new job (local id until the server answers) with its rejected images, the old one completed */
  'jobs.restart': channel(
    z.object({ id: Id, userId: Id, reviewerId: Id.nullable(), name: z.string().trim().min(1).max(255) }),
    Accepted.extend({ jobId: Id }),
  ),
  /** the job's page on the server of the current profile (null for jobs not on the server yet) */
  'jobs.serverUrl': channel(z.object({ id: Id }), z.object({ url: z.string().nullable() })),
  'jobs.watch': channel(WatchSchema, Ok),
  'jobs.unwatch': channel(z.object({ jobId: Id }), Ok),
  'jobs.watches': channel(Empty, z.array(WatchSchema)),

  'catalog.teams': channel(Empty, z.array(TeamSchema)),
  /** labeling queues of a team (every team's without one), by name */
  'queues.list': channel(z.object({ teamId: Id.optional() }), z.array(QueueSummarySchema)),
  'catalog.workspaces': channel(z.object({ teamId: Id }), z.array(WorkspaceSchema)),
  'catalog.projects': channel(z.object({ workspaceId: Id }), z.array(ProjectSchema)),
  'catalog.datasets': channel(z.object({ projectId: Id }), z.array(DatasetSchema)),
  'catalog.images': channel(z.object({ datasetId: Id }), z.array(ImageSchema)),
  /** a window of a dataset's images in id order, read from the server a page at a time and cached: huge datasets stay cheap */
  'catalog.imagesPage': channel(
    z.object({ datasetId: Id, offset: z.number().int().nonnegative(), limit: z.number().int().min(1).max(500) }),
    ImagesWindowSchema,
  ),
  /** every image id of a dataset (to split them among annotators), read 1,000 at a time, answered as bare ids */
  'catalog.imagePool': channel(z.object({ datasetId: Id }), ImagePoolSchema),
  /** images whose name contains `text`, with their positions, among the images read so far (all of a small dataset) */
  'catalog.imagesSearch': channel(
    z.object({ datasetId: Id, text: z.string().trim().min(1, 'Type part of a name').max(200), limit: z.number().int().min(1).max(100) }),
    ImagesSearchSchema,
  ),
  'catalog.projectMeta': channel(z.object({ projectId: Id }), ProjectMetaSchema.nullable()),
  /** a small preview as a data: URL (the renderer may not fetch server URLs itself) */
  'catalog.thumbnail': channel(z.object({ imageId: Id }), z.object({ dataUrl: z.string().nullable() })),
  'projects.list': channel(z.object({ teamId: Id }), z.array(BrowseProjectSchema)),
  /** read from the server when older than a few minutes (or never read); the cached copy answers offline */
  'projects.meta': channel(z.object({ projectId: Id, refresh: z.boolean().default(false) }), BrowseMetaSchema),
  'projects.images': channel(
    z.object({ datasetId: Id, offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(200) }),
    BrowseImagesSchema,
  ),

  'users.members': channel(z.object({ teamId: Id }), z.array(MemberSchema)),
  /** every annotator of the team with open jobs in the cache; others have none */
  'users.load': channel(z.object({ teamId: Id }), z.array(AnnotatorLoadSchema)),
  'users.roles': channel(Empty, z.array(RoleSchema)),
  'users.create': channel(
    z.object({
      login: z.string().trim().min(1, 'Give a login').max(100),
      password: z.string().min(8, 'At least 8 characters').max(256, 'At most 256 characters'),
      isRestricted: z.boolean().default(false),
      name: z.string().max(255).default(''),
      email: z.string().max(255).default(''),
      teamId: Id.optional(),
      roleId: Id.optional(),
    }),
    Accepted.extend({ userId: Id }),
  ),
  'users.addToTeam': channel(z.object({ userId: Id, teamId: Id, roleId: Id }), Accepted),
  'users.changeRole': channel(z.object({ userId: Id, teamId: Id, roleId: Id }), Accepted),

  'sync.now': channel(Empty, Ok),
  'sync.state': channel(Empty, SyncStateSchema),
  /** aborts the running pull: what it wrote stays, the list it was reading is marked not fresh; false when none ran */
  'sync.cancel': channel(Empty, z.object({ cancelled: z.boolean() })),
  'outbox.list': channel(
    z.object({
      states: z.array(OutboxStateSchema).optional(),
      batchId: BatchId.optional(),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    z.array(OutboxItemSchema),
  ),
  'outbox.batchProgress': channel(z.object({ batchId: BatchId }), BatchProgress),
  /**
   * a bulk action's Cancel: its queuing stops (`unwritten`: the jobs it left out, which keep what they show), then its
   * changes not sent yet are discarded (`discarded`); those already on the wire get their answer
   */
  'outbox.cancelBatch': channel(z.object({ batchId: BatchId }), z.object({ unwritten: z.number().int(), discarded: z.number().int() })),
  'outbox.retry': channel(z.object({ ids: Ids }), Ok),
  /** every refused change (failed or conflict), of one batch or of all, sent again; how many changes and jobs that is */
  'outbox.retryRefused': channel(
    z.object({ batchId: BatchId.optional() }),
    z.object({ changes: z.number().int(), jobs: z.number().int() }),
  ),
  /** how many of them were discarded: one sent (or gone) meanwhile is not */
  'outbox.discard': channel(z.object({ ids: Ids }), z.object({ discarded: z.number().int() })),
  /** a needs_checking create: it was created as one of its candidates, or it is sent again */
  'outbox.resolve': channel(z.object({ id: Id, choice: z.union([z.object({ createdAs: Id }), z.literal('sendAgain')]) }), Ok),

  'settings.get': channel(Empty, SettingsSchema),
  'settings.update': channel(
    z.object({
      syncIntervalSec: z.number().int().min(10).max(86_400).optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
      updateChannel: UpdateChannelSchema.optional(),
      requestsAtOnce: RequestsAtOnceSchema.optional(),
    }),
    SettingsSchema,
  ),
  'settings.saveProfile': channel(
    z.object({
      id: ProfileId.optional(),
      name: z.string().trim().min(1).max(80),
      serverAddress: ServerAddress.min(1, 'Give the server address'),
      apiToken: ApiToken.optional(),
    }),
    SettingsSchema,
  ),
  'settings.deleteProfile': channel(z.object({ id: ProfileId }), SettingsSchema),
  /** null switches to demo mode */
  'settings.activateProfile': channel(z.object({ id: ProfileId.nullable() }), SettingsSchema),
  'settings.testConnection': channel(
    z.object({ profileId: ProfileId.optional(), serverAddress: ServerAddress.optional(), apiToken: ApiToken.optional() }),
    z.object({ ok: z.boolean(), message: z.string(), version: z.string().nullable(), login: z.string().nullable() }),
  ),
  'settings.importEnv': channel(Empty, SettingsSchema),

  'presets.list': channel(Empty, z.array(PresetSchema)),
  'presets.save': channel(PresetSchema, z.array(PresetSchema)),
  'presets.delete': channel(z.object({ name: z.string().min(1).max(80) }), z.array(PresetSchema)),

  'grid.columns': channel(Empty, ColumnLayoutSchema),
  'grid.saveColumns': channel(ColumnLayoutSchema, ColumnLayoutSchema),

  'templates.list': channel(Empty, z.array(JobTemplateSchema)),
  'templates.save': channel(JobTemplateSchema, z.array(JobTemplateSchema)),
  'templates.delete': channel(z.object({ name: z.string().min(1).max(80) }), z.array(JobTemplateSchema)),
} as const;

// ── Events main pushes ─────────────────────────────────────────────────────────────────────────

export const events = {
  'sync.state': SyncStateSchema,
  'outbox.changed': z.object({ ids: z.array(Id) }),
  /** rows changed in the cache; `all` when too many to list (a full pull) */
  'jobs.changed': z.object({ ids: z.array(Id), all: z.boolean() }),
  /** an offline-created job (or user) got its server id */
  'ids.remapped': z.object({ kind: z.enum(['job', 'user']), localId: Id, serverId: Id }),
  'batch.progress': BatchProgress.extend({ batchId: z.string() }),
  /** a watched job reached its status; Electron also shows a desktop notification */
  notify: z.object({ title: z.string(), body: z.string(), jobId: Id.nullable() }),
} as const;

// ── Derived types and the error envelope ───────────────────────────────────────────────────────

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

/** What the core implements: one handler per channel, given an already validated request. */
export type Handlers = { [C in ChannelName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** What the renderer calls, whichever transport carries it. */
export type AppApi = { [C in ChannelName]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export type AppErrorKind =
  | 'invalid_request' // the payload broke the contract (never reaches the core)
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'offline'
  | 'server'
  | 'internal';

export const AppErrorSchema = z.object({ kind: z.string(), message: z.string() });

/** The only shape that crosses a transport: a value, or an error a person can read. */
export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);
export type Envelope = z.infer<typeof EnvelopeSchema>;

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly kind: AppErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const isChannelName = (name: string): name is ChannelName => Object.hasOwn(channels, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);

/** Validates a request at a transport boundary; a bad payload becomes an invalid_request AppError. */
export function parseRequest<C extends ChannelName>(name: C, payload: unknown): ParsedRequestOf<C> {
  const result = channels[name].request.safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    throw new AppError('invalid_request', `${name}: ${issue?.message ?? 'invalid request'}${where}`);
  }
  return result.data as ParsedRequestOf<C>;
}
