// Display formatting shared by the views: statuses, dates, counts. Pure.
import { isKnownJobStatus, type JobStatus } from '#shared/contract';

export const statusLabels: Record<JobStatus, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  on_review: 'On review',
  completed: 'Completed',
  stopped: 'Stopped',
  review_completed: 'Review completed',
};

export const allStatuses: JobStatus[] = ['pending', 'in_progress', 'on_review', 'completed', 'review_completed', 'stopped'];

/** The label of a known status; a status this app does not know is shown as the server sent it. */
export function statusLabel(status: string): string {
  return isKnownJobStatus(status) ? statusLabels[status] : status;
}

/** Known statuses have their own colour; unknown ones share a neutral one, so charts count them apart. */
export function statusColorVar(status: string): string {
  return isKnownJobStatus(status) ? `--status-${status}` : '--status-unknown';
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

// 24-hour clock: "2:31 PM" does not fit a 100 px column
const thisYearShort = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const otherYearShort = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** For narrow grid columns: "Dec 1, 07:45" this year, "Dec 1, 2025" before. */
export function formatShortDateTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (date.getFullYear() === now.getFullYear() ? thisYearShort : otherYearShort).format(date);
}

/** "3 min ago" style, for the last sync. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A count with the locale's thousands separators (5,768). */
export function formatCount(count: number): string {
  return count.toLocaleString();
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** People as a select's options: the id as its value, the login as its label. */
export function loginOptions(people: readonly { id: number; login: string }[]): { value: string; label: string }[] {
  return people.map((p) => ({ value: String(p.id), label: p.login }));
}
