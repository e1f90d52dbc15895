// Rows a list skipped because they did not parse (one bad row is skipped, its page survives): counted per
// list with the first row's reason, so the Sync view can say "N rows skipped" per team instead of a log line.
// Kept in kv (one small JSON record per list). A complete read replaces its list's record (none skipped
// clears it); an incremental jobs read sees only changed rows, so it replaces the record only when it
// skipped some (an old bad row it did not see again is still unread).
import type { Cache } from '../../cache';
import type { SkippedRow } from '../../supervisely/schemas';

const KV_KEY = 'skipped_rows';

export interface SkippedRecord {
  count: number;
  /** the first skipped row's id and why it did not parse */
  reason: string;
  at: string;
}

const read = (cache: Cache): Record<string, SkippedRecord> => cache.kv.get<Record<string, SkippedRecord>>(KV_KEY, {});

/** The rows a read of `list` skipped (call inside the list's write transaction). */
export function recordSkipped(cache: Cache, list: string, rows: readonly SkippedRow[], at: string, complete: boolean): void {
  const all = read(cache);
  if (rows.length === 0) {
    if (!complete || !(list in all)) return;
    delete all[list];
  } else {
    const first = rows[0]!;
    const id = first.id === null ? 'without an id' : `with id ${JSON.stringify(first.id)}`;
    all[list] = { count: rows.length, reason: `The row ${id}: ${first.message}`, at };
  }
  cache.kv.set(KV_KEY, all);
}

/** The rows skipped by the last read of each list, by list key. */
export function skippedRows(cache: Cache): ({ list: string } & SkippedRecord)[] {
  return Object.entries(read(cache))
    .map(([list, r]) => ({ list, ...r }))
    .sort((a, b) => a.list.localeCompare(b.list));
}

/** The rows a list answer carries as skipped (every list of the client has them; a non-list has none). */
export function skippedOf(value: unknown): readonly SkippedRow[] | null {
  const skipped = (value as { skipped?: unknown } | null)?.skipped;
  return Array.isArray(skipped) ? (skipped as SkippedRow[]) : null;
}
