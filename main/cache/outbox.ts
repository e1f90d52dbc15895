// The outbox table: queued mutations with their state, attempts, last error, batch, the jobs they
// touch (outbox_jobs) and a before-image for discard. Mutation ids come from AUTOINCREMENT, so
// they only ever grow and are never reused, even after the done log is trimmed.
import type { OutboxItem, OutboxState } from '#shared/contract';
import type { Db } from './db';

export interface StoredMutation {
  id: number;
  kind: string;
  payload: string;
  summary: string;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  batch_id: string | null;
  created_at: string;
  updated_at: string;
  next_attempt_at: number;
  sent_at: string | null;
  result: string | null;
  before_image: string | null;
}

/** An item as the push loop reads it: without its before-image and result, which it never needs (a page is read per send). */
export type QueuedMutation = Omit<StoredMutation, 'before_image' | 'result'>;

export interface NewMutation {
  kind: string;
  payload: unknown;
  summary: string;
  batchId: string | null;
  jobIds: readonly number[];
  beforeImage?: unknown;
}

export const DONE_LOG_SIZE = 5000;
/** batches whose trimmed done changes are still counted (the page follows the last five) */
const TRIMMED_BATCHES = 1000;

/** A server job that may be what a needs_checking create made. */
export type Candidate = NonNullable<OutboxItem['candidates']>[number];

