// How many rows the next write transaction of a long write takes: sized from the time per row of the
// last ones so each stays near a target well inside one frame. Fixed 100-row chunks were too small on an
// idle machine (each commit writes every page it touched, so rows per commit set the cost: 25k jobs/s at
// 100 rows, 31k at 500) and too large on a big or busy cache (48 ms at 1M jobs); this adapts to both.

/** Time a write transaction aims at; the budget per task is 16 ms, the rest is headroom for variance. */
export const WRITE_TARGET_MS = 8;

export interface ChunkSizer {
  /** rows for the next transaction */
  next(): number;
  /** what the last transaction took */
  record(rows: number, ms: number): void;
}

export function createChunkSizer(options: { targetMs?: number; min?: number; max?: number; initial?: number } = {}): ChunkSizer {
  const { targetMs = WRITE_TARGET_MS, min = 20, max = 2000, initial = 100 } = options;
  let size = initial;
  let msPerRow: number | null = null;
  return {
    next: () => size,
    record(rows, ms) {
      if (rows <= 0) return;
      const sample = ms / rows;
      // smoothed, but a slow transaction counts at once: overshooting the budget is worse than undershooting it
      msPerRow = msPerRow === null || sample > msPerRow ? sample : msPerRow * 0.7 + sample * 0.3;
      const fits = Math.floor(targetMs / Math.max(msPerRow, 1e-6));
      size = Math.max(min, Math.min(max, fits, size * 2));
    },
  };
}
