// Every write to the jobs table: server upserts (rows whose server copy did not change are skipped by
// SQLite itself), entities, optimistic patches, restores, id changes. Statements are prepared once
// per repository and bound by position; `onWrite` tells the reads that their snapshots are stale.
import type { JobEntity } from '../supervisely/types';
import type { Db } from './db';
import { RECORD_KEYS, type JobRecord, type StoredJob } from './jobMapping';

export type JobPatch = Partial<
  Pick<
    StoredJob,
    | 'status'
    | 'disabled'
    | 'removing'
    | 'removed_at'
    | 'stale'
    | 'updated_at'
    | 'assigned_to_id'
    | 'assigned_to_login'
    | 'reviewer_id'
    | 'reviewer_login'
  >
>;

const PATCHABLE = [
  'status',
  'disabled',
  'removing',
  'removed_at',
  'stale',
  'updated_at',
  'assigned_to_id',
  'assigned_to_login',
  'reviewer_id',
  'reviewer_login',
] as const satisfies readonly (keyof JobPatch)[];

export function createJobWrites(db: Db, onWrite: () => void) {
  const values = (r: JobRecord) => RECORD_KEYS.map((k) => r[k]);
  const insertSql = `INSERT INTO jobs (${RECORD_KEYS.join(', ')}) VALUES (${RECORD_KEYS.map(() => '?').join(', ')})
     ON CONFLICT(id) DO UPDATE SET ${RECORD_KEYS.filter((k) => k !== 'id')
       .map((k) => `${k} = excluded.${k}`)
       .join(', ')},
       removed_at = NULL, stale = 0, removing = 0`;
  // A server copy whose fingerprint is already stored changes nothing unless a patch (the only other
  // writer of these columns) moved the row away from it: skipping it spares every index and the text index.
  const upsertStmt = db.prepare(`${insertSql}
     WHERE excluded.server_fingerprint IS NULL OR jobs.server_fingerprint IS NOT excluded.server_fingerprint
       OR jobs.status IS NOT excluded.status OR jobs.disabled IS NOT excluded.disabled
       OR jobs.updated_at IS NOT excluded.updated_at
       OR jobs.removed_at IS NOT NULL OR jobs.stale = 1 OR jobs.removing = 1`);
  const overwriteStmt = db.prepare(insertSql);
  const deleteEntities = db.prepare('DELETE FROM job_entities WHERE job_id = ?');
  const insertEntity = db.prepare('INSERT INTO job_entities (job_id, image_id, name, review_status) VALUES (?, ?, ?, ?)');
  const markFetched = db.prepare('UPDATE jobs SET entities_fetched = 1 WHERE id = ?');
  const deleteStmt = db.prepare('DELETE FROM jobs WHERE id = ?');
  const renumberStmt = db.prepare('UPDATE jobs SET id = ?, local = 0 WHERE id = ?');
  const reassignStmt = db.prepare('UPDATE jobs SET assigned_to_id = ? WHERE assigned_to_id = ?');
  const rereviewStmt = db.prepare('UPDATE jobs SET reviewer_id = ? WHERE reviewer_id = ?');
  const markStaleStmt = db.prepare('UPDATE jobs SET stale = 1 WHERE id = ?');
  const reviewStmt = db.prepare('UPDATE job_entities SET review_status = ? WHERE job_id = ? AND image_id = ?');
  const recountStmt = db.prepare(`UPDATE jobs SET
    accepted_images_count = (SELECT count(*) FROM job_entities WHERE job_id = @id AND review_status = 'accepted'),
    rejected_images_count = (SELECT count(*) FROM job_entities WHERE job_id = @id AND review_status = 'rejected'),
    finished_images_count = (SELECT count(*) FROM job_entities WHERE job_id = @id AND review_status IN ('done', 'accepted', 'rejected'))
    WHERE id = @id AND entities_fetched = 1`);
  /** what a restore puts back: the record's columns and the local flags a queued change may have moved */
  const restored = [...RECORD_KEYS.filter((k) => k !== 'id'), 'removing', 'removed_at'] as const;
  const restoredRowStmt = db.prepare(`SELECT ${restored.join(', ')} FROM jobs WHERE id = ?`);
  /** one UPDATE per set of columns, made on first use */
  const setStmts = new Map<string, ReturnType<Db['prepare']>>();
  const setColumns = (id: number, keys: readonly string[], columnValues: readonly unknown[]) => {
    const shape = keys.join(',');
    let stmt = setStmts.get(shape);
    if (!stmt) {
      stmt = db.prepare(`UPDATE jobs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`);
      setStmts.set(shape, stmt);
    }
    stmt.run([...columnValues, id]);
  };

  const writes = {
    /** Inserts or overwrites jobs; entities are replaced only when the info carries them. */
    upsert(records: readonly JobRecord[], entitiesById?: ReadonlyMap<number, JobEntity[]>): void {
      onWrite();
      for (const r of records) {
        upsertStmt.run(values(r));
        const entities = entitiesById?.get(r.id);
        if (entities) writes.setEntities(r.id, entities);
      }
    },
    setEntities(jobId: number, entities: readonly JobEntity[]): void {
      onWrite();
      deleteEntities.run(jobId);
      for (const e of entities) insertEntity.run(jobId, e.id, e.name, e.reviewStatus);
      markFetched.run(jobId);
    },
    /** One image's review status, and the job's counts recomputed from its images (finished = done, accepted or rejected). */
    setReviewStatus(jobId: number, imageId: number, status: string): void {
      onWrite();
      reviewStmt.run(status, jobId, imageId);
      recountStmt.run({ id: jobId });
    },
    /** Optimistic or server-observed change of some columns. */
    patch(id: number, changes: JobPatch): void {
      onWrite();
      const keys = PATCHABLE.filter((k) => k in changes);
      if (keys.length > 0)
        setColumns(
          id,
          keys,
          keys.map((k) => changes[k]),
        );
    },
    /**
     * Restores a row as it was (discard of a queued change), flagged stale. Only the columns that differ are written:
     * undoing an archive moves the entries of the indexes on `disabled`, not of all eighteen (a whole-row overwrite was
     * half of a Cancel's cost). A column the snapshot lacks (taken by an older version) keeps its value.
     */
    restore(snapshot: StoredJob): void {
      onWrite();
      const now = restoredRowStmt.get(snapshot.id) as Record<string, unknown> | undefined;
      if (!now) {
        overwriteStmt.run(values(snapshot)); // removed meanwhile: back as it was
        setColumns(snapshot.id, ['removing', 'removed_at', 'stale'], [snapshot.removing, snapshot.removed_at, 1]);
        return;
      }
      const was = snapshot as unknown as Record<string, unknown>;
      const keys = restored.filter((k) => was[k] !== undefined && was[k] !== now[k]);
      setColumns(snapshot.id, [...keys, 'stale'], [...keys.map((k) => was[k]), 1]);
    },
    delete(id: number): void {
      onWrite();
      deleteStmt.run(id);
    },
    /** Moves a job (and what hangs off it by foreign key) from a local id to its server id. */
    changeId(localId: number, serverId: number): void {
      onWrite();
      deleteStmt.run(serverId);
      renumberStmt.run(serverId, localId);
    },
    /** A user created offline got its server id: jobs still assigned to (or reviewed by) the local id follow it. */
    changeUserId(localId: number, serverId: number): void {
      onWrite();
      reassignStmt.run(serverId, localId);
      rereviewStmt.run(serverId, localId);
    },
    markStale(ids: readonly number[]): void {
      onWrite();
      for (const id of ids) markStaleStmt.run(id);
    },
  };
  return writes;
}
