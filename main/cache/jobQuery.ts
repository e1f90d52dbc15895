// SQL for the grid's questions: the WHERE clause of a JobFilter and the ORDER BY of a JobSort.
import type { JobFilter, JobSort, JobSortColumn } from '#shared/contract';

export const SORT_SQL: Record<JobSortColumn, string> = {
  id: 'j.id',
  name: 'j.name',
  status: 'j.status',
  assignedToLogin: 'j.assigned_to_login',
  reviewerLogin: 'j.reviewer_login',
  createdByLogin: 'j.created_by_login',
  projectName: 'j.project_name',
  datasetName: 'j.dataset_name',
  progress: 'j.progress',
  createdAt: 'j.created_at',
  startedAt: 'j.started_at',
  finishedAt: 'j.finished_at',
  updatedAt: 'j.updated_at',
};

export interface Where {
  sql: string;
  params: unknown[];
}

/** WHERE clause for a JobFilter; removed-from-server jobs are never listed. */
export function whereForFilter(filter: JobFilter): Where {
  const parts: string[] = ['j.removed_at IS NULL'];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly unknown[] | undefined) => {
    if (!values) return;
    if (values.length === 0) {
      parts.push('0');
      return;
    }
    parts.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  if (filter.teamId !== undefined) {
    parts.push('j.team_id = ?');
    params.push(filter.teamId);
  }
  inList('j.created_by_id', filter.createdById);
  inList('j.assigned_to_id', filter.assignedToId);
  inList('j.reviewer_id', filter.reviewerId);
  inList('j.project_id', filter.projectId);
  inList('j.dataset_id', filter.datasetId);
  inList('j.status', filter.statuses);
  if (filter.queueId) {
    // 0: jobs that came from no queue
    const ids = filter.queueId.filter((id) => id !== 0);
    const none = ids.length < filter.queueId.length;
    const alternatives = [
      ...(ids.length ? [`j.labeling_queue_id IN (${ids.map(() => '?').join(',')})`] : []),
      ...(none ? ['j.labeling_queue_id IS NULL'] : []),
    ];
    parts.push(alternatives.length ? `(${alternatives.join(' OR ')})` : '0');
    params.push(...ids);
  }
  const text = filter.text?.trim();
  if (text) {
    if ([...text].length >= 3) {
      // trigram index: a quoted phrase is a case-insensitive substring match
      parts.push('j.id IN (SELECT rowid FROM jobs_text WHERE jobs_text MATCH ?)');
      params.push(`"${text.replaceAll('"', '""')}"`);
    } else {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(`(j.name LIKE ? ESCAPE '\\' OR j.description LIKE ? ESCAPE '\\')`);
      params.push(like, like);
    }
  }
  if (!filter.showArchived) parts.push('j.disabled = 0');
  if (filter.onlyPending) {
    parts.push(`j.id IN (SELECT t.job_id FROM outbox o JOIN outbox_jobs t ON t.mutation_id = o.id
      WHERE o.state IN ('pending','sending','failed','conflict'))`);
  }
  return { sql: parts.join(' AND '), params };
}

/** ORDER BY for a sort, tie-broken by id in the same direction (the sort indexes end in the rowid). */
export function orderForSort(sort: JobSort): string {
  const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
  return `${SORT_SQL[sort.column]} ${dir}, j.id ${dir}`;
}
