// The jobs view's filter and sort as URL query text (kept in the location hash), so a reload or a
// shared link restores exactly what the lead was looking at. Pure; invalid input is ignored.
import { JobFilterSchema, JobSortColumnSchema, JobStatusOrUnknownSchema, type JobFilter, type JobSort } from '#shared/contract';

export const defaultSort: JobSort = { column: 'createdAt', direction: 'desc' };

const idListKeys = [
  ['creator', 'createdById'],
  ['assignee', 'assignedToId'],
  ['reviewer', 'reviewerId'],
  ['project', 'projectId'],
  ['dataset', 'datasetId'],
  ['queue', 'queueId'],
] as const;

export function filterToQuery(filter: JobFilter, sort: JobSort): string {
  const params = new URLSearchParams();
  for (const [param, key] of idListKeys) {
    const ids = filter[key];
    if (ids?.length) params.set(param, ids.join(','));
  }
  if (filter.statuses?.length) params.set('status', filter.statuses.join(','));
  if (filter.text?.trim()) params.set('q', filter.text);
  if (filter.showArchived) params.set('archived', '1');
  if (filter.onlyPending) params.set('pending', '1');
  if (sort.column !== defaultSort.column || sort.direction !== defaultSort.direction)
    params.set('sort', `${sort.column}.${sort.direction}`);
  return params.toString();
}

function parseIds(text: string | null): number[] | undefined {
  if (!text) return undefined;
  const ids = text
    .split(',')
    .map((part) => Number(part))
    .filter((n) => Number.isInteger(n));
  return ids.length ? ids : undefined;
}

export function queryToFilter(query: string): { filter: JobFilter; sort: JobSort } {
  const params = new URLSearchParams(query);
  const draft: JobFilter = {};
  for (const [param, key] of idListKeys) {
    const ids = parseIds(params.get(param));
    if (ids) draft[key] = ids;
  }
  // any status, not only those this app knows: a newer server's statuses have chips that filter by them
  const statuses = [...new Set((params.get('status') ?? '').split(','))]
    .filter((s) => JobStatusOrUnknownSchema.safeParse(s).success)
    .slice(0, 100);
  if (statuses.length) draft.statuses = statuses as JobFilter['statuses'];
  const text = params.get('q');
  if (text) draft.text = text.slice(0, 200);
  if (params.get('archived') === '1') draft.showArchived = true;
  if (params.get('pending') === '1') draft.onlyPending = true;
  const parsed = JobFilterSchema.safeParse(draft);
  const filter = parsed.success ? parsed.data : {};

  let sort = defaultSort;
  const [column, direction] = (params.get('sort') ?? '').split('.');
  const columnParsed = JobSortColumnSchema.safeParse(column);
  if (columnParsed.success && (direction === 'asc' || direction === 'desc')) sort = { column: columnParsed.data, direction };
  return { filter, sort };
}

/** True when the filter narrows nothing (so the UI can say "all jobs"). */
export function isEmptyFilter(filter: JobFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      key === 'teamId' || value === undefined || value === false || value === '' || (Array.isArray(value) && value.length === 0),
  );
}
