// An immutable set of job ids that can hold a million without copying them per click: a sorted
// Int32Array base (select all matching, decoded from the core's id runs) plus small sets of ids added
// to it and removed from it. Every change returns a new IdSet sharing the base, which is what lets a
// `$state.raw` selection stay reactive; when the small sets grow large they are folded into a new base.

/** past this many added or removed ids, a change builds a new base instead of copying the small sets */
const FOLD_AT = 4096;

const EMPTY_BASE = new Int32Array(0);

function baseHas(base: Int32Array, id: number): boolean {
  let lo = 0;
  let hi = base.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = base[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class IdSet implements Iterable<number> {
  static readonly empty = new IdSet(EMPTY_BASE, new Set(), new Set());

  /** `base`: ascending, distinct; `added`: ids not in base; `removed`: ids in base */
  private constructor(
    private readonly base: Int32Array,
    private readonly added: ReadonlySet<number>,
    private readonly removed: ReadonlySet<number>,
  ) {}

  /** From ascending, distinct ids (not copied: the caller hands them over). */
  static fromSorted(sorted: Int32Array): IdSet {
    return sorted.length === 0 ? IdSet.empty : new IdSet(sorted, new Set(), new Set());
  }

  /** From ids in any order, repeats allowed. */
  static of(ids: Iterable<number>): IdSet {
    const sorted = Int32Array.from(new Set(ids)).sort();
    return IdSet.fromSorted(sorted);
  }

  get size(): number {
    return this.base.length - this.removed.size + this.added.size;
  }

  has(id: number): boolean {
    if (this.added.has(id)) return true;
    return !this.removed.has(id) && baseHas(this.base, id);
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
      } else if (!(added ?? this.added).has(id) && !baseHas(this.base, id)) {
        added ??= new Set(this.added);
        added.add(id);
      }
    }
    if (!added && !removed) return this;
    return new IdSet(this.base, added ?? this.added, removed ?? this.removed).folded();
  }

  /** This set without `ids`; itself when nothing changes. */
  without(ids: Iterable<number>): IdSet {
    let added: Set<number> | null = null;
    let removed: Set<number> | null = null;
    for (const id of ids) {
      if ((added ?? this.added).has(id)) {
        added ??= new Set(this.added);
        added.delete(id);
      } else if (!(removed ?? this.removed).has(id) && baseHas(this.base, id)) {
        removed ??= new Set(this.removed);
        removed.add(id);
      }
    }
    if (!added && !removed) return this;
    return new IdSet(this.base, added ?? this.added, removed ?? this.removed).folded();
  }

  /** The ids also in `listed`, and how many were not; itself when none leaves. */
  keepOnly(listed: IdSet): { kept: IdSet; dropped: number } {
    const out = new Int32Array(Math.min(this.size, listed.size));
    let n = 0;
    if (this.size * 20 < listed.size) {
      // a few selected among many listed: look each one up
      this.forEach((id) => {
        if (listed.has(id)) out[n++] = id;
      });
    } else {
      // comparable sizes: one merge of the two ascending orders
      const a = this.sorted();
      const b = listed.sorted();
      for (let i = 0, j = 0; i < a.length && j < b.length;) {
        if (a[i]! < b[j]!) i++;
        else if (a[i]! > b[j]!) j++;
        else {
          out[n++] = a[i]!;
          i++;
          j++;
        }
      }
    }
    const dropped = this.size - n;
    return dropped === 0 ? { kept: this, dropped: 0 } : { kept: IdSet.fromSorted(out.slice(0, n)), dropped };
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

  /** Calls `fn` with every id, ascending (a plain loop: no iterator object per id). */
  forEach(fn: (id: number) => void): void {
    const { base, removed } = this;
    const extra = this.added.size === 0 ? EMPTY_BASE : Int32Array.from(this.added).sort();
    let j = 0;
    for (let i = 0; i < base.length; i++) {
      const id = base[i]!;
      while (j < extra.length && extra[j]! < id) fn(extra[j++]!);
      if (removed.size === 0 || !removed.has(id)) fn(id);
    }
    while (j < extra.length) fn(extra[j++]!);
  }

  /** every id, ascending (the base itself when nothing was added or removed: never written to) */
  sorted(): Int32Array {
    if (this.added.size === 0 && this.removed.size === 0) return this.base;
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
    return Array.from(this.sorted());
  }

  /** Folds the small sets into a new base once they are large enough that copying them per change costs more. */
  private folded(): IdSet {
    if (this.added.size + this.removed.size < FOLD_AT) return this;
    return IdSet.fromSorted(this.sorted());
  }
}
