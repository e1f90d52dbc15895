// The sync state the header shows, as the engine tells it: the changes of a bulk run, sent one by one, each told the
// engine the outbox changed, and each such change read every unfinished change to count them for the header.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncState } from '#shared/contract';
import { openCache, type Cache } from '../../../main/cache';
import { createSuperviselyApi } from '../../../main/supervisely/client';
import { enqueueJobAction } from '../../../main/sync/enqueue';
import { SyncEngine } from '../../../main/sync/engine';
import { syntheticJobs } from '../../fixtures/jobRecords';
import { tempDir } from '../../unit/cache/helpers';

let cleanup = () => {};
afterEach(() => cleanup());

/** a cache file of its own, closed and removed after the test */
function tempEngineCache(): Cache {
  const t = tempDir('ljd-engine-state-');
  const cache = openCache(join(t.dir, 'cache.sqlite'), { textIndex: { manual: true } });
  cleanup = () => {
    cache.close();
    t.cleanup();
  };
  return cache;
}

function engineOn(cache: Cache, states: SyncState[]): SyncEngine {
  // nothing listens on port 9, and the engine is not started: no pull, no send
  const api = createSuperviselyApi({ serverAddress: 'http://127.0.0.1:9', apiToken: 't', retryLimit: 1 });
  return new SyncEngine({ cache, api, intervalSec: 3600, events: { syncState: (s) => states.push(s) } });
}

describe('the sync state after outbox changes', () => {
  it('is told at once, then at most twice a second however many changes come, and the last one counts them all', async () => {
    const cache = tempEngineCache();
    cache.transaction(() => cache.jobs.upsert(syntheticJobs(300, 4)));
    const states: SyncState[] = [];
    const engine = engineOn(cache, states);
    const { mutationIds } = await enqueueJobAction(
      cache,
      'job.archive',
      Array.from({ length: 300 }, (_, i) => i + 1),
      new Date(),
    );
    // as the push loop tells of each change it sent: here the last 200 are discarded meanwhile, one at a time
    for (const id of mutationIds.slice(100)) {
      cache.transaction(() => cache.outbox.deleteSome([id]));
      engine.push.queued({ mutationIds: [id], jobIds: [] });
    }
    expect(states).toHaveLength(1);
    expect(states[0]!.outboxPending).toBe(299);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(states).toHaveLength(2);
    expect(states[1]!.outboxPending).toBe(100);
  });
});

describe('the sync state as read', () => {
  it('says when it was read, later at every read, and later from the engine of a new session', async () => {
    const cache = tempEngineCache();
    const first = engineOn(cache, []);
    const reads = [first.getState().readAt, first.getState().readAt];
    await new Promise((resolve) => setTimeout(resolve, 5));
    reads.push(first.getState().readAt);
    const next = engineOn(cache, []); // a profile switch makes a new one
    reads.push(next.getState().readAt);
    expect(reads[1]).toBeGreaterThanOrEqual(reads[0]!);
    expect(reads[2]).toBeGreaterThan(reads[1]!);
    expect(reads[3]).toBeGreaterThan(reads[2]!);
    expect(Math.abs(reads[3]! - Date.now())).toBeLessThan(60_000); // on the wall clock: a restarted core reads later too
  });
});
