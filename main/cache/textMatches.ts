// The jobs a search text matches (name or description), found in slices of ids, each in a turn of its own. One
// statement over a million jobs took 0.45-0.55 s for a common word or a 1-2 character text (1.1 s before the text
// index caught up), and held the worker, so the grid's windows and every other call, as long. Kept per text while
// the lead works with it: the ids a write touches are checked again on the next read, not the whole table.
import { timed, type Db } from './db';
import { TEXT_TESTS, TRIGRAM_MATCHES, textCondition, textSearchOf, textTest, type TextSearch } from './jobQuery';
import { nextTurn } from './turns';

/** a slice's target time: well inside a frame, so the worker answers the grid between two */
const SLICE_TARGET_MS = 6;
/** candidates of the trigram index a search reads at most; more, and it checks every row instead (a common text) */
const MANY_CANDIDATES = 50_000;
/** jobs the text index may lack before a search checks every row instead of the index's candidates */
const MANY_PENDING = 50_000;
/** ids checked at least in a slice */
const MIN_SLICE = 200;
/** texts kept (the lead types a few in a row; each holds its ids) */
const KEPT_TEXTS = 4;
/** more ids touched than this since a text's ids were found: found anew in slices (their check is one statement) */
const MAX_TOUCHED = 5_000;

interface Entry {
  /** matching ids, ascending; null while the first search runs */
  ids: Int32Array | null;
  /** ids written since the search began: checked again before the next read */
  touched: Set<number>;
  /** settles once `ids` is set */
  found: Promise<void>;
  /** a write touched too many ids while the search ran: it starts again */
  restart: boolean;
}

export interface TextMatchesOptions {
  /** a slice's target time (tests: 0, every slice of the fewest rows) */
  sliceTargetMs?: number;
  /** jobs the text index may lack before a search checks every row (MANY_PENDING) */
  manyPending?: number;
  /** candidates of the trigram index a search reads at most (MANY_CANDIDATES) */
  manyCandidates?: number;
}

