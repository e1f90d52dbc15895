// The interface of the Supervisely client: what the sync engine, the outbox and the tutorial call.
// Mirrors the SDK's api.user / api.role / api.team / api.workspace / api.project / api.dataset /
// api.image / api.labeling_job, with camelCase names. Implemented in ./client.

import type { Listed } from './pagination';
import type {
  ActivityInfo,
  CreateJobsInput,
  DatasetInfo,
  ImageInfo,
  JobListFilter,
  JobStatus,
  JobStatusOrUnknown,
  JobWire,
  LabelingQueueInfo,
  Membership,
  ProjectInfo,
  ProjectMeta,
  ReviewStatus,
  RoleInfo,
  TeamInfo,
  UserInfo,
  WorkspaceInfo,
} from './types';

export interface ServerProfile {
  /** e.g. https://app.supervisely.com or 127.0.0.1:8080 (normalised as the SDK does) */
  serverAddress: string;
  apiToken: string;
  /** per-attempt timeout; default 30 s */
  timeoutMs?: number;
  /** total attempts for retryable failures; default 10 like the SDK */
  retryLimit?: number;
  /** base of the exponential backoff; default 1000 ms like the SDK */
  retryBaseMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface BulkProgress {
  done: number;
  total: number;
}

export type BulkResult = { id: number; ok: true } | { id: number; ok: false; error: import('./errors').ApiError };

export interface BulkOptions extends CallOptions {
  /** parallel requests; default: the client's bound on requests in flight (maxConcurrent) */
  concurrency?: number;
  onProgress?: (p: BulkProgress) => void;
}

export interface SuperviselyApi {
  readonly serverAddress: string;
  instanceVersion(o?: CallOptions): Promise<string>;
  /** the server's own clock (its latest `Date` header plus the time since), null before its first answer */
  serverNow(): Date | null;

