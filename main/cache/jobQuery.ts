// SQL for the grid's questions: the WHERE clause of a JobFilter (and the SQL function its text search
// calls) and the ORDER BY of a JobSort.
import { UNNAMED_QUEUE_PREFIX, type JobFilter, type JobSort, type JobSortColumn } from '#shared/contract';
import type { Db } from './db';

export const SORT_SQL: Record<JobSortColumn, string> = {
  id: 'j.id',
  name: 'j.name',
  status: 'j.status',
  assignedToLogin: 'j.assigned_to_login',
  reviewerLogin: 'j.reviewer_login',
  createdByLogin: 'j.created_by_login',
  projectName: 'j.project_name',
  datasetName: 'j.dataset_name',
  // the label the grid shows (queueNameOr in the contract): the cached name, else the id
  labelingQueueName: `(CASE WHEN j.labeling_queue_id IS NULL THEN NULL ELSE coalesce(nullif((SELECT q.name FROM labeling_queues q
    WHERE q.id = j.labeling_queue_id), ''), '${UNNAMED_QUEUE_PREFIX}' || j.labeling_queue_id) END)`,
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

/** SQL function: does the name or the description contain the (lower-cased) text, case-insensitively. */
export const HAS_TEXT = 'ljd_has_text';

/** Registers the functions the WHERE clauses below call (once per connection). */
export function registerQueryFunctions(db: Db): void {
  db.function(HAS_TEXT, { deterministic: true }, (name, description, needle) => {
    const text = String(needle);
    return String(name).toLowerCase().includes(text) || String(description).toLowerCase().includes(text) ? 1 : 0;
  });
}

/**
 * An FTS5 query for rows holding every trigram of `chars`: the trigrams at every third position and the
 * last one cover the text, and fewer of them means fewer lists to intersect.
 */
function trigramQuery(chars: readonly string[]): string {
  const starts = new Set<number>();
  for (let i = 0; i + 3 <= chars.length; i += 3) starts.add(i);
  starts.add(chars.length - 3);
  return [...starts]
    .map(
      (i) =>
        `"${chars
          .slice(i, i + 3)
          .join('')
          .replaceAll('"', '""')}"`,
    )
    .join(' ');
}

/**
 * How a search text (trimmed, not empty) is found: a text of 1-2 characters by LIKE over every row (the trigram
 * index holds nothing shorter); a longer one among the rows holding its trigrams, plus the rows the index does not
 * hold yet (written since its last catch-up, textIndex.ts), checked for the real substring (the index keeps no
 * positions).
 */
export type TextSearch = { kind: 'like'; pattern: string } | { kind: 'trigrams'; query: string; needle: string };

export function textSearchOf(text: string): TextSearch {
  const chars = [...text];
  if (chars.length >= 3) return { kind: 'trigrams', query: trigramQuery(chars), needle: text.toLowerCase() };
  return { kind: 'like', pattern: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}

/** ids the trigram index holds for a query */
export const TRIGRAM_MATCHES = 'SELECT rowid FROM jobs_text WHERE jobs_text MATCH ?';
/** those, and the ids it does not hold yet (a superset of the matches) */
const TRIGRAM_CANDIDATES = `${TRIGRAM_MATCHES} UNION ALL SELECT id FROM jobs_text_pending`;
/**
 * Each kind of search's test alone, without the index: what a walk along another index or a span of ids checks row
 * by row (LIKE takes its pattern twice, the substring check its needle: textTest).
 */
export const TEXT_TESTS: Record<TextSearch['kind'], string> = {
  like: "(j.name LIKE ? ESCAPE '\\' OR j.description LIKE ? ESCAPE '\\')",
  trigrams: `${HAS_TEXT}(j.name, j.description, ?)`,
};

/** A search's test alone, with its parameters. */
export function textTest(search: TextSearch): Where {
  return { sql: TEXT_TESTS[search.kind], params: search.kind === 'like' ? [search.pattern, search.pattern] : [search.needle] };
}

/** The rows whose name or description holds `text` (trimmed, not empty). */
export function textCondition(text: string): Where {
  const search = textSearchOf(text);
  const test = textTest(search);
  return search.kind === 'like' ? test : { sql: `j.id IN (${TRIGRAM_CANDIDATES}) AND ${test.sql}`, params: [search.query, ...test.params] };
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
    const condition = textCondition(text);
    parts.push(condition.sql);
    params.push(...condition.params);
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
