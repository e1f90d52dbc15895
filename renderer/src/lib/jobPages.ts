// A small cache of fixed-size pages of grid rows, fetched on demand as the grid scrolls. Each filter
// or sort starts a new generation so late answers for an old query are dropped. Plain TS (no runes):
// the owner gets `onChange` and re-reads rows.

export interface Page<Row> {
  rows: Row[];
  total: number;
}

export type FetchPage<Row> = (offset: number, limit: number) => Promise<Page<Row>>;

export class PagedRows<Row> {
  total = 0;
  /** set after the first page of a generation has arrived */
  loaded = false;
  error: unknown = null;
  private pages = new Map<number, Row[]>();
  private inFlight = new Set<number>();
  private generation = 0;
  private lastUse = new Map<number, number>();
  private clock = 0;

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
    this.inFlight.clear();
    this.lastUse.clear();
    this.loaded = false;
    this.error = null;
  }

  rowAt(index: number): Row | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (rows) this.lastUse.set(page, ++this.clock);
    return rows?.[index - page * this.pageSize];
  }

  /** Makes sure the rows [from, to] are loaded or loading. */
  ensure(from: number, to: number): void {
    const first = Math.max(0, Math.floor(from / this.pageSize));
    const last = Math.floor(Math.max(from, to) / this.pageSize);
    for (let page = first; page <= last; page++) {
      this.lastUse.set(page, ++this.clock);
      if (!this.pages.has(page) && !this.inFlight.has(page)) void this.load(page);
    }
  }

  /**
   * Rows changed in the cache: re-reads the pages around the visible rows (stale rows stay on screen
   * until the answer arrives) and forgets the others, which reload when scrolled to again.
   */
  refresh(visibleFrom = 0, visibleTo = 0): void {
    this.generation++;
    this.inFlight.clear();
    const first = Math.max(0, Math.floor(visibleFrom / this.pageSize) - 1);
    const last = Math.floor(Math.max(visibleFrom, visibleTo) / this.pageSize) + 1;
    for (const page of [...this.pages.keys()]) {
      if (page < first || page > last) {
        this.pages.delete(page);
        this.lastUse.delete(page);
      }
    }
    const firstVisible = Math.floor(visibleFrom / this.pageSize);
    const lastVisible = Math.floor(Math.max(visibleFrom, visibleTo) / this.pageSize);
    for (let page = first; page <= last; page++) {
      if (this.pages.has(page) || (page >= firstVisible && page <= lastVisible)) void this.load(page);
    }
  }

  /** Loaded rows between two indexes; undefined where a row is not loaded. */
  slice(from: number, to: number): (Row | undefined)[] {
    const out: (Row | undefined)[] = [];
    for (let i = from; i <= to; i++) out.push(this.rowAt(i));
    return out;
  }

  private async load(page: number): Promise<void> {
    const generation = this.generation;
    this.inFlight.add(page);
    try {
      const result = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.pages.set(page, result.rows);
      this.total = result.total;
      this.loaded = true;
      this.error = null;
      this.evict();
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error;
    } finally {
      if (generation === this.generation) this.inFlight.delete(page);
    }
    this.onChange();
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
