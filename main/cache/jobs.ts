// Jobs in the cache: upserts from the server, optimistic edits, and the grid's reads (filter, sort,
// window, ids, counts, charts). Row flags pendingCount / problem come from the outbox tables.
import { createHash } from 'node:crypto';
import type { JobFilter, JobRow, JobSort, JobSortColumn, JobStatusOrUnknown } from '#shared/contract';
import type { JobEntity, LabelingJobInfo } from '../supervisely/types';
import { timed, type Db } from './db';

const SORT_SQL: Record<JobSortColumn, string> = {
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

const OPEN_STATES = `('pending','sending')`;
const PROBLEM_STATES = `('failed','conflict')`;

const ROW_COLUMNS = `j.id, j.name, j.description, j.status, j.disabled, j.team_id, j.workspace_id, j.project_id,
  j.project_name, j.dataset_id, j.dataset_name, j.created_by_id, j.created_by_login, j.assigned_to_id,
  j.assigned_to_login, j.reviewer_id, j.reviewer_login, j.created_at, j.started_at, j.finished_at, j.updated_at,
  j.images_count, j.finished_images_count, j.accepted_images_count, j.rejected_images_count, j.local, j.removing,
  (SELECT count(*) FROM outbox_jobs t JOIN outbox o ON o.id = t.mutation_id
     WHERE t.job_id = j.id AND o.state IN ${OPEN_STATES}) AS pending_count,
  (SELECT o.last_error FROM outbox_jobs t JOIN outbox o ON o.id = t.mutation_id
     WHERE t.job_id = j.id AND o.state IN ${PROBLEM_STATES} ORDER BY o.id DESC LIMIT 1) AS problem`;

interface RawRow {
  id: number; name: string; description: string; status: JobStatusOrUnknown; disabled: number; team_id: number;
  workspace_id: number; project_id: number; project_name: string; dataset_id: number; dataset_name: string;
  created_by_id: number; created_by_login: string; assigned_to_id: number; assigned_to_login: string;
  reviewer_id: number | null; reviewer_login: string | null; created_at: string; started_at: string | null;
  finished_at: string | null; updated_at: string | null; images_count: number; finished_images_count: number;
  accepted_images_count: number; rejected_images_count: number; local: number; removing: number;
  pending_count: number; problem: string | null;
}

const toRow = (r: RawRow): JobRow => ({
  id: r.id, name: r.name, description: r.description, status: r.status, archived: r.disabled === 1,
  teamId: r.team_id, workspaceId: r.workspace_id, projectId: r.project_id, projectName: r.project_name,
  datasetId: r.dataset_id, datasetName: r.dataset_name, createdById: r.created_by_id,
  createdByLogin: r.created_by_login, assignedToId: r.assigned_to_id, assignedToLogin: r.assigned_to_login,
  reviewerId: r.reviewer_id, reviewerLogin: r.reviewer_login, createdAt: r.created_at, startedAt: r.started_at,
  finishedAt: r.finished_at, updatedAt: r.updated_at, imagesCount: r.images_count,
  finishedImagesCount: r.finished_images_count, acceptedImagesCount: r.accepted_images_count,
  rejectedImagesCount: r.rejected_images_count, pendingCount: r.pending_count, problem: r.problem,
  local: r.local === 1, removing: r.removing === 1,
});

/** The columns a job has in the cache; `fromServer` converts a LabelingJobInfo into one. */
export interface JobRecord {
  id: number; name: string; description: string; readme: string; team_id: number; workspace_id: number;
  workspace_name: string; project_id: number; project_name: string; dataset_id: number; dataset_name: string;
  created_by_id: number; created_by_login: string; assigned_to_id: number; assigned_to_login: string;
  reviewer_id: number | null; reviewer_login: string | null; created_at: string; started_at: string | null;
  finished_at: string | null; updated_at: string | null; status: JobStatusOrUnknown; disabled: number;
  labeling_queue_id: number | null; labeling_exam_id: number | null; images_count: number;
  finished_images_count: number; rejected_images_count: number; accepted_images_count: number;
  progress_images_count: number; classes_to_label: string; tags_to_label: string; range_start: number | null;
  range_end: number | null; objects_limit: number | null; tags_limit: number | null;
  filter_images_by_tags: string; priority: number | null; guide_id: number | null; custom_data: string;
  local: number;
  /** hash of the server's copy; null for rows made here */
  server_fingerprint: string | null;
}

const RECORD_KEYS = [
  'id', 'name', 'description', 'readme', 'team_id', 'workspace_id', 'workspace_name', 'project_id', 'project_name',
  'dataset_id', 'dataset_name', 'created_by_id', 'created_by_login', 'assigned_to_id', 'assigned_to_login',
  'reviewer_id', 'reviewer_login', 'created_at', 'started_at', 'finished_at', 'updated_at', 'status', 'disabled',
  'labeling_queue_id', 'labeling_exam_id', 'images_count', 'finished_images_count', 'rejected_images_count',
  'accepted_images_count', 'progress_images_count', 'classes_to_label', 'tags_to_label', 'range_start', 'range_end',
  'objects_limit', 'tags_limit', 'filter_images_by_tags', 'priority', 'guide_id', 'custom_data', 'local',
  'server_fingerprint',
] as const satisfies readonly (keyof JobRecord)[];

export function recordFromServer(info: LabelingJobInfo): JobRecord {
  const record: JobRecord = {
    id: info.id, name: info.name, description: info.description ?? '', readme: info.readme ?? '',
    team_id: info.teamId, workspace_id: info.workspaceId, workspace_name: info.workspaceName ?? '',
    // dataset 0: a job over several datasets (the server sends no datasetId; the column predates them)
    project_id: info.projectId, project_name: info.projectName ?? '', dataset_id: info.datasetId ?? 0,
    dataset_name: info.datasetName ?? '', created_by_id: info.createdById, created_by_login: info.createdByLogin ?? '',
    assigned_to_id: info.assignedToId, assigned_to_login: info.assignedToLogin ?? '', reviewer_id: info.reviewerId,
    reviewer_login: info.reviewerLogin, created_at: info.createdAt, started_at: info.startedAt,
    finished_at: info.finishedAt, updated_at: info.updatedAt, status: info.status, disabled: info.disabled ? 1 : 0,
    labeling_queue_id: info.labelingQueueId, labeling_exam_id: info.labelingExamId, images_count: info.imagesCount,
    finished_images_count: info.finishedImagesCount, rejected_images_count: info.rejectedImagesCount,
    accepted_images_count: info.acceptedImagesCount, progress_images_count: info.progressImagesCount,
    classes_to_label: JSON.stringify(info.classesToLabel), tags_to_label: JSON.stringify(info.tagsToLabel),
    range_start: info.imagesRange.start, range_end: info.imagesRange.end,
    objects_limit: info.objectsLimitPerImage, tags_limit: info.tagsLimitPerImage,
    filter_images_by_tags: JSON.stringify(info.filterImagesByTags), priority: info.priority,
    guide_id: info.guideId, custom_data: JSON.stringify(info.customData ?? {}), local: 0, server_fingerprint: null,
  };
  record.server_fingerprint = createHash('sha1').update(JSON.stringify(record)).digest('base64');
  return record;
}

export interface StoredJob extends JobRecord {
  removing: number;
  removed_at: string | null;
  stale: number;
  entities_fetched: number;
}

interface Where { sql: string; params: unknown[] }

/** WHERE clause for a JobFilter; removed-from-server jobs are never listed. */
export function whereForFilter(filter: JobFilter): Where {
  const parts: string[] = ['j.removed_at IS NULL'];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly unknown[] | undefined) => {
    if (!values) return;
    if (values.length === 0) { parts.push('0'); return; }
    parts.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  if (filter.teamId !== undefined) { parts.push('j.team_id = ?'); params.push(filter.teamId); }
  inList('j.created_by_id', filter.createdById);
  inList('j.assigned_to_id', filter.assignedToId);
  inList('j.reviewer_id', filter.reviewerId);
  inList('j.project_id', filter.projectId);
  inList('j.dataset_id', filter.datasetId);
  inList('j.status', filter.statuses);
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

/** How many ordered id lists (one per filter + sort) the grid keeps between writes. */
const SNAPSHOT_SLOTS = 8;

export function createJobsRepo(db: Db, log?: (line: string) => void, outboxGeneration: () => number = () => 0) {
  // Bumped by every write below: the grid's ordered id lists are valid while it stays the same.
  let generation = 0;
  const snapshots = new Map<string, { generation: number; ids: Int32Array }>();
  const rowsByIds = db.prepare(`SELECT ${ROW_COLUMNS} FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?))`);
  const placeholders = RECORD_KEYS.map((k) => `@${k}`).join(', ');
  const updates = RECORD_KEYS.filter((k) => k !== 'id').map((k) => `${k} = excluded.${k}`).join(', ');
  const upsertStmt = db.prepare(
    `INSERT INTO jobs (${RECORD_KEYS.join(', ')}) VALUES (${placeholders})
     ON CONFLICT(id) DO UPDATE SET ${updates}, removed_at = NULL, stale = 0, removing = 0`,
  );
  const getStmt = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const rowStmt = db.prepare(`SELECT ${ROW_COLUMNS} FROM jobs j WHERE j.id = ?`);
  const deleteEntities = db.prepare('DELETE FROM job_entities WHERE job_id = ?');
  const insertEntity = db.prepare(
    'INSERT INTO job_entities (job_id, image_id, name, review_status) VALUES (?, ?, ?, ?)',
  );
  const entitiesStmt = db.prepare(
    'SELECT image_id AS id, name, review_status AS reviewStatus FROM job_entities WHERE job_id = ? ORDER BY name DESC',
  );
  const pick = (r: JobRecord) => Object.fromEntries(RECORD_KEYS.map((k) => [k, r[k]]));

  return {
    /** Inserts or overwrites jobs; entities are replaced only when the info carries them. */
    upsert(records: readonly JobRecord[], entitiesById?: ReadonlyMap<number, JobEntity[]>): void {
      generation++;
      for (const r of records) {
        upsertStmt.run(pick(r));
        const entities = entitiesById?.get(r.id);
        if (entities) this.setEntities(r.id, entities);
      }
    },
    setEntities(jobId: number, entities: readonly JobEntity[]): void {
      generation++;
      deleteEntities.run(jobId);
      for (const e of entities) insertEntity.run(jobId, e.id, e.name, e.reviewStatus);
      db.prepare('UPDATE jobs SET entities_fetched = 1 WHERE id = ?').run(jobId);
    },
    /** One image's review status, and the job's counts recomputed from its images (finished = done, accepted or rejected). */
    setReviewStatus(jobId: number, imageId: number, status: string): void {
      generation++;
      db.prepare('UPDATE job_entities SET review_status = ? WHERE job_id = ? AND image_id = ?').run(status, jobId, imageId);
      db.prepare(`UPDATE jobs SET
        accepted_images_count = (SELECT count(*) FROM job_entities WHERE job_id = @id AND review_status = 'accepted'),
        rejected_images_count = (SELECT count(*) FROM job_entities WHERE job_id = @id AND review_status = 'rejected'),
        finished_images_count = (SELECT count(*) FROM job_entities WHERE job_id = @id AND review_status IN ('done', 'accepted', 'rejected'))
        WHERE id = @id AND entities_fetched = 1`).run({ id: jobId });
    },
    entities(jobId: number): JobEntity[] | null {
      const job = getStmt.get(jobId) as StoredJob | undefined;
      if (!job || !job.entities_fetched) return null;
      return entitiesStmt.all(jobId) as JobEntity[];
    },
    get(id: number): StoredJob | null {
      return (getStmt.get(id) as StoredJob | undefined) ?? null;
    },
    row(id: number): JobRow | null {
      const r = rowStmt.get(id) as RawRow | undefined;
      return r ? toRow(r) : null;
    },
    /** Optimistic or server-observed change of some columns. */
    patch(id: number, changes: Partial<Pick<StoredJob, 'status' | 'disabled' | 'removing' | 'removed_at' | 'stale' | 'updated_at'
      | 'assigned_to_id' | 'assigned_to_login' | 'reviewer_id' | 'reviewer_login'>>): void {
      generation++;
      const keys = Object.keys(changes);
      if (keys.length === 0) return;
      db.prepare(`UPDATE jobs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...changes, id });
    },
    /** Restores a row exactly as it was (discard of a queued change). */
    restore(snapshot: StoredJob): void {
      generation++;
      upsertStmt.run(pick(snapshot));
      this.patch(snapshot.id, { removing: snapshot.removing, removed_at: snapshot.removed_at, stale: 1 });
    },
    delete(id: number): void {
      generation++;
      db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    },
    /** Moves a job (and what hangs off it by foreign key) from a local id to its server id. */
    changeId(localId: number, serverId: number): void {
      generation++;
      db.prepare('DELETE FROM jobs WHERE id = ?').run(serverId);
      db.prepare('UPDATE jobs SET id = ?, local = 0 WHERE id = ?').run(serverId, localId);
    },
    /** A user created offline got its server id: jobs still assigned to (or reviewed by) the local id follow it. */
    changeUserId(localId: number, serverId: number): void {
      generation++;
      db.prepare('UPDATE jobs SET assigned_to_id = ? WHERE assigned_to_id = ?').run(serverId, localId);
      db.prepare('UPDATE jobs SET reviewer_id = ? WHERE reviewer_id = ?').run(serverId, localId);
    },
    markStale(ids: readonly number[]): void {
      generation++;
      const stmt = db.prepare('UPDATE jobs SET stale = 1 WHERE id = ?');
      for (const id of ids) stmt.run(id);
    },
    staleIds(): number[] {
      return db.prepare('SELECT id FROM jobs WHERE stale = 1 AND id > 0').pluck().all() as number[];
    },
    /** server ids of a team's jobs still believed to exist (for vanish detection after a full list) */
    serverIdsOfTeam(teamId: number): number[] {
      return db.prepare('SELECT id FROM jobs WHERE team_id = ? AND id > 0 AND removed_at IS NULL').pluck().all(teamId) as number[];
    },
    /** What a pull compares against: status, the server copy's fingerprint, and whether the row must be re-read. */
    versionsOf(ids: readonly number[]): Map<number, { status: JobStatusOrUnknown; fingerprint: string | null; fresh: boolean }> {
      const out = new Map<number, { status: JobStatusOrUnknown; fingerprint: string | null; fresh: boolean }>();
      const stmt = db.prepare('SELECT status, server_fingerprint, stale, removed_at, removing FROM jobs WHERE id = ?');
      for (const id of ids) {
        const r = stmt.get(id) as { status: JobStatusOrUnknown; server_fingerprint: string | null; stale: number; removed_at: string | null; removing: number } | undefined;
        if (r) out.set(id, { status: r.status, fingerprint: r.server_fingerprint, fresh: !r.stale && !r.removed_at && !r.removing });
      }
      return out;
    },

    /** The write generation: changes whenever a job row changes. */
    generation(): number {
      return generation;
    },
    /**
     * Every matching id in grid order. Computed once per filter + sort and kept until the next
     * write, so scrolling a 100k-row grid reads only the 100 rows of each window (OFFSET would walk
     * the index from the top for every window).
     */
    orderedIds(filter: JobFilter, sort: JobSort): Int32Array {
      const key = JSON.stringify([filter, sort]);
      const current = generation * 1_000_003 + (filter.onlyPending ? outboxGeneration() : 0);
      const hit = snapshots.get(key);
      if (hit && hit.generation === current) {
        snapshots.delete(key);
        snapshots.set(key, hit);
        return hit.ids;
      }
      const where = whereForFilter(filter);
      const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
      const ids = timed(log, `jobs.orderedIds ${sort.column}`, () => Int32Array.from(db.prepare(
        `SELECT j.id FROM jobs j WHERE ${where.sql} ORDER BY ${SORT_SQL[sort.column]} ${dir}, j.id ${dir}`,
      ).pluck().all(...where.params) as number[]));
      snapshots.set(key, { generation: current, ids });
      while (snapshots.size > SNAPSHOT_SLOTS) snapshots.delete(snapshots.keys().next().value!);
      return ids;
    },
    /** Rows in the order of `ids` (missing ids are skipped). */
    rowsFor(ids: ArrayLike<number>): JobRow[] {
      const raw = rowsByIds.all(JSON.stringify(Array.from(ids))) as RawRow[];
      const byId = new Map(raw.map((r) => [r.id, r]));
      const out: JobRow[] = [];
      for (let i = 0; i < ids.length; i++) {
        const r = byId.get(ids[i]!);
        if (r) out.push(toRow(r));
      }
      return out;
    },
    query(filter: JobFilter, sort: JobSort, offset: number, limit: number): { rows: JobRow[]; total: number } {
      const ids = this.orderedIds(filter, sort);
      return { rows: this.rowsFor(ids.subarray(offset, offset + limit)), total: ids.length };
    },
    count(filter: JobFilter): number {
      const where = whereForFilter(filter);
      return timed(log, 'jobs.count', () =>
        db.prepare(`SELECT count(*) FROM jobs j WHERE ${where.sql}`).pluck().get(...where.params) as number);
    },
    ids(filter: JobFilter): number[] {
      const where = whereForFilter(filter);
      return timed(log, 'jobs.ids', () =>
        db.prepare(`SELECT j.id FROM jobs j WHERE ${where.sql} ORDER BY j.id`).pluck().all(...where.params) as number[]);
    },
    countsByStatus(filter: JobFilter): { status: JobStatusOrUnknown; count: number }[] {
      const where = whereForFilter(filter);
      return db.prepare(`SELECT j.status AS status, count(*) AS count FROM jobs j WHERE ${where.sql}
        GROUP BY j.status ORDER BY j.status`).all(...where.params) as { status: JobStatusOrUnknown; count: number }[];
    },
    countsByAssignee(filter: JobFilter) {
      const where = whereForFilter(filter);
      return db.prepare(`SELECT j.assigned_to_id AS userId, max(j.assigned_to_login) AS login, count(*) AS jobs,
          sum(j.images_count) AS images, sum(j.finished_images_count) AS finished,
          sum(j.accepted_images_count) AS accepted, sum(j.rejected_images_count) AS rejected
        FROM jobs j WHERE ${where.sql} GROUP BY j.assigned_to_id ORDER BY login, userId`)
        .all(...where.params) as { userId: number; login: string; jobs: number; images: number; finished: number; accepted: number; rejected: number }[];
    },
    createdPerDay(filter: JobFilter): { day: string; count: number }[] {
      const where = whereForFilter(filter);
      return db.prepare(`SELECT substr(j.created_at, 1, 10) AS day, count(*) AS count FROM jobs j
        WHERE ${where.sql} GROUP BY day ORDER BY day`).all(...where.params) as { day: string; count: number }[];
    },
  };
}

export type JobsRepo = ReturnType<typeof createJobsRepo>;