/** the arrays one after the other, in one array */
function concatenated(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function createTextMatches(db: Db, log?: (line: string) => void, options: TextMatchesOptions = {}) {
  const sliceTargetMs = options.sliceTargetMs ?? SLICE_TARGET_MS;
  const manyPending = options.manyPending ?? MANY_PENDING;
  const manyCandidates = options.manyCandidates ?? MANY_CANDIDATES;
  const entries = new Map<string, Entry>();
  /** searches under way, oldest first */
  const running: Entry[] = [];
  // two reads: SQLite finds min() or max() alone at the end of the key, both in one query by a scan of every row
  const lowestStmt = db.prepare('SELECT min(id) FROM jobs').pluck();
  const highestStmt = db.prepare('SELECT max(id) FROM jobs').pluck();
  const manyPendingStmt = db.prepare('SELECT 1 FROM jobs_text_pending LIMIT 1 OFFSET ?').pluck();
  const candidatesStmt = db.prepare(`${TRIGRAM_MATCHES} LIMIT ?`).pluck();
  const pendingStmt = db.prepare('SELECT id FROM jobs_text_pending').pluck();
  /** a statement for each kind of search, around its test */
  const perKind = (around: (test: string) => string) => ({
    like: db.prepare(around(TEXT_TESTS.like)).pluck(),
    trigrams: db.prepare(around(TEXT_TESTS.trigrams)).pluck(),
  });
  const spanStmts = perKind((test) => `SELECT j.id FROM jobs j WHERE j.id BETWEEN ? AND ? AND ${test} ORDER BY j.id`);
  const checkStmts = perKind((test) => `SELECT j.id FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?)) AND ${test} ORDER BY j.id`);
  /** which of `ids` hold the text, ascending (the test itself, without the index) */
  const checked = (search: TextSearch, ids: ArrayLike<number>): number[] =>
    checkStmts[search.kind].all(JSON.stringify(Array.from(ids)), ...textTest(search).params) as number[];

  /** the slices of a search: each call checks about `size` ids (rows of an id span, or candidates) and says what it found */
  function slicesOf(search: TextSearch): { next: (size: number) => Int32Array; done: () => boolean } {
    // every row, by id span
    const bySpan = () => {
      const params = textTest(search).params;
      let from = (lowestStmt.get() as number | null) ?? 0;
      const top = (highestStmt.get() as number | null) ?? -1;
      return {
        next(size: number) {
          const to = Math.min(top, from + size - 1);
          const found = spanStmts[search.kind].all(from, to, ...params) as number[];
          from = to + 1;
          return Int32Array.from(found);
        },
        done: () => from > top,
      };
    };
    if (search.kind === 'like') return bySpan();
    // the text index far behind (a big pull just written): its candidates would be most rows, read in one statement
    if (manyPendingStmt.get(manyPending) !== undefined) return bySpan();
    // the index's candidates, with the few ids it lacks, then checked in slices; when they are many, every row instead
    // (read whole, a trigram in a quarter of a million names held the worker ~50 ms at 1M, most of it making the JS
    // array; read in parts, FTS5 walks its lists from the start to each part, 83 ms for the last of three trigrams)
    const read = candidatesStmt.all(search.query, manyCandidates) as number[];
    if (read.length === manyCandidates) return bySpan();
    const candidates = concatenated([Int32Array.from(read), Int32Array.from(pendingStmt.all() as number[])]).sort();
    let at = 0;
    return {
      next(size) {
        const slice = candidates.subarray(at, at + size);
        at += slice.length;
        return Int32Array.from(checked(search, slice));
      },
      done: () => at >= candidates.length,
    };
  }

  /**
   * every matching id, slice by slice, each sized to its target time, in a turn of its own. Only the newest search
   * takes slices: the lead typed on, and the grid shows the last text (three searches taking turns at 1M jobs
   * made the last one wait for all three).
   */
  async function search(text: string, entry: Entry): Promise<void> {
    running.push(entry);
    try {
      await searchSlices(text, entry);
    } finally {
      running.splice(running.indexOf(entry), 1);
    }
  }

  async function searchSlices(text: string, entry: Entry): Promise<void> {
    const how = textSearchOf(text);
    let parts: Int32Array[] = [];
    let slices: ReturnType<typeof slicesOf> | null = null;
    let size = MIN_SLICE; // grows fourfold a slice while slices stay short
    for (;;) {
      await nextTurn();
      const newest = running.at(-1)!;
      if (newest !== entry) {
        await newest.found.catch(() => undefined); // its failure is its caller's
        continue;
      }
      if (entry.restart || !slices) {
        entry.restart = false;
        entry.touched = new Set();
        parts = [];
        slices = slicesOf(how);
        continue;
      }
      if (slices.done()) break;
      const started = performance.now();
      parts.push(timed(log, `text search slice "${text}"`, () => slices!.next(size)));
      const ms = performance.now() - started;
      size = Math.max(MIN_SLICE, Math.min(size * 4, Math.round((size * sliceTargetMs) / Math.max(ms, 0.05))));
    }
    entry.ids = concatenated(parts);
  }

  /** `entry`'s ids with the touched ones checked again (a row written, added, gone or renumbered) */
  function refreshed(text: string, entry: Entry): Int32Array {
    const ids = entry.ids!;
    if (entry.touched.size === 0) return ids;
    const touched = Int32Array.from(entry.touched).sort();
    entry.touched = new Set();
    const holding = checked(textSearchOf(text), touched);
    // one walk of the three ascending lists: the ids kept, less the touched ones, with those that still match
    const out = new Int32Array(ids.length + holding.length);
    let k = 0;
    let t = 0;
    let h = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      while (t < touched.length && touched[t]! < id) t++;
      while (h < holding.length && holding[h]! < id) out[k++] = holding[h++]!;
      if (touched[t] !== id) out[k++] = id;
    }
    while (h < holding.length) out[k++] = holding[h++]!;
    entry.ids = out.slice(0, k);
    return entry.ids;
  }

  /** The ids `text` matches, ascending, when prepare() found and keeps them; else null. */
  function kept(text: string): Int32Array | null {
    const entry = entries.get(text);
    return entry?.ids ? refreshed(text, entry) : null;
  }

  return {
    /**
     * Resolves once the ids `text` matches are held, found in slices with the worker's other calls answered
     * between them. Await it before a read that asks matching() of the same text.
     */
    async prepare(text: string): Promise<void> {
      let entry = entries.get(text);
      if (entry) {
        entries.delete(text); // the most recently asked is kept longest
        entries.set(text, entry);
      } else {
        entry = { ids: null, touched: new Set(), found: Promise.resolve(), restart: true };
        entry.found = search(text, entry);
        entries.set(text, entry);
        // the oldest found go first; a search still running stays (a call waits for it)
        for (const [old, other] of entries) {
          if (entries.size <= KEPT_TEXTS) break;
          if (other.ids) entries.delete(old);
        }
      }
      if (entry.ids) return;
      await entry.found;
      await nextTurn(); // the caller's read in a turn of its own, not in the last slice's
    },
    kept,
    /** The ids `text` matches, ascending: from what prepare() found when it is held, else found at once. */
    matching(text: string): Int32Array | number[] {
      const held = kept(text);
      if (held) return held;
      const condition = textCondition(text);
      return db
        .prepare(`SELECT j.id FROM jobs j WHERE ${condition.sql} ORDER BY j.id`)
        .pluck()
        .all(...condition.params) as number[];
    },
    /** Jobs written (added, changed, deleted, renumbered): their text is checked again on the next read. */
    touch(ids: readonly number[]): void {
      for (const [text, entry] of entries) {
        for (const id of ids) entry.touched.add(id);
        if (entry.touched.size <= MAX_TOUCHED) continue;
        if (entry.ids)
          entries.delete(text); // found anew when next asked
        else entry.restart = true;
      }
    },
  };
}

export type TextMatches = ReturnType<typeof createTextMatches>;