  users: {
    getInfoById(id: number, o?: CallOptions): Promise<UserInfo | null>;
    getInfoByLogin(login: string, o?: CallOptions): Promise<UserInfo | null>;
    getMyInfo(o?: CallOptions): Promise<UserInfo>;
    list(o?: CallOptions): Promise<UserInfo[]>;
    /** non-idempotent: a lost answer is `outcome_unknown` */
    create(
      input: { login: string; password: string; isRestricted?: boolean; name?: string; email?: string },
      o?: CallOptions,
    ): Promise<UserInfo>;
    addToTeam(userId: number, teamId: number, roleId: number, o?: CallOptions): Promise<void>;
    removeFromTeam(userId: number, teamId: number, o?: CallOptions): Promise<void>;
    getTeams(userId: number, o?: CallOptions): Promise<Membership[]>;
    getTeamRole(userId: number, teamId: number, o?: CallOptions): Promise<Membership | null>;
    changeTeamRole(userId: number, teamId: number, roleId: number, o?: CallOptions): Promise<void>;
    getTeamMembers(teamId: number, o?: CallOptions): Promise<UserInfo[]>;
  };
  roles: {
    list(o?: CallOptions): Promise<RoleInfo[]>;
  };
  teams: {
    list(o?: CallOptions): Promise<TeamInfo[]>;
    getInfoById(id: number, o?: CallOptions): Promise<TeamInfo | null>;
    getActivity(
      teamId: number,
      filter?: { jobId?: number; userId?: number; since?: string; until?: string; actions?: string[] },
      o?: CallOptions,
    ): Promise<ActivityInfo[]>;
  };
  workspaces: {
    list(teamId: number, o?: CallOptions): Promise<WorkspaceInfo[]>;
    getInfoById(id: number, o?: CallOptions): Promise<WorkspaceInfo | null>;
  };
  projects: {
    list(scope: { workspaceId: number } | { teamId: number }, o?: CallOptions): Promise<ProjectInfo[]>;
    getInfoById(id: number, o?: CallOptions): Promise<ProjectInfo | null>;
    getMeta(id: number, o?: CallOptions): Promise<ProjectMeta>;
    updateMeta(id: number, meta: ProjectMeta, o?: CallOptions): Promise<ProjectMeta>;
  };
  datasets: {
    list(projectId: number, o?: CallOptions): Promise<DatasetInfo[]>;
    getInfoById(id: number, o?: CallOptions): Promise<DatasetInfo | null>;
  };
  images: {
    list(datasetId: number, o?: CallOptions): Promise<ImageInfo[]>;
    /** one page of the dataset's images in id order (1-based `page`), with the server's total and page size: a window of a huge dataset */
    listPage(
      datasetId: number,
      page: { page: number; perPage: number },
      o?: CallOptions,
    ): Promise<{ total: number; perPage: number; images: ImageInfo[] }>;
    getInfoById(id: number, o?: CallOptions): Promise<ImageInfo | null>;
    /**
     * An image preview (a path on the server, or an absolute URL): the token goes only to the server's own
     * origin, redirects are not followed, answers over `maxBytes` (default 10 MB) are a too_large error.
     */
    fetchPreview(
      url: string,
      o?: CallOptions & { maxBytes?: number; timeoutMs?: number },
    ): Promise<{ mime: string; data: Uint8Array } | null>;
  };
  jobs: {
    /** non-idempotent: one job per user id; a lost answer is `outcome_unknown`, never a blind resend */
    create(input: CreateJobsInput, o?: CallOptions): Promise<JobWire[]>;
    /** all pages (fetched in parallel after the first); entities are null; rows that did not parse are in `skipped` */
    list(filter: JobListFilter, o?: CallOptions): Promise<Listed<JobWire>>;
    /** the same, one page at a time, for big lists */
    listPages(filter: JobListFilter, o?: CallOptions & { perPage?: number }): AsyncIterable<Listed<JobWire>>;
    getInfoById(id: number, o?: CallOptions): Promise<JobWire | null>;
    getInfoByIds(ids: number[], o?: CallOptions & { concurrency?: number }): Promise<JobWire[]>;
    stop(id: number, o?: CallOptions): Promise<void>;
    archive(id: number, o?: CallOptions): Promise<void>;
    remove(id: number, o?: CallOptions): Promise<void>;
    /** jobs.bulk.remove in slices of at most 50 ids, in order */
    removeBatch(ids: number[], o?: CallOptions & { onProgress?: (p: BulkProgress) => void }): Promise<void>;
    getStatus(id: number, o?: CallOptions): Promise<JobStatusOrUnknown>;
    setStatus(id: number, status: JobStatus, o?: CallOptions): Promise<void>;
    /** polls jobs.info until the status equals `target` (by value); rejects with a timeout error */
    wait(id: number, target: JobStatus, o?: CallOptions & { intervalMs?: number; attempts?: number }): Promise<void>;
    getStats(id: number, o?: CallOptions): Promise<Record<string, unknown>>;
    getActivity(teamId: number, jobId: number, o?: CallOptions): Promise<ActivityInfo[]>;
    setEntityReviewStatus(jobId: number, entityId: number, status: ReviewStatus, o?: CallOptions): Promise<void>;
    /** jobs.editInfo: a new annotator and/or reviewer (the SDK's set_assignees); the job is read back */
    setAssignees(id: number, change: { userId?: number; reviewerId?: number }, o?: CallOptions): Promise<JobWire>;
    /**
     * non-idempotent (jobs.restart): a new job per user id with the rejected images, read back; the old
     * job is completed unless `completeExisting` is false. No rejected images: the server's 400 as `[]`.
     */
    restart(
      id: number,
      input: { userIds: number[]; reviewerId?: number | null; name?: string; completeExisting?: boolean },
      o?: CallOptions,
    ): Promise<JobWire[]>;
  };
  /** labeling queues: read only (jobs come from them; the app does not make queues) */
  queues: {
    /** all pages; rows that did not parse are skipped (logged) */
    list(teamId: number, filter?: import('./queues').QueueListFilter, o?: CallOptions): Promise<LabelingQueueInfo[]>;
    getInfoById(id: number, o?: CallOptions): Promise<LabelingQueueInfo | null>;
  };
  /** helpers for the grid's bulk actions: bounded concurrency, progress, a result per job */
  bulk: {
    archive(ids: number[], o?: BulkOptions): Promise<BulkResult[]>;
    stop(ids: number[], o?: BulkOptions): Promise<BulkResult[]>;
    setStatus(ids: number[], status: JobStatus, o?: BulkOptions): Promise<BulkResult[]>;
    /** chunks of ≤ 50 ids through jobs.bulk.remove; a refused chunk is retried id by id to say which failed */
    remove(ids: number[], o?: BulkOptions): Promise<BulkResult[]>;
  };
}
