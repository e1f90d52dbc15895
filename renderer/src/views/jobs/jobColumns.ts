// The jobs grid's columns: header, sort key, width and the CSV value of each, and the grid template for
// the lead's column layout (hidden columns, dragged widths). Pure.
import { queueNameOr, type ColumnLayout, type JobGridRow, type JobSortColumn, type QueueSummary } from '#shared/contract';
import type { CsvValue } from '../../lib/csv';
import { statusLabel } from '../../lib/format';

export interface JobColumn {
  key: string;
  label: string;
  sort: JobSortColumn | null;
  /** the narrowest the column gets, in px */
  minPx: number;
  /** takes a share of spare width, in proportion to minPx */
  grow: boolean;
  /** the narrowest when the Queue column is offered: these columns give it their width, so the row still fits */
  minPxBesideQueue?: number;
}

// The minimums add up to what fits a 1,400 px window beside the sidebar; wider windows widen the
// text columns, so the dates are never pushed off screen. Growing columns get `minPx / 100` fr: with
// one px-per-fr ratio for all of them, the grid's max-content width is exactly the sum of minimums
// (a larger ratio in one column would inflate every fr column when the browser sizes the header).
export const jobColumns: JobColumn[] = [
  { key: 'name', label: 'Name', sort: 'name', minPx: 160, grow: true, minPxBesideQueue: 144 },
  { key: 'status', label: 'Status', sort: 'status', minPx: 112, grow: false },
  { key: 'assignee', label: 'Assignee', sort: 'assignedToLogin', minPx: 84, grow: true, minPxBesideQueue: 68 },
  { key: 'reviewer', label: 'Reviewer', sort: 'reviewerLogin', minPx: 84, grow: true, minPxBesideQueue: 68 },
  { key: 'creator', label: 'Creator', sort: 'createdByLogin', minPx: 84, grow: true, minPxBesideQueue: 68 },
  { key: 'project', label: 'Project', sort: 'projectName', minPx: 92, grow: true, minPxBesideQueue: 80 },
  { key: 'dataset', label: 'Dataset', sort: 'datasetName', minPx: 64, grow: true, minPxBesideQueue: 56 },
  { key: 'progress', label: 'Progress', sort: 'progress', minPx: 110, grow: true },
  { key: 'created', label: 'Created', sort: 'createdAt', minPx: 100, grow: false },
  { key: 'started', label: 'Started', sort: 'startedAt', minPx: 100, grow: false },
  { key: 'finished', label: 'Finished', sort: 'finishedAt', minPx: 100, grow: false },
];

/**
 * The labeling queue a job came from: a column only where the cache knows queues (most teams have none, and
 * an empty column would only cost width). It goes after the dataset and is shown by default: a lead whose team
 * hands work out through queues wants to see them. Its width comes from the name, people, project and dataset
 * columns (`minPxBesideQueue`), so the default row is exactly as wide as without it and still fits 1,400 px.
 */
export const queueColumn: JobColumn = { key: 'queue', label: 'Queue', sort: 'labelingQueueName', minPx: 84, grow: true };

/** Every column the grid offers: the queue column only when there are queues, the others then narrower. */
export function columnsOffered(hasQueues = false): JobColumn[] {
  if (!hasQueues) return jobColumns;
  const narrower = jobColumns.map((c) => (c.minPxBesideQueue === undefined ? c : { ...c, minPx: c.minPxBesideQueue }));
  const at = narrower.findIndex((c) => c.key === 'dataset') + 1;
  return [...narrower.slice(0, at), queueColumn, ...narrower.slice(at)];
}

/** What a job's queue cell says: the queue's name, its id while the name is unknown, nothing when none. */
export function queueLabel(queueId: number | null, byId: ReadonlyMap<number, QueueSummary>): string {
  if (queueId === null) return '';
  return queueNameOr(byId.get(queueId)?.name, queueId);
}

/** Fixed leading columns: the selection checkbox and the queued-change marker. */
const leadingPx = [34, 26];

/** The name links to the job: it is never hidden. */
export const ALWAYS_SHOWN = 'name';
/** Dragged widths stay within these (the contract's limits). */
export const WIDTH_LIMITS = { min: 40, max: 1000 } as const;

export const defaultLayout = (): ColumnLayout => ({ hidden: [], widths: {} });

