// The rows of a dataset's image list the create form is showing: fetched from the core in chunks as the list
// scrolls (the core reads the server a page at a time), at most MAX_CHUNKS kept, the least recently shown
// dropped first, so a dataset of 250,000 images costs what a few thousand rows cost.
import type { ResponseOf } from '#shared/contract';
import { api } from '../../lib/transport';

export type ImageRow = ResponseOf<'catalog.imagesPage'>['images'][number];

export const CHUNK = 100;
export const MAX_CHUNKS = 30;

export class ImageWindow {
  /** images in the dataset; null until the first chunk answers (then the server's count) */
  total = $state<number | null>(null);
  /** why rows are missing (offline, refused), in words */
  problem = $state<string | null>(null);
  loading = $state(false);
  /** bumped when rows arrive, so what reads `row()` updates */
  #version = $state(0);
  // plain Maps on purpose: show() reorders them from inside an effect, and only #version should notify
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #chunks = new Map<number, ImageRow[]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Map<number, Promise<void>>();
  readonly datasetId: number;

  constructor(datasetId: number, knownTotal: number | null) {
    this.datasetId = datasetId;
    this.total = knownTotal;
  }

  /** the image at a 1-based position, if its chunk is here */
  row(position: number): ImageRow | undefined {
    void this.#version;
    const chunk = this.#chunks.get(Math.floor((position - 1) / CHUNK));
    return chunk?.find((r) => r.position === position);
  }

  /** makes sure the rows from…to (1-based, inclusive) are here or on their way */
  async show(from: number, to: number): Promise<void> {
    const first = Math.max(0, Math.floor((from - 1) / CHUNK));
    const last = Math.max(first, Math.floor((to - 1) / CHUNK));
    const waits: Promise<void>[] = [];
    for (let c = first; c <= last; c++) {
      if (this.total !== null && c * CHUNK >= this.total) break;
      const have = this.#chunks.get(c);
      if (have) {
        // most recently shown last: Map order is the eviction order
        this.#chunks.delete(c);
        this.#chunks.set(c, have);
        continue;
      }
      waits.push(this.#pending.get(c) ?? this.#load(c));
    }
    await Promise.all(waits);
  }

  async #load(c: number): Promise<void> {
    const run = (async () => {
      this.loading = true;
      try {
        const answer = await api['catalog.imagesPage']({ datasetId: this.datasetId, offset: c * CHUNK, limit: CHUNK });
        this.total = answer.total;
        this.problem = answer.problem;
        this.#chunks.set(c, answer.images);
        while (this.#chunks.size > MAX_CHUNKS) this.#chunks.delete(this.#chunks.keys().next().value!);
        this.#version++;
      } catch (error) {
        this.problem = `Images not loaded: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        this.#pending.delete(c);
        this.loading = this.#pending.size > 0;
      }
    })();
    this.#pending.set(c, run);
    return run;
  }
}
