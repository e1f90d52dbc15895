// The jobs grid's columns: header, sort key, width and the CSV value of each. Pure.
import type { JobRow, JobSortColumn } from '#shared/contract';
import type { CsvValue } from '../../lib/csv';
import { statusLabel } from '../../lib/format';

export interface JobColumn {
  key: string;
  label: string;
  sort: JobSortColumn | null;
  width: string;
}

export const jobColumns: JobColumn[] = [
  { key: 'name', label: 'Name', sort: 'name', width: '260px' },
  { key: 'status', label: 'Status', sort: 'status', width: '132px' },
  { key: 'assignee', label: 'Assignee', sort: 'assignedToLogin', width: '110px' },
  { key: 'reviewer', label: 'Reviewer', sort: 'reviewerLogin', width: '110px' },
  { key: 'creator', label: 'Creator', sort: 'createdByLogin', width: '110px' },
  { key: 'project', label: 'Project', sort: 'projectName', width: '130px' },
  { key: 'dataset', label: 'Dataset', sort: 'datasetName', width: '100px' },
  { key: 'progress', label: 'Progress', sort: 'progress', width: '150px' },
  { key: 'created', label: 'Created', sort: 'createdAt', width: '135px' },
  { key: 'started', label: 'Started', sort: 'startedAt', width: '135px' },
  { key: 'finished', label: 'Finished', sort: 'finishedAt', width: '135px' },
];

/** Fixed leading columns: the selection checkbox and the queued-change marker. */
export const gridTemplate = ['34px', '26px', ...jobColumns.map((c) => c.width)].join(' ');

export const csvHeader = [
  'id', 'name', 'status', 'archived', 'assignee', 'reviewer', 'creator', 'project', 'dataset',
  'images', 'finished', 'accepted', 'rejected', 'created', 'started', 'finished_at', 'description', 'queued_changes', 'problem',
];

export function csvRow(job: JobRow): CsvValue[] {
  return [
    job.id, job.name, statusLabel(job.status), job.archived, job.assignedToLogin, job.reviewerLogin, job.createdByLogin,
    job.projectName, job.datasetName, job.imagesCount, job.finishedImagesCount, job.acceptedImagesCount,
    job.rejectedImagesCount, job.createdAt, job.startedAt, job.finishedAt, job.description, job.pendingCount, job.problem,
  ];
}

export type PendingMarker = { kind: 'problem' | 'removing' | 'local' | 'pending'; text: string } | null;

/** What the marker column says about a row's queued changes, most urgent first. */
export function pendingMarker(job: JobRow): PendingMarker {
  if (job.problem) return { kind: 'problem', text: `Server refused a change: ${job.problem}` };
  if (job.removing) return { kind: 'removing', text: 'Removal queued, not yet sent' };
  if (job.local) return { kind: 'local', text: 'Created offline, not yet on the server' };
  if (job.pendingCount > 0) return { kind: 'pending', text: `${job.pendingCount} queued change${job.pendingCount === 1 ? '' : 's'}` };
  return null;
}
