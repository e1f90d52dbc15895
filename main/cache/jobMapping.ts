// How a job is stored and shown. A job's shape, layer by layer:
//   JobWire (main/supervisely: as the server sends it) → JobRecord (the cache's columns, with a fingerprint
//   of the server copy) → StoredJob (the row as stored, with local flags) → StoredGridRow (the grid's columns
//   of it) → JobGridRow / JobDetails (#shared/contract: what the renderer gets).
// The local server keeps its own ServerJobRow (main/local-server), never seen by the app.
import { hash } from 'node:crypto';
import type { JobGridRow, JobStatusOrUnknown } from '#shared/contract';
import type { JobWire } from '../supervisely/types';

const OPEN_STATES = `('pending','sending')`;
const PROBLEM_STATES = `('failed','conflict')`;

export const ROW_COLUMNS = `j.id, j.name, j.description, j.status, j.disabled, j.team_id, j.workspace_id, j.project_id,
  j.project_name, j.dataset_id, j.dataset_name, j.created_by_id, j.created_by_login, j.assigned_to_id,
  j.assigned_to_login, j.reviewer_id, j.reviewer_login, j.labeling_queue_id, j.created_at, j.started_at, j.finished_at, j.updated_at,
  j.images_count, j.finished_images_count, j.accepted_images_count, j.rejected_images_count, j.local, j.removing,
  (SELECT count(*) FROM outbox_jobs t JOIN outbox o ON o.id = t.mutation_id
     WHERE t.job_id = j.id AND o.state IN ${OPEN_STATES}) AS pending_count,
  (SELECT o.last_error FROM outbox_jobs t JOIN outbox o ON o.id = t.mutation_id
     WHERE t.job_id = j.id AND o.state IN ${PROBLEM_STATES} ORDER BY o.id DESC LIMIT 1) AS problem`;

/** What ROW_COLUMNS reads: the grid's columns of the stored job, plus the outbox flags computed per row. */
export type StoredGridRow = Pick<
  StoredJob,
  | 'id'
  | 'name'
  | 'description'
  | 'status'
  | 'disabled'
  | 'team_id'
  | 'workspace_id'
  | 'project_id'
  | 'project_name'
  | 'dataset_id'
  | 'dataset_name'
  | 'created_by_id'
  | 'created_by_login'
  | 'assigned_to_id'
  | 'assigned_to_login'
  | 'reviewer_id'
  | 'reviewer_login'
  | 'labeling_queue_id'
  | 'created_at'
  | 'started_at'
  | 'finished_at'
  | 'updated_at'
  | 'images_count'
  | 'finished_images_count'
  | 'accepted_images_count'
  | 'rejected_images_count'
  | 'local'
  | 'removing'
> & { pending_count: number; problem: string | null };

export const toRow = (r: StoredGridRow): JobGridRow => ({
  id: r.id,
  name: r.name,
  description: r.description,
  status: r.status,
  archived: r.disabled === 1,
  teamId: r.team_id,
  workspaceId: r.workspace_id,
  projectId: r.project_id,
  projectName: r.project_name,
  datasetId: r.dataset_id,
  datasetName: r.dataset_name,
  createdById: r.created_by_id,
  createdByLogin: r.created_by_login,
  assignedToId: r.assigned_to_id,
  assignedToLogin: r.assigned_to_login,
  reviewerId: r.reviewer_id,
  reviewerLogin: r.reviewer_login,
  labelingQueueId: r.labeling_queue_id,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
  imagesCount: r.images_count,
  finishedImagesCount: r.finished_images_count,
  acceptedImagesCount: r.accepted_images_count,
  rejectedImagesCount: r.rejected_images_count,
  pendingCount: r.pending_count,
  problem: r.problem,
  local: r.local === 1,
  removing: r.removing === 1,
});

