// The `simulate` option: with a fast interval a job walks pending → in_progress → on_review →
// completed, its entities/counters/timestamps follow, and the activity feed records every step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs, addTeamUser, startTestLocalServer, type TestLocalServer } from './helpers';

let server: TestLocalServer;
beforeAll(async () => {
  server = await startTestLocalServer({ simulate: { intervalMs: 20 } });
});
afterAll(() => server.stop());

describe('simulate', () => {
  it('moves a job through its statuses and records each change', async () => {
    const a1 = await addTeamUser(server, 'labeler_1', 3);
    const [id] = await addJobs(server, [a1]);
    const seen: string[] = [];
    const until = Date.now() + 15_000;
    let job: any;
    while (Date.now() < until) {
      job = (await server.call('jobs.info', { id })).body;
      if (seen[seen.length - 1] !== job.status) seen.push(job.status);
      if (job.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(job.status).toBe('completed');
    expect(seen.length).toBeGreaterThan(0); // polling may miss fast steps; the feed below has them all
    expect(job.startedAt).toEqual(expect.any(String));
    expect(job.finishedAt).toEqual(expect.any(String));
    expect(job.finishedImagesCount).toBe(6);
    expect(job.acceptedImagesCount + job.rejectedImagesCount).toBe(6);
    expect(job.entities.every((e: { reviewStatus: string }) => e.reviewStatus === 'accepted' || e.reviewStatus === 'rejected')).toBe(true);

    const feed = await server.call('teams.activity', { teamId: 8, filter: [{ field: 'jobId', operator: '=', value: id }] });
    const statuses = feed.body.entities
      .filter((r: { action: string }) => r.action === 'job_created' || r.action === 'job_status_changed')
      .map((r: { meta: { status: string } }) => r.meta.status);
    expect(statuses).toEqual(['pending', 'in_progress', 'on_review', 'completed']);
    const reviews = feed.body.entities.filter((r: { action: string }) => r.action === 'image_review_status_updated');
    expect(reviews).toHaveLength(12); // six images marked done, then six accepted/rejected
    const completed = feed.body.entities.find((r: { meta: { status?: string } }) => r.meta.status === 'completed');
    expect(completed.userId).toBe(7); // the reviewer (default: the creator)
  });
});
