// The cache's public module: opens the SQLite file (openCheckedCache: after the integrity check of
// integrity.ts) and hands out one repository per table group. Other rooms reach the database only
// through this object.
import { commitWeight, createCheckpointer } from './checkpoint';
import { openDatabase, type Db } from './db';
import { checkCacheFile, requeueRescued } from './integrity';
import type { ReportProblem } from '../files/broken-files';
import { createCatalogRepo } from './catalog';
import { createHistoryRepo } from './history';
import { createJobsRepo } from './jobs';
import type { TextIndexOptions } from './textIndex';
import type { SortIndexOptions } from './sortIndex';
import type { TextMatchesOptions } from './textMatches';
import { createKvRepo } from './kv';
import { createOutboxRepo } from './outbox';
import { createPresetsRepo } from './presets';
import { createQueuesRepo } from './queues';
import { createRemapsRepo } from './remaps';
import { createSyncStateRepo } from './syncState';
import { createTemplatesRepo } from './templates';
import { createUsersRepo } from './users';
import { nextTurn } from './turns';
import { createWatchesRepo } from './watches';

export type { Db } from './db';
export type { JobRecord, StoredJob } from './jobs';
export { recordFromServer } from './jobs';
export type { StoredMutation, QueuedMutation, NewMutation } from './outbox';
export type { HistoryEntry } from './history';
export { createChunkSizer, type ChunkSizer } from './chunkSizer';

export function openCache(
  file: string,
  options: {
    log?: (line: string) => void;
    textIndex?: Pick<TextIndexOptions, 'quietMs' | 'maxChunk' | 'targetMs' | 'manual'>;
    sortIndex?: SortIndexOptions;
    textSearch?: TextMatchesOptions;
  } = {},
) {
  const db: Db = openDatabase(file, options);
  const outbox = createOutboxRepo(db);
  const checkpointer = createCheckpointer(file);
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const log = options.log;
  const checkpointFailed = (err: unknown) => log?.(`cache: background checkpoint failed: ${String(err)}`);
  /** a checkpoint now, its failure logged (one cut short by close() is none: the next open checkpoints) */
  const checkpointLogged = (): Promise<void> =>
    checkpointer.now().then(
      () => undefined,
      (err: unknown) => {
        if (db.open) checkpointFailed(err);
      },
    );
  const kv = createKvRepo(db);
  const jobs = createJobsRepo(
    db,
    options.log,
    outbox.generation,
    {
      ...options.textIndex,
      // the catch-up's commits count toward the background checkpoints like the cache's own; it waits for them
      afterCommit: () => {
        checkpointer.afterCommit(checkpointFailed);
        return checkpointer.writerTurn(checkpointFailed);
      },
      beforeRun: checkpointLogged,
    },
    options.sortIndex,
    options.textSearch,
  );
  return {
    db,
    file,
    catalog: createCatalogRepo(db),
    users: createUsersRepo(db),
    jobs,
    history: createHistoryRepo(db),
    outbox,
    syncState: createSyncStateRepo(db),
    kv,
    watches: createWatchesRepo(db),
    presets: createPresetsRepo(db),
    templates: createTemplatesRepo(kv),
    remaps: createRemapsRepo(db),
    queues: createQueuesRepo(db, () => jobs.queueNamesChanged()),
    /** runs `fn` in one transaction (nested calls become savepoints); long writes checkpoint in the background */
    transaction<T>(fn: () => T): T {
      if (db.inTransaction) return db.transaction(fn)();
      const before = totalChanges.get() as number;
      const result = db.transaction(fn)();
      checkpointer.afterCommit(checkpointFailed, commitWeight((totalChanges.get() as number) - before));
      return result;
    },
    /** Between the transactions of a long write: lets the loop run, and keeps the WAL short (checkpointer.writerTurn). */
    async writePause(): Promise<void> {
      await nextTurn();
      await checkpointer.writerTurn(checkpointFailed);
    },
    /** copy the WAL back into the file from a worker thread (after bulk writes) */
    checkpoint() {
      return checkpointer.now();
    },
    /** the same, not awaited: a failure is logged (the file stays whole; the next checkpoint copies the WAL back) */
    checkpointInBackground(): void {
      void checkpointLogged();
    },
    /** resolves once no background checkpoint still has the file open (await it before close) */
    async backgroundWorkDone(): Promise<void> {
      await checkpointer.done();
    },
    close(): void {
      checkpointer.close();
      if (db.open) db.close();
    },
  };
}

export type Cache = ReturnType<typeof openCache>;

/** Opens `file` once it passed the integrity check; a damaged one was replaced, its readable queue kept. */
export async function openCheckedCache(
  file: string,
  options: { log?: (line: string) => void; report: ReportProblem; timeoutMs?: number },
): Promise<Cache> {
  const rescued = await checkCacheFile(file, options);
  const cache = openCache(file, options.log ? { log: options.log } : {});
  requeueRescued(cache.db, rescued);
  return cache;
}
