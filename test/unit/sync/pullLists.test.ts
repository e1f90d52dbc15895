// Pure rules of the pull: which sync_state keys are sync lists (and of which team), and how activity
// rows become timeline points (first and latest per job and phase, review vs annotation).
import { describe, expect, it } from 'vitest';
import { parseListKey } from '../../../main/cache/syncState';
import { historyFromActivity } from '../../../main/sync/pull/activity';
import type { ActivityInfo } from '../../../main/supervisely/types';

describe('sync list keys', () => {
  it('names kind and team; on-demand reads and older key forms are not sync lists', () => {
    expect(parseListKey('teams')).toEqual({ kind: 'teams', teamId: null });
    expect(parseListKey('members:9')).toEqual({ kind: 'members', teamId: 9 });
    expect(parseListKey('datasets:9:120')).toEqual({ kind: 'datasets', teamId: 9 });
    expect(parseListKey('images:10555')).toBeNull();
    expect(parseListKey('job-activity:4')).toBeNull();
    expect(parseListKey('meta:5555')).toBeNull(); // the key form before lists named their team
    expect(parseListKey('jobs-full:9')).toBeNull();
  });
});

describe('activity → timeline', () => {
  const row = (action: string, date: string, extra: Partial<ActivityInfo> = {}): ActivityInfo => ({
    userId: 3,
    user: 'ann',
    action,
    date,
    projectId: 1,
    datasetId: 2,
    imageId: 3,
    jobId: 7,
    job: 'j',
    meta: {},
    ...extra,
  });

  it('keeps the first and latest row per phase, with who did it; ignores rows without a job and other actions', () => {
    const points = historyFromActivity([
      row('create_figure', '2026-01-01T10:00:00Z'),
      row('attach_tag', '2026-01-01T10:05:00Z'),
      row('image_review_status_updated', '2026-01-01T10:10:00Z', { meta: { reviewStatus: 'done' } }),
      row('image_review_status_updated', '2026-01-02T09:00:00Z', { user: 'rev', meta: { reviewStatus: 'accepted' } }),
      row('image_review_status_updated', '2026-01-02T08:00:00Z', { user: 'rev', meta: { reviewStatus: 'rejected' } }),
      row('create_figure', '2026-01-01T09:00:00Z', { jobId: null }),
      row('login', '2026-01-01T08:00:00Z'),
    ]);
    expect(points).toEqual([
      { jobId: 7, status: 'in_progress', at: '2026-01-01T10:00:00.000Z', source: 'activity', note: 'create figure by ann' },
      { jobId: 7, status: 'in_progress', at: '2026-01-01T10:10:00.000Z', source: 'activity', note: 'image marked done by ann' },
      { jobId: 7, status: 'on_review', at: '2026-01-02T08:00:00.000Z', source: 'activity', note: 'image rejected by rev' },
      { jobId: 7, status: 'on_review', at: '2026-01-02T09:00:00.000Z', source: 'activity', note: 'image accepted by rev' },
    ]);
  });
});
