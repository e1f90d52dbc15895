// An immutable set of job ids that holds a million without expanding or copying them per click: a base
// of runs of consecutive ids (select all matching: the core's id runs as they were parsed, a few
// thousand numbers for a million dense ids) plus small sets of ids added to it and removed from it.
// Every change returns a new IdSet sharing the base, which is what lets a `$state.raw` selection stay
// reactive; when the small sets grow large they are folded into a new base.
import { runsOfSorted, type IdRuns } from '#shared/idRuns';

/** past this many added or removed ids, a change builds a new base instead of copying the small sets */
const FOLD_AT = 4096;

const NO_RUNS: IdRuns = { starts: new Int32Array(0), lengths: new Int32Array(0), count: 0 };

/** Index of the run holding `id`, or -1 (binary search over the run starts). */
function runOf(runs: IdRuns, id: number): number {
  const { starts, lengths } = runs;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= id) lo = mid + 1;
    else hi = mid - 1;
  }
  // hi: the last run starting at or before id
  return hi >= 0 && id - starts[hi]! < lengths[hi]! ? hi : -1;
}

export class IdSet implements Iterable<number> {
  static readonly empty = new IdSet(NO_RUNS, new Set(), new Set());

  /** `runs`: the base; `added`: ids not in it; `removed`: ids in it */
  private constructor(
    private readonly runs: IdRuns,
    private readonly added: ReadonlySet<number>,
    private readonly removed: ReadonlySet<number>,
  ) {}

  /** From parsed id runs (kept as they are: the caller hands them over). */
  static fromRuns(runs: IdRuns): IdSet {
    return runs.count === 0 ? IdSet.empty : new IdSet(runs, new Set(), new Set());
  }

  /** From ascending, distinct ids. */
  static fromSorted(sorted: ArrayLike<number>): IdSet {
    return IdSet.fromRuns(runsOfSorted(sorted));
  }

  /** From ids in any order, repeats allowed. */
  static of(ids: Iterable<number>): IdSet {
    return IdSet.fromSorted(Int32Array.from(new Set(ids)).sort());
  }

  get size(): number {
    return this.runs.count - this.removed.size + this.added.size;
  }

  has(id: number): boolean {
    if (this.added.has(id)) return true;
    return !this.removed.has(id) && runOf(this.runs, id) >= 0;
  }

  /** This set with `ids` in it; itself when nothing changes. */
  with(ids: Iterable<number>): IdSet {
    let added: Set<number> | null = null;
    let removed: Set<number> | null = null;
    for (const id of ids) {
      if ((removed ?? this.removed).has(id)) {
        // a removed id is in the base: it is back by no longer being removed
        removed ??= new Set(this.removed);
        removed.delete(id);
      } else if (!(added ?? this.added).has(id) && runOf(this.runs, id) < 0) {
        added ??= new Set(this.added);
        added.add(id);
      }
    }
    if (!added && !removed) return this;
    return new IdSet(this.runs, added ?? this.added, removed ?? this.removed).folded();
  }

  /** This set without `ids`; itself when nothing changes. */
  without(ids: Iterable<number>): IdSet {
    let added: Set<number> | null = null;
    let removed: Set<number> | null = null;
    for (const id of ids) {
      if ((added ?? this.added).has(id)) {
        added ??= new Set(this.added);
        added.delete(id);
      } else if (!(removed ?? this.removed).has(id) && runOf(this.runs, id) >= 0) {
        removed ??= new Set(this.removed);
        removed.add(id);
      }
    }
    if (!added && !removed) return this;
    return new IdSet(this.runs, added ?? this.added, removed ?? this.removed).folded();
  }

  /** The ids also in `listed`, and how many were not; itself when none leaves. */
  keepOnly(listed: IdSet): { kept: IdSet; dropped: number } {
    const kept = this.size * 20 < listed.size ? this.lookedUpIn(listed) : this.intersectRuns(listed);
    const dropped = this.size - kept.size;
    return dropped === 0 ? { kept: this, dropped: 0 } : { kept, dropped };
  }

