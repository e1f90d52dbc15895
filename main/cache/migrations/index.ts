// The ordered list of cache schema migrations; position + 1 = the `user_version` it produces.
import type Database from 'better-sqlite3';
import { migration001Initial } from './001_initial';
import { migration002JobTextSearch } from './002_job_text_search';
import { migration003CoveringGridIndexes } from './003_covering_grid_indexes';
import { migration004JobFingerprint } from './004_job_fingerprint';
import { migration005IdRemaps } from './005_id_remaps';
import { migration006LeanJobIndexes } from './006_lean_job_indexes';
import { migration007LeanJobsAndHistory } from './007_lean_jobs_and_history';
import { migration008LabelingQueues } from './008_labeling_queues';
import { migration009DeferredTextIndex } from './009_deferred_text_index';
import { migration010TrimmedBatchCounts } from './010_trimmed_batch_counts';
import { migration011BatchStateIndex } from './011_batch_state_index';
import { migration012OutboxCounts } from './012_outbox_counts';

export type Migration = (db: Database.Database) => void;

export const MIGRATIONS: readonly Migration[] = [
  migration001Initial,
  migration002JobTextSearch,
  migration003CoveringGridIndexes,
  migration004JobFingerprint,
  migration005IdRemaps,
  migration006LeanJobIndexes,
  migration007LeanJobsAndHistory,
  migration008LabelingQueues,
  migration009DeferredTextIndex,
  migration010TrimmedBatchCounts,
  migration011BatchStateIndex,
  migration012OutboxCounts,
];