export function visibleColumns(layout: ColumnLayout, hasQueues = false): JobColumn[] {
  return columnsOffered(hasQueues).filter((c) => c.key === ALWAYS_SHOWN || !layout.hidden.includes(c.key));
}

/** A dragged column keeps its width; the others size as by default. */
export function gridTemplate(layout: ColumnLayout, hasQueues = false): string {
  return [
    ...leadingPx.map((px) => `${px}px`),
    ...visibleColumns(layout, hasQueues).map((c) => {
      const dragged = layout.widths[c.key];
      if (dragged !== undefined) return `${dragged}px`;
      return c.grow ? `minmax(${c.minPx}px, ${c.minPx / 100}fr)` : `${c.minPx}px`;
    }),
  ].join(' ');
}

/**
 * The rows' fixed width in px, so no row's layout depends on its content: the shown columns at their minimum (or
 * dragged) widths, which fit a 1,400 px window by default; below it the grid scrolls sideways.
 */
export function rowWidthOf(layout: ColumnLayout, hasQueues = false): number {
  const widths = visibleColumns(layout, hasQueues).map((c) => layout.widths[c.key] ?? c.minPx);
  return [...leadingPx, ...widths].reduce((a, b) => a + b, 0);
}

/** The layout with one column's width set (clamped, whole pixels). */
export function withWidth(layout: ColumnLayout, key: string, px: number): ColumnLayout {
  const width = Math.round(Math.min(WIDTH_LIMITS.max, Math.max(WIDTH_LIMITS.min, px)));
  return { ...layout, widths: { ...layout.widths, [key]: width } };
}

/** The layout with a column shown or hidden (the name column stays). */
export function withShown(layout: ColumnLayout, key: string, shown: boolean): ColumnLayout {
  if (key === ALWAYS_SHOWN) return layout;
  const hidden = layout.hidden.filter((k) => k !== key);
  return { ...layout, hidden: shown ? hidden : [...hidden, key] };
}

/** A job over several datasets (the server names none) says so instead of showing an empty or bogus dataset. */
export const SEVERAL_DATASETS = 'several datasets';

export function datasetLabel(job: Pick<JobGridRow, 'datasetId' | 'datasetName'>): string {
  return job.datasetId === null ? SEVERAL_DATASETS : job.datasetName;
}

export const csvHeader = [
  'id',
  'name',
  'status',
  'archived',
  'assignee',
  'reviewer',
  'creator',
  'project',
  'dataset',
  'queue',
  'queue_id',
  'images',
  'finished',
  'accepted',
  'rejected',
  'created',
  'started',
  'finished_at',
  'description',
  'queued_changes',
  'problem',
];

/** A job's CSV line; `queuesById` names its queue (empty while the name is unknown; the id has its own column). */
export function csvRow(job: JobGridRow, queuesById: ReadonlyMap<number, QueueSummary> = new Map()): CsvValue[] {
  return [
    job.id,
    job.name,
    statusLabel(job.status),
    job.archived,
    job.assignedToLogin,
    job.reviewerLogin,
    job.createdByLogin,
    job.projectName,
    datasetLabel(job),
    job.labelingQueueId === null ? null : (queuesById.get(job.labelingQueueId)?.name ?? null),
    job.labelingQueueId,
    job.imagesCount,
    job.finishedImagesCount,
    job.acceptedImagesCount,
    job.rejectedImagesCount,
    job.createdAt,
    job.startedAt,
    job.finishedAt,
    job.description,
    job.pendingCount,
    job.problem,
  ];
}

export type PendingMarker = { kind: 'problem' | 'removing' | 'local' | 'pending'; text: string } | null;

/** What the marker column says about a row's queued changes, most urgent first. */
export function pendingMarker(job: Pick<JobGridRow, 'problem' | 'removing' | 'local' | 'pendingCount'>): PendingMarker {
  if (job.problem) return { kind: 'problem', text: `Server refused a change: ${job.problem}` };
  if (job.removing) return { kind: 'removing', text: 'Removal queued, not yet sent' };
  if (job.local) return { kind: 'local', text: 'Created offline, not yet on the server' };
  if (job.pendingCount > 0) return { kind: 'pending', text: `${job.pendingCount} queued change${job.pendingCount === 1 ? '' : 's'}` };
  return null;
}