/** The columns a job has in the cache; `fromServer` converts a JobWire into one. */
export interface JobRecord {
  id: number;
  name: string;
  description: string;
  readme: string;
  team_id: number;
  workspace_id: number;
  workspace_name: string;
  project_id: number;
  project_name: string;
  /** null: the job's images come from several datasets */
  dataset_id: number | null;
  dataset_name: string;
  created_by_id: number;
  created_by_login: string;
  assigned_to_id: number;
  assigned_to_login: string;
  reviewer_id: number | null;
  reviewer_login: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string | null;
  status: JobStatusOrUnknown;
  disabled: number;
  labeling_queue_id: number | null;
  labeling_exam_id: number | null;
  images_count: number;
  finished_images_count: number;
  rejected_images_count: number;
  accepted_images_count: number;
  progress_images_count: number;
  classes_to_label: string;
  tags_to_label: string;
  range_start: number | null;
  range_end: number | null;
  objects_limit: number | null;
  tags_limit: number | null;
  filter_images_by_tags: string;
  priority: number | null;
  guide_id: number | null;
  custom_data: string;
  local: number;
  /** hash of the server's copy; null for rows made here */
  server_fingerprint: string | null;
}

export const RECORD_KEYS = [
  'id',
  'name',
  'description',
  'readme',
  'team_id',
  'workspace_id',
  'workspace_name',
  'project_id',
  'project_name',
  'dataset_id',
  'dataset_name',
  'created_by_id',
  'created_by_login',
  'assigned_to_id',
  'assigned_to_login',
  'reviewer_id',
  'reviewer_login',
  'created_at',
  'started_at',
  'finished_at',
  'updated_at',
  'status',
  'disabled',
  'labeling_queue_id',
  'labeling_exam_id',
  'images_count',
  'finished_images_count',
  'rejected_images_count',
  'accepted_images_count',
  'progress_images_count',
  'classes_to_label',
  'tags_to_label',
  'range_start',
  'range_end',
  'objects_limit',
  'tags_limit',
  'filter_images_by_tags',
  'priority',
  'guide_id',
  'custom_data',
  'local',
  'server_fingerprint',
] as const satisfies readonly (keyof JobRecord)[];

export function recordFromServer(info: JobWire): JobRecord {
  const record: JobRecord = {
    id: info.id,
    name: info.name,
    description: info.description ?? '',
    readme: info.readme ?? '',
    team_id: info.teamId,
    workspace_id: info.workspaceId,
    workspace_name: info.workspaceName ?? '',
    project_id: info.projectId,
    project_name: info.projectName ?? '',
    dataset_id: info.datasetId,
    dataset_name: info.datasetName ?? '',
    created_by_id: info.createdById,
    created_by_login: info.createdByLogin ?? '',
    assigned_to_id: info.assignedToId,
    assigned_to_login: info.assignedToLogin ?? '',
    reviewer_id: info.reviewerId,
    reviewer_login: info.reviewerLogin,
    created_at: info.createdAt,
    started_at: info.startedAt,
    finished_at: info.finishedAt,
    updated_at: info.updatedAt,
    status: info.status,
    disabled: info.disabled ? 1 : 0,
    labeling_queue_id: info.labelingQueueId,
    labeling_exam_id: info.labelingExamId,
    images_count: info.imagesCount,
    finished_images_count: info.finishedImagesCount,
    rejected_images_count: info.rejectedImagesCount,
    accepted_images_count: info.acceptedImagesCount,
    progress_images_count: info.progressImagesCount,
    classes_to_label: JSON.stringify(info.classesToLabel),
    tags_to_label: JSON.stringify(info.tagsToLabel),
    range_start: info.imagesRange.start,
    range_end: info.imagesRange.end,
    objects_limit: info.objectsLimitPerImage,
    tags_limit: info.tagsLimitPerImage,
    filter_images_by_tags: JSON.stringify(info.filterImagesByTags),
    priority: info.priority,
    guide_id: info.guideId,
    custom_data: JSON.stringify(info.customData ?? {}),
    local: 0,
    server_fingerprint: null,
  };
  record.server_fingerprint = hash('sha1', JSON.stringify(record), 'base64');
  return record;
}

export interface StoredJob extends JobRecord {
  removing: number;
  removed_at: string | null;
  stale: number;
  entities_fetched: number;
}