  /** a few selected among many listed: each one looked up */
  private lookedUpIn(listed: IdSet): IdSet {
    const out: number[] = [];
    this.forEach((id) => {
      if (listed.has(id)) out.push(id);
    });
    return IdSet.fromSorted(out);
  }

  /**
   * Comparable sizes (select all, then the list changed): the two bases' runs intersected run by run,
   * so a million ids cost their few thousand runs, then the small sets of both sides applied.
   */
  private intersectRuns(listed: IdSet): IdSet {
    const a = this.runs;
    const b = listed.runs;
    const starts: number[] = [];
    const lengths: number[] = [];
    let count = 0;
    for (let i = 0, j = 0; i < a.starts.length && j < b.starts.length;) {
      const aEnd = a.starts[i]! + a.lengths[i]!; // exclusive
      const bEnd = b.starts[j]! + b.lengths[j]!;
      const lo = Math.max(a.starts[i]!, b.starts[j]!);
      const hi = Math.min(aEnd, bEnd);
      if (lo < hi) {
        starts.push(lo);
        lengths.push(hi - lo);
        count += hi - lo;
      }
      if (aEnd <= bEnd) i++;
      else j++;
    }
    const runs: IdRuns = { starts: Int32Array.from(starts), lengths: Int32Array.from(lengths), count };
    const added = new Set<number>();
    const removed = new Set<number>();
    // this side: its added ids stay if listed; its removed ids stay removed where the new base holds them
    for (const id of this.added) if (listed.has(id)) added.add(id);
    for (const id of this.removed) if (runOf(runs, id) >= 0) removed.add(id);
    // listed side: ids it removed from its base leave; ids it added stay where this set holds them
    for (const id of listed.removed) if (runOf(runs, id) >= 0) removed.add(id);
    for (const id of listed.added) if (this.has(id) && runOf(runs, id) < 0) added.add(id);
    return new IdSet(runs, added, removed).folded();
  }

  /** How many of `other`'s ids are here, walking the smaller of the two. */
  countIn(other: ReadonlySet<number>): number {
    let n = 0;
    if (other.size <= this.size) {
      for (const id of other) if (this.has(id)) n++;
    } else {
      this.forEach((id) => {
        if (other.has(id)) n++;
      });
    }
    return n;
  }

  /** Calls `fn` with every id, ascending (plain loops: no iterator object per id). */
  forEach(fn: (id: number) => void): void {
    const { starts, lengths } = this.runs;
    const { removed } = this;
    const extra = this.added.size === 0 ? new Int32Array(0) : Int32Array.from(this.added).sort();
    let j = 0;
    for (let r = 0; r < starts.length; r++) {
      const first = starts[r]!;
      const end = first + lengths[r]!;
      while (j < extra.length && extra[j]! < first) fn(extra[j++]!);
      if (removed.size === 0) for (let id = first; id < end; id++) fn(id);
      else for (let id = first; id < end; id++) if (!removed.has(id)) fn(id);
    }
    while (j < extra.length) fn(extra[j++]!);
  }

  /** every id, ascending */
  sorted(): Int32Array {
    const out = new Int32Array(this.size);
    let k = 0;
    this.forEach((id) => (out[k++] = id));
    return out;
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.sorted()[Symbol.iterator]();
  }

  /** every id, ascending, as a plain array (what a bulk action sends) */
  toArray(): number[] {
    const out = new Array<number>(this.size);
    let k = 0;
    this.forEach((id) => (out[k++] = id));
    return out;
  }

  /** Folds the small sets into a new base once they are large enough that copying them per change costs more. */
  private folded(): IdSet {
    if (this.added.size + this.removed.size < FOLD_AT) return this;
    return IdSet.fromSorted(this.sorted());
  }
}
