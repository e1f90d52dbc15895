// A small cache of fixed-size pages of grid rows, fetched on demand as the grid scrolls. One request
// at a time: while it is out, newer wishes replace older ones, so a flick or a jump that passes
// fifty pages sends one request for where it stopped, not fifty (the ones scrolled past are never
// sent). Missing pages next to each other go in one request, the visible ones first, then a page of
// look-ahead each side. Each filter or sort starts a new generation so late answers for an old query
// are dropped. Plain TS (no runes): the owner gets `onChange` and re-reads rows.

export interface Page<Row> {
  rows: Row[];
  total: number;
}

export type FetchPage<Row> = (offset: number, limit: number) => Promise<Page<Row>>;

interface PageRange {
  first: number;
  last: number;
}

export class PagedRows<Row> {
  total = 0;
  /** set after the first page of a generation has arrived */
  loaded = false;
  error: unknown = null;
  private pages = new Map<number, Row[]>();
  /** loaded pages to read again (rows changed); their old rows stay on screen until then */
  private stale = new Set<number>();
  private busy = false;
  private generation = 0;
  private lastUse = new Map<number, number>();
  private clock = 0;
  private visible: PageRange = { first: 0, last: 0 };

  constructor(
    private fetchPage: FetchPage<Row>,
    private onChange: () => void,
    readonly pageSize = 200,
    private maxPages = 24,
  ) {}

  /** Forget everything and start a new query (filter or sort changed). */
  reset(fetchPage?: FetchPage<Row>): void {
    if (fetchPage) this.fetchPage = fetchPage;
    this.generation++;
    this.pages.clear();
    this.stale.clear();
    this.lastUse.clear();
    this.busy = false;
    this.loaded = false;
    this.error = null;
  }

  rowAt(index: number): Row | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (rows) this.lastUse.set(page, ++this.clock);
    return rows?.[index - page * this.pageSize];
  }

  /** The rows [from, to] are on screen: load them (and a page each side) as soon as the line is free. */
  ensure(from: number, to: number): void {
    this.visible = { first: Math.max(0, Math.floor(from / this.pageSize)), last: Math.floor(Math.max(from, to) / this.pageSize) };
    for (let page = this.visible.first; page <= this.visible.last; page++) this.lastUse.set(page, ++this.clock);
    this.pump();
  }

  /**
   * Rows changed in the cache: re-reads the pages around the visible rows (stale rows stay on screen
   * until the answer arrives) and forgets the others, which reload when scrolled to again.
   */
  refresh(visibleFrom = 0, visibleTo = 0): void {
    this.generation++;
    this.busy = false;
    this.visible = { first: Math.floor(visibleFrom / this.pageSize), last: Math.floor(Math.max(visibleFrom, visibleTo) / this.pageSize) };
    const near = this.around(this.visible);
    for (const page of [...this.pages.keys()]) {
      if (page < near.first || page > near.last) {
        this.pages.delete(page);
        this.lastUse.delete(page);
      }
    }
    this.stale = new Set(this.pages.keys());
    this.pump();
  }

  /** Loaded rows between two indexes; undefined where a row is not loaded. */
  slice(from: number, to: number): (Row | undefined)[] {
    const out: (Row | undefined)[] = [];
    for (let i = from; i <= to; i++) out.push(this.rowAt(i));
    return out;
  }

  /** the visible pages with a page of look-ahead each side, within the list once its length is known */
  private around(range: PageRange): PageRange {
    const lastPage = this.loaded ? Math.max(0, Math.ceil(this.total / this.pageSize) - 1) : Infinity;
    return { first: Math.max(0, range.first - 1), last: Math.min(lastPage, range.last + 1) };
  }

  /** The next run of pages to fetch: missing visible pages first, then the look-ahead. */
  private nextRun(): PageRange | null {
    const wanted = (page: number) => !this.pages.has(page) || this.stale.has(page);
    const runIn = ({ first, last }: PageRange): PageRange | null => {
      let start = first;
      while (start <= last && !wanted(start)) start++;
      if (start > last) return null;
      let end = start;
      while (end + 1 <= last && wanted(end + 1)) end++;
      return { first: start, last: end };
    };
    const lastPage = this.loaded ? Math.max(0, Math.ceil(this.total / this.pageSize) - 1) : Infinity;
    const visible = { first: this.visible.first, last: Math.min(this.visible.last, lastPage) };
    const near = this.around(this.visible);
    return (
      runIn(visible) ??
      runIn({ first: near.first, last: this.visible.first - 1 }) ??
      runIn({ first: this.visible.last + 1, last: near.last })
    );
  }

  private pump(): void {
    if (this.busy) return;
    const run = this.nextRun();
    if (run) void this.load(run);
  }

  private async load(run: PageRange): Promise<void> {
    const generation = this.generation;
    const before = { total: this.total, loaded: this.loaded };
    this.busy = true;
    try {
      const count = run.last - run.first + 1;
      const result = await this.fetchPage(run.first * this.pageSize, count * this.pageSize);
      if (generation !== this.generation) return;
      for (let i = 0; i < count; i++) {
        const page = run.first + i;
        this.pages.set(page, result.rows.slice(i * this.pageSize, (i + 1) * this.pageSize));
        this.stale.delete(page);
        this.lastUse.set(page, ++this.clock);
      }
      this.total = result.total;
      this.loaded = true;
      this.error = null;
      this.evict();
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error;
      for (let page = run.first; page <= run.last; page++) this.stale.delete(page);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
    // a look-ahead page that arrives changes nothing on screen: the rows are not re-read for it
    const shown = run.first <= this.visible.last && run.last >= this.visible.first;
    if (shown || this.error !== null || before.total !== this.total || !before.loaded) this.onChange();
    if (this.error === null) this.pump();
  }

  private evict(): void {
    if (this.pages.size <= this.maxPages) return;
    const byAge = [...this.pages.keys()].sort((a, b) => (this.lastUse.get(a) ?? 0) - (this.lastUse.get(b) ?? 0));
    for (const page of byAge.slice(0, this.pages.size - this.maxPages)) {
      this.pages.delete(page);
      this.lastUse.delete(page);
    }
  }
}
