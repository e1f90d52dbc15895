// A job's timeline from what real servers send: the first sync does not page the activity feed; opening
// a job reads that job's activity (the SDK's action types with its jobId) into its history, once while fresh.
import { describe, expect, it } from 'vitest';
import { decodeIdRuns } from '#shared/idRuns';
import { coreOnServer, waitFor } from '../support';

describe('job timeline', () => {
  const env = coreOnServer('ljd-timeline-', { world: 'team', jobs: 500, runIn: 'thread' });

  it('opening a reviewed job brings its annotation and review activity', async () => {
    const h = env.core.handlers;
    await waitFor('first sync', async () => (await h['sync.state']({})).lastSyncAt, 30_000);
    const ids = decodeIdRuns((await h['jobs.idSet']({ filter: { statuses: ['completed'], showArchived: true } })).runs);
    expect(ids.length).toBeGreaterThan(0);
    const fromActivity = async (id: number) => (await h['jobs.get']({ id }))!.history.filter((p) => p.source === 'activity');
    let found: { id: number; points: Awaited<ReturnType<typeof fromActivity>> } | null = null;
    for (const id of ids.slice(0, 20)) {
      const points = await fromActivity(id);
      if (points.some((p) => p.status === 'on_review')) {
        found = { id, points };
        break;
      }
    }
    expect(found).not.toBeNull();
    expect(found!.points.map((p) => p.status)).toEqual(expect.arrayContaining(['in_progress', 'on_review']));
    expect(found!.points.find((p) => p.status === 'on_review')!.note).toMatch(/^image (accepted|rejected)( by \S+)?$/);
    // at most two points per phase, however many images the job has
    expect(found!.points.length).toBeLessThanOrEqual(4);
    // opened again: the same timeline, no duplicates
    expect(await fromActivity(found!.id)).toEqual(found!.points);
  }, 60_000);
});
