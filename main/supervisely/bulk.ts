// The grid's bulk actions (archive, stop, set status, remove) on many jobs: bounded concurrency,
// monotonic progress, and a result per id — ok, or the ApiError that says why that id failed.
import type { BulkOptions, BulkResult, SuperviselyApi } from './api';
import { ApiError, type ApiErrorKind } from './errors';
import { mapWithConcurrency, slicesOf } from './concurrency';
import { callIgnoringAnswer, type ResourceContext } from './context';
import { REMOVE_SLICE, type JobsApi } from './jobs';
import type { JobStatus } from './types';

/** Failures that would repeat for every remaining id: stop sending and report them for the rest. */
const STOPS_THE_BATCH: ReadonlySet<ApiErrorKind> = new Set(['offline', 'timeout', 'server', 'unauthorized', 'aborted']);
/** A slice of jobs.bulk.remove refused for these reasons is retried id by id to find the culprits. */
const RETRY_ONE_BY_ONE: ReadonlySet<ApiErrorKind> = new Set(['forbidden', 'not_found', 'validation']);

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  throw err; // a bug, not a server answer: let it surface
}

class BulkRun {
  readonly results: BulkResult[];
  private done = 0;
  private stopError: ApiError | null = null;

  constructor(
    readonly ids: number[],
    private readonly o: BulkOptions,
  ) {
    this.results = new Array<BulkResult>(ids.length);
  }

  get stopped(): ApiError | null {
    if (!this.stopError && this.o.signal?.aborted) this.stopError = new ApiError('aborted', 'The bulk action was cancelled', 'bulk');
    return this.stopError;
  }

  record(index: number, error: ApiError | null): void {
    const id = this.ids[index]!;
    this.results[index] = error ? { id, ok: false, error } : { id, ok: true };
    if (error && STOPS_THE_BATCH.has(error.kind)) this.stopError ??= error;
    this.done++;
    this.o.onProgress?.({ done: this.done, total: this.ids.length });
  }

  /** Runs `act` once per id with bounded concurrency. */
  async eachId(act: (id: number) => Promise<void>, concurrency: number): Promise<BulkResult[]> {
    await mapWithConcurrency(this.ids, concurrency, async (id, i) => {
      const stop = this.stopped;
      if (stop) return this.record(i, stop);
      try {
        await act(id);
        this.record(i, null);
      } catch (err) {
        this.record(i, asApiError(err));
      }
    });
    return this.results;
  }
}

export function createBulkApi(ctx: ResourceContext, jobs: JobsApi): SuperviselyApi['bulk'] {
  // by default as many at once as the client lets through (the user's "Requests at once"), read when the action starts
  const fanOut = (o: BulkOptions) => o.concurrency ?? ctx.transport.maxConcurrent;
  const perId = (ids: number[], o: BulkOptions = {}, act: (id: number) => Promise<void>) => new BulkRun(ids, o).eachId(act, fanOut(o));

  return {
    archive: (ids, o) => perId(ids, o, (id) => jobs.archive(id, { signal: o?.signal })),
    stop: (ids, o) => perId(ids, o, (id) => jobs.stop(id, { signal: o?.signal })),
    setStatus: (ids, status: JobStatus, o) => perId(ids, o, (id) => jobs.setStatus(id, status, { signal: o?.signal })),
    async remove(ids, o = {}) {
      const run = new BulkRun(ids, o);
      const call = (slice: number[]) => callIgnoringAnswer(ctx, 'jobs.bulk.remove', { ids: slice }, { signal: o.signal });
      let offset = 0;
      for (const slice of slicesOf(ids, REMOVE_SLICE)) {
        const first = offset;
        offset += slice.length;
        const stop = run.stopped;
        if (stop) {
          slice.forEach((_, k) => run.record(first + k, stop));
          continue;
        }
        try {
          await call(slice);
          slice.forEach((_, k) => run.record(first + k, null));
        } catch (err) {
          const e = asApiError(err);
          if (!RETRY_ONE_BY_ONE.has(e.kind)) {
            slice.forEach((_, k) => run.record(first + k, e));
            continue;
          }
          // One id spoiled the slice (or all are refused): ask id by id so each result says why.
          await mapWithConcurrency(slice, fanOut(o), async (id, k) => {
            const again = run.stopped;
            if (again) return run.record(first + k, again);
            try {
              await call([id]);
              run.record(first + k, null);
            } catch (err2) {
              run.record(first + k, asApiError(err2));
            }
          });
        }
      }
      return run.results;
    },
  };
}