export function createOutboxRepo(db: Db) {
  const trimmedStmt = db.prepare('SELECT done FROM outbox_trimmed WHERE batch_id = ?').pluck();
  const insert = db.prepare(`INSERT INTO outbox (kind, payload, summary, batch_id, created_at, updated_at, before_image)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const link = db.prepare('INSERT OR IGNORE INTO outbox_jobs (mutation_id, job_id) VALUES (?, ?)');
  const jobIdsOf = db.prepare('SELECT job_id FROM outbox_jobs WHERE mutation_id = ? ORDER BY job_id').pluck();
  const queuedColumns = `id, kind, payload, summary, state, attempts, last_error, batch_id, created_at, updated_at, next_attempt_at,
    sent_at`;
  const unsentAfterStmt = db.prepare(
    `SELECT ${queuedColumns} FROM outbox WHERE id > ? AND state IN ('pending','sending') ORDER BY id LIMIT ?`,
  );
  const blockingRefusedStmt = db.prepare(`SELECT ${queuedColumns} FROM outbox
    WHERE state = 'needs_checking' OR (state IN ('failed','conflict') AND kind IN (SELECT value FROM json_each(?))) ORDER BY id`);
  const someStmt = db.prepare(`SELECT id, kind, payload, state, before_image FROM outbox WHERE id IN (SELECT value FROM json_each(?))
    ORDER BY id`);
  const jobIdsOfSomeStmt = db.prepare(`SELECT mutation_id, job_id FROM outbox_jobs WHERE mutation_id IN (SELECT value FROM json_each(?))
    ORDER BY mutation_id, job_id`);
  const deleteSomeStmt = db.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))');
  const mentioningStmt = db.prepare(`SELECT id, kind, payload FROM outbox WHERE state != 'done' AND instr(payload, ?) > 0 ORDER BY id`);
  const nextDueStmt = db.prepare(`SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' AND next_attempt_at > ?`).pluck();
  const getStmt = db.prepare('SELECT * FROM outbox WHERE id = ?');
  const pendingOfBatch = db.prepare(`SELECT id FROM outbox WHERE batch_id = ? AND state = 'pending' ORDER BY id`).pluck();
  // one statement for a pull's whole chunk: a statement per job was ~9% of a first pull's CPU (bench:sync profile)
  const openAmong = db
    .prepare(
      `SELECT DISTINCT t.job_id FROM json_each(?) j
        JOIN outbox_jobs t ON t.job_id = j.value JOIN outbox o ON o.id = t.mutation_id
        WHERE o.state IN ('pending','sending') OR o.updated_at >= ?`,
    )
    .pluck();
  const firstSendingStmt = db
    .prepare(`SELECT o.id FROM json_each(?) j JOIN outbox o ON o.id = j.value WHERE o.state = 'sending' LIMIT 1`)
    .pluck();
  const setState = db.prepare(`UPDATE outbox SET state = @state, last_error = @error, updated_at = @at,
    next_attempt_at = @next WHERE id = @id`);
  // prepared once, here: a prepare costs ~20 µs, four times the run of the statement it makes (an item's send runs two)
  const forJobStmt = db.prepare(`SELECT o.* FROM outbox o JOIN outbox_jobs t ON t.mutation_id = o.id WHERE t.job_id = ? ORDER BY o.id`);
  const markSendingStmt = db.prepare(`UPDATE outbox SET state = 'sending', attempts = attempts + 1, sent_at = coalesce(sent_at, ?),
    updated_at = ? WHERE id = ? AND state = 'pending'`);
  const markDoneStmt = db.prepare(`UPDATE outbox SET state = 'done', last_error = NULL, result = ?, updated_at = ?, before_image = NULL
    WHERE id = ?`);
  const needsCheckingStmt = db.prepare(`UPDATE outbox SET state = 'needs_checking', last_error = ?, result = ?, updated_at = ?,
    next_attempt_at = 0 WHERE id = ?`);
  const restartStmt = db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, sent_at = NULL, last_error = NULL, result = NULL,
    next_attempt_at = 0, updated_at = ? WHERE id = ? AND state = 'needs_checking'`);
  const setPayloadStmt = db.prepare('UPDATE outbox SET payload = ? WHERE id = ?');
  const setBeforeImageStmt = db.prepare('UPDATE outbox SET before_image = ? WHERE id = ?');
  const retryStmt = db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = 0, last_error = NULL, updated_at = ?
    WHERE id = ? AND state IN ('failed','conflict')`);
  // kept by triggers (schema 12), a row per batch and state: read several times a second during a bulk run
  const countsStmt = db.prepare(`SELECT sum(n * (state IN ('pending','sending'))) AS pending,
    sum(n * (state IN ('failed','conflict','needs_checking'))) AS problems FROM outbox_counts`);
  const batchStatesStmt = db.prepare(`SELECT state, n FROM outbox_counts WHERE batch_id = ?`);

  /** The jobs each of items `ids` touches. */
  const jobIdsOfSome = (ids: readonly number[]): Map<number, number[]> => {
    const byItem = new Map<number, number[]>();
    for (const { mutation_id, job_id } of jobIdsOfSomeStmt.all(JSON.stringify(ids)) as { mutation_id: number; job_id: number }[]) {
      let jobIds = byItem.get(mutation_id);
      if (!jobIds) byItem.set(mutation_id, (jobIds = []));
      jobIds.push(job_id);
    }
    return byItem;
  };
  /** an item as the UI sees it; `jobIds` when they were read for a whole list at once */
  const toItem = (m: Omit<StoredMutation, 'before_image'>, jobIds?: number[]): OutboxItem => ({
    id: m.id,
    kind: m.kind,
    summary: m.summary,
    state: m.state,
    attempts: m.attempts,
    lastError: m.last_error,
    jobIds: jobIds ?? (jobIdsOf.all(m.id) as number[]),
    batchId: m.batch_id,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    ...(m.state === 'needs_checking' && m.result ? { candidates: (JSON.parse(m.result) as { candidates: Candidate[] }).candidates } : {}),
  });

  // Bumped by every write: the jobs grid's "only pending" lists depend on it.
  let generation = 0;
  return {
    toItem,
    generation: () => generation,
    enqueue(m: NewMutation, at: string): number {
      generation++;
      const id = Number(
        insert.run(
          m.kind,
          JSON.stringify(m.payload),
          m.summary,
          m.batchId,
          at,
          at,
          m.beforeImage === undefined ? null : JSON.stringify(m.beforeImage),
        ).lastInsertRowid,
      );
      for (const jobId of m.jobIds) link.run(id, jobId);
      return id;
    },
    get(id: number): StoredMutation | null {
      return (getStmt.get(id) as StoredMutation | undefined) ?? null;
    },
    /** The changes of batch `batchId` not sent yet (pending), oldest first. */
    pendingIds(batchId: string): number[] {
      return pendingOfBatch.all(batchId) as number[];
    },
    /** Items `ids` (those that exist), oldest first, with what a discard needs of them: one statement for a slice. */
    some(ids: readonly number[]): Pick<StoredMutation, 'id' | 'kind' | 'payload' | 'state' | 'before_image'>[] {
      return someStmt.all(JSON.stringify(ids)) as Pick<StoredMutation, 'id' | 'kind' | 'payload' | 'state' | 'before_image'>[];
    },
    jobIdsOfSome,
    jobIds(id: number): number[] {
      return jobIdsOf.all(id) as number[];
    },
    list(options: { states?: readonly OutboxState[]; batchId?: string; limit: number }): OutboxItem[] {
      const parts: string[] = ['1'];
      const params: unknown[] = [];
      if (options.states?.length) {
        parts.push(`state IN (${options.states.map(() => '?').join(',')})`);
        params.push(...options.states);
      }
      if (options.batchId) {
        parts.push('batch_id = ?');
        params.push(options.batchId);
      }
      // without the before-images, and the jobs of the whole page in one statement: 5,000 refused changes, a bulk
      // run's problems, took ~70 ms
      const items = db
        .prepare(`SELECT ${queuedColumns}, result FROM outbox WHERE ${parts.join(' AND ')} ORDER BY id DESC LIMIT ?`)
        .all(...params, options.limit) as Omit<StoredMutation, 'before_image'>[];
      const jobIds = jobIdsOfSome(items.map((m) => m.id));
      return items.map((m) => toItem(m, jobIds.get(m.id) ?? []));
    },
    forJob(jobId: number): OutboxItem[] {
      return (forJobStmt.all(jobId) as StoredMutation[]).map((m) => toItem(m));
    },
    /** Every item not yet done, oldest first, whole (tests and trials read the queue with it; the push loop pages it). */
    unfinished(): StoredMutation[] {
      return db.prepare(`SELECT * FROM outbox WHERE state != 'done' ORDER BY id`).all() as StoredMutation[];
    },
    /** The items not sent yet or on the wire after `afterId`, oldest first, at most `limit` (read a page at a time). */
    unsentAfter(afterId: number, limit: number): QueuedMutation[] {
      return unsentAfterStmt.all(afterId, limit) as QueuedMutation[];
    },
    /**
     * The refused items that can hold others back, oldest first: those waiting for the user's check, and refused ones of
     * `createKinds` (what refers to the local id they would have made waits). A failed archive holds nothing back.
     */
    blockingRefused(createKinds: readonly string[]): QueuedMutation[] {
      return blockingRefusedStmt.all(JSON.stringify(createKinds)) as QueuedMutation[];
    },
    /**
     * The unfinished items whose payload holds `text` (a local id, as JSON writes it): those a remap may rewrite, found
     * by SQLite instead of parsing every queued payload per create answered.
     */
    unfinishedMentioning(text: string): Pick<StoredMutation, 'id' | 'kind' | 'payload'>[] {
      return mentioningStmt.all(text) as Pick<StoredMutation, 'id' | 'kind' | 'payload'>[];
    },
    /** When the first pending item waiting out its backoff is due (epoch ms), if any waits after `nowMs`. */
    nextAttemptAfter(nowMs: number): number | null {
      return (nextDueStmt.get(nowMs) as number | null) ?? null;
    },
    /** Jobs with a pending/sending item, or (with `changedSince`) one that resolved since then. */
    openJobIds(jobIds: readonly number[], changedSince?: string): Set<number> {
      return new Set(openAmong.all(JSON.stringify(jobIds), changedSince ?? '9999') as number[]);
    },
    /** The first of `ids` that may be on the wire right now (state sending), if any: one statement for a slice. */
    firstSending(ids: readonly number[]): number | undefined {
      return firstSendingStmt.get(JSON.stringify(ids)) as number | undefined;
    },
    /**
     * Commits "this request may be on the wire" before it is sent (the exactly-once rule); false when the item is no
     * longer pending (discarded while a check before its send was on the wire): then it is not sent.
     */
    markSending(id: number, at: string): boolean {
      generation++;
      return markSendingStmt.run(at, at, id).changes > 0;
    },
    markDone(id: number, result: unknown, at: string): void {
      generation++;
      markDoneStmt.run(result === undefined ? null : JSON.stringify(result), at, id);
    },
    markPending(id: number, error: string | null, nextAttemptAt: number, at: string): void {
      generation++;
      setState.run({ id, state: 'pending', error, at, next: nextAttemptAt });
    },
    markProblem(id: number, state: 'failed' | 'conflict', error: string, at: string): void {
      generation++;
      setState.run({ id, state, error, at, next: 0 });
    },
    /** A create whose outcome cannot be proven: it waits, with the jobs it may have made, for the user. */
    markNeedsChecking(id: number, error: string, candidates: readonly Candidate[], at: string): void {
      generation++;
      needsCheckingStmt.run(error, JSON.stringify({ candidates }), at, id);
    },
    /** "Send it again": as if never sent (no reconcile; its spec records what exists before the send). */
    restart(id: number, at: string): boolean {
      generation++;
      return restartStmt.run(at, id).changes > 0;
    },
    setPayload(id: number, payload: unknown): void {
      setPayloadStmt.run(JSON.stringify(payload), id);
    },
    /** What its discard restores the job to (an earlier change of the job was discarded: the job is not as it was). */
    setBeforeImage(id: number, beforeImage: unknown): void {
      setBeforeImageStmt.run(beforeImage == null ? null : JSON.stringify(beforeImage), id);
    },
    /** After a restart nothing is on the wire any more: those items go back to pending (attempts kept). */
    requeueSending(at: string): number {
      generation++;
      return db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = 0, updated_at = ? WHERE state = 'sending'`).run(at).changes;
    },
    /** Back online or sync.now: queued items stop waiting out the backoff of their failed attempts. */
    sendPendingNow(): number {
      generation++;
      return db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending' AND next_attempt_at > 0`).run().changes;
    },
    /** The refused items (failed or conflict), of one batch or of all: a list page holds only some of them. */
    refusedIds(batchId?: string): number[] {
      const sql = `SELECT id FROM outbox WHERE state IN ('failed','conflict')${batchId ? ' AND batch_id = ?' : ''} ORDER BY id`;
      return db
        .prepare(sql)
        .pluck()
        .all(...(batchId ? [batchId] : [])) as number[];
    },
    retry(ids: readonly number[], at: string): number[] {
      generation++;
      return ids.filter((id) => retryStmt.run(at, id).changes > 0);
    },
    deleteSome(ids: readonly number[]): void {
      generation++;
      deleteSomeStmt.run(JSON.stringify(ids));
    },
    changeJobId(localId: number, serverId: number): void {
      generation++;
      db.prepare('UPDATE OR IGNORE outbox_jobs SET job_id = ? WHERE job_id = ?').run(serverId, localId);
      db.prepare('DELETE FROM outbox_jobs WHERE job_id = ?').run(localId);
    },
    counts(): { pending: number; problems: number } {
      const r = countsStmt.get() as { pending: number | null; problems: number | null };
      return { pending: r.pending ?? 0, problems: r.problems ?? 0 };
    },
    batchProgress(batchId: string): { done: number; failed: number; total: number } {
      // its done changes the log's trim removed count too
      const trimmed = (trimmedStmt.get(batchId) as number | undefined) ?? 0;
      const p = { total: trimmed, done: trimmed, failed: 0 };
      for (const { state, n } of batchStatesStmt.all(batchId) as { state: OutboxState; n: number }[]) {
        p.total += n;
        if (state === 'done') p.done += n;
        else if (state === 'failed' || state === 'conflict' || state === 'needs_checking') p.failed += n;
      }
      return p;
    },
    /**
     * Keeps the last DONE_LOG_SIZE done items as a log; older ones go, each batch's count of them kept (its progress
     * still adds up: a run of 5,771 read "5,000 succeeded" after a trim), for the newest TRIMMED_BATCHES batches.
     */
    trimDone(keep = DONE_LOG_SIZE): number {
      generation++;
      const old = `state = 'done' AND id NOT IN (SELECT id FROM outbox WHERE state = 'done' ORDER BY id DESC LIMIT ?)`;
      return db.transaction(() => {
        db.prepare(
          `INSERT INTO outbox_trimmed (batch_id, done) SELECT batch_id, count(*) FROM outbox WHERE ${old} AND batch_id IS NOT NULL
          GROUP BY batch_id ON CONFLICT (batch_id) DO UPDATE SET done = done + excluded.done`,
        ).run(keep);
        db.prepare(`DELETE FROM outbox_trimmed WHERE rowid NOT IN (SELECT rowid FROM outbox_trimmed ORDER BY rowid DESC LIMIT ?)`).run(
          TRIMMED_BATCHES,
        );
        return db.prepare(`DELETE FROM outbox WHERE ${old}`).run(keep).changes;
      })();
    },
  };
}

export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
