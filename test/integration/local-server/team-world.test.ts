// The team world (world: 'team') over real HTTP: a catalog of every project type with millions of formula images
// answered consistently by datasets/projects counts, images.list and images.info; members in every role; jobs
// with statuses, review statuses, nulls, string ids and date forms newer or looser than the SDK's; an activity
// feed of the SDK's action types with jobId. 3,000 jobs here; the world's default is 100,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';
import { PROJECT_TYPES, TEAM_WORLD_TEAMS } from '../../../main/local-server/world-team';

let localServer: TestLocalServer;
let teamIds: number[];
let projects: { id: number; type: string; imagesCount: number; datasetsCount: number; teamId: number; size: string }[];
let jobs: Record<string, unknown>[];
beforeAll(async () => {
  localServer = await startTestLocalServer({ world: 'team', jobs: 3000 });
  teamIds = (await localServer.call('teams.list', {})).body.entities.map((t: { id: number }) => t.id);
  projects = (await localServer.call('projects.list', { per_page: 1000 })).body.entities;
  jobs = [];
  for (const teamId of teamIds)
    jobs.push(...(await localServer.call('jobs.list', { teamId, showDisabled: true, per_page: 100_000 })).body.entities);
}, 120_000);
afterAll(() => localServer.stop());

const worldProjects = () => projects.filter((p) => p.teamId !== 8);

describe('catalog', () => {
  it('has the demo team plus several teams, ~60 projects of every SDK project type and ~600 datasets', async () => {
    expect(teamIds).toEqual([8, ...TEAM_WORLD_TEAMS.map((_, i) => 9 + i)]);
    expect(worldProjects().length).toBe(60);
    expect(new Set(worldProjects().map((p) => p.type))).toEqual(new Set(PROJECT_TYPES.map(([t]) => t)));
    const datasets = worldProjects().reduce((n, p) => n + p.datasetsCount, 0);
    expect(datasets).toBeGreaterThan(450);
    expect(datasets).toBeLessThan(800);
  });

  it('counts millions of images, and a project counts what its datasets count', async () => {
    expect(worldProjects().reduce((n, p) => n + p.imagesCount, 0)).toBeGreaterThan(2_000_000);
    const project = worldProjects()[7]!;
    const datasets = (await localServer.call('datasets.list', { projectId: project.id, recursive: true, per_page: 1000 })).body.entities;
    expect(datasets.reduce((n: number, d: { imagesCount: number }) => n + d.imagesCount, 0)).toBe(project.imagesCount);
    expect(datasets.reduce((n: bigint, d: { size: string }) => n + BigInt(d.size), 0n)).toBe(BigInt(project.size));
  });
});

describe('formula images', () => {
  let dataset: { id: number; imagesCount: number; name: string };
  beforeAll(async () => {
    const video = worldProjects().find((p) => p.type === 'videos')!;
    dataset = (await localServer.call('datasets.list', { projectId: video.id })).body.entities[0];
  });

  it('images.list pages are stable across calls, agree with images.info and cover exactly imagesCount items', async () => {
    const body = { projectId: null, datasetId: dataset.id, filter: [], sort: 'id', sort_order: 'asc', page: 3, per_page: 50 };
    const a = await localServer.call('images.list', body);
    const b = await localServer.call('images.list', body);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect(a.body.total).toBe(dataset.imagesCount);
    const image = a.body.entities[7];
    expect(image).toMatchObject({ datasetId: dataset.id, mime: 'video/mp4', name: expect.stringMatching(/^.+_\d{7}\.mp4$/) });
    expect((await localServer.call('images.info', { id: image.id, forceMetadataForLinks: true })).body).toEqual(image);
    const last = await localServer.call('images.list', { ...body, page: a.body.pagesCount });
    expect(last.body.entities.length).toBe(dataset.imagesCount - (a.body.pagesCount - 1) * 50);
    expect((await localServer.call('images.list', { ...body, page: a.body.pagesCount + 1 })).body.entities).toEqual([]);
    const desc = await localServer.call('images.list', { ...body, page: 1, sort_order: 'desc' });
    expect(desc.body.entities[0].id).toBe(last.body.entities.at(-1).id);
  });

  it('filters on id, pages in token mode, and serves previews; an unsupported filter is a 400 that says why', async () => {
    const first = (await localServer.call('images.list', { datasetId: dataset.id, per_page: 1 })).body.entities[0];
    const ranged = await localServer.call('images.list', {
      datasetId: dataset.id,
      filter: [
        { field: 'id', operator: '>=', value: first.id + 10 },
        { field: 'id', operator: '<', value: first.id + 15 },
      ],
    });
    expect(ranged.body.entities.map((i: { id: number }) => i.id)).toEqual([10, 11, 12, 13, 14].map((k) => first.id + k));
    const t1 = await localServer.call('images.list', { datasetId: dataset.id, pagination_mode: 'token', per_page: 4 });
    const t2 = await localServer.call('images.list', {
      datasetId: dataset.id,
      pagination_mode: 'token',
      per_page: 4,
      after: t1.body.after,
    });
    expect(t2.body.entities[0].id).toBe(first.id + 4);
    const bad = await localServer.call('images.list', {
      datasetId: dataset.id,
      filter: [{ field: 'name', operator: 'like', value: '%1%' }],
    });
    expect(bad.status).toBe(400);
    expect(errorMessage(bad)).toContain('synthesised');
    const png = await fetch(`${localServer.url}/previews/${first.id}.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect((await localServer.call('images.info', { id: first.id + dataset.imagesCount })).status).toBe(404);
  });

  it('jobs.add takes a range of formula images as entities', async () => {
    const team = (await localServer.call('datasets.info', { id: dataset.id })).body.teamId;
    const annotator = (await localServer.call('members.list', { teamId: team, filter: [{ field: 'roleId', operator: '=', value: 3 }] }))
      .body.entities[0];
    const res = await localServer.call('jobs.add', {
      name: 'range job',
      datasetId: dataset.id,
      userIds: [annotator.id],
      meta: { classes: [], projectTags: [], imageTags: [], entityIds: [], range: { start: 101, end: 105 } },
    });
    expect(res.status).toBe(200);
    const info = (await localServer.call('jobs.info', { id: res.body[0].id })).body;
    expect(info.imagesCount).toBe(5);
    expect(info.entities.map((e: { name: string }) => e.name).sort()[0]).toMatch(/_0000101\.mp4$/);
  });
});

describe('members', () => {
  it('every team has every role, some disabled accounts, and a non-admin token sees only its own teams', async () => {
    for (const teamId of teamIds.slice(1)) {
      const members = (await localServer.call('members.list', { teamId, per_page: 1000 })).body.entities as {
        roleId: number;
        disabled: boolean;
        login: string;
      }[];
      expect(new Set(members.map((m) => m.roleId))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
      expect(members.some((m) => m.disabled)).toBe(true);
    }
    const users = (await localServer.call('users.list', { per_page: 1000 })).body.total;
    expect(users).toBeGreaterThan(140);
    const manager = localServer.tokenFor('autonomy_manager_01');
    expect((await localServer.call('teams.list', {}, manager)).body.entities.map((t: { id: number }) => t.id)).toEqual([teamIds[1]]);
    expect((await localServer.call('members.list', { teamId: teamIds[2] }, manager)).status).toBe(404);
  });
});

describe('jobs', () => {
  it('has all the jobs, with statuses newer than the SDK and the looseness the SDK tolerates', async () => {
    expect(jobs.length).toBe(3000);
    const statuses = new Set(jobs.map((j) => j.status));
    for (const s of ['pending', 'in_progress', 'on_review', 'completed', 'stopped', 'review_completed', 'quality_check'])
      expect(statuses).toContain(s);
    expect(jobs.some((j) => typeof j.id === 'string' && typeof j.userId === 'string')).toBe(true);
    expect(jobs.some((j) => j.datasetId === null && j.datasetTitle === null)).toBe(true);
    expect(jobs.some((j) => j.reviewerId === null && j.reviewerLogin === null)).toBe(true);
    expect(jobs.some((j) => j.readme === null)).toBe(true);
    expect(jobs.some((j) => j.labelingQueueId !== null)).toBe(true);
    expect(jobs.some((j) => 'qualityCheckReviewerId' in j)).toBe(true);
    const forms = jobs.map((j) => String(j.createdAt)).filter((d) => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(d));
    expect(forms.length).toBeGreaterThan(0);
    for (const d of forms) expect(Number.isNaN(Date.parse(d)), d).toBe(false);
  });

  it('jobs.info shows review statuses newer than the SDK, null ones, and answers for jobs listed with string ids', async () => {
    const checked = jobs.filter((j) => j.status === 'quality_check').slice(0, 40);
    const infos = await Promise.all(checked.map(async (j) => (await localServer.call('jobs.info', { id: Number(j.id) })).body));
    const reviewStatuses = new Set(infos.flatMap((i) => i.entities.map((e: { reviewStatus: string | null }) => e.reviewStatus)));
    expect(reviewStatuses).toContain('quality_check_accepted');
    const stringId = jobs.find((j) => typeof j.id === 'string')!;
    const info = await localServer.call('jobs.info', { id: Number(stringId.id) });
    expect(info.status).toBe(200);
    expect(info.body.id).toBe(stringId.id);
    const filtered = await localServer.call('jobs.list', {
      teamId: teamIds[1],
      filter: [{ field: 'status', operator: '=', value: 'quality_check' }],
      per_page: 1,
    });
    expect(filtered.body.total).toBe(jobs.filter((j) => j.teamId === teamIds[1] && j.status === 'quality_check' && !j.disabled).length);
  });
});

describe('activity', () => {
  it('is written with the SDK action types only, every row carrying its jobId, names filled in', async () => {
    // a team no other test changes (changes made through the API add the local server's job_* rows)
    const feed = (await localServer.call('teams.activity', { teamId: teamIds[3], per_page: 100_000 })).body.entities as Record<
      string,
      unknown
    >[];
    expect(feed.length).toBeGreaterThan(500);
    expect(new Set(feed.map((a) => a.action))).toEqual(
      new Set(['create_figure', 'attach_tag', 'annotation_duration', 'image_review_status_updated']),
    );
    expect(feed.every((a) => typeof a.jobId === 'number' && typeof a.job === 'string' && typeof a.image === 'string')).toBe(true);
    const reviews = feed.filter((a) => a.action === 'image_review_status_updated').map((a) => a.reviewStatus);
    expect(new Set(reviews)).toEqual(new Set(['done', 'accepted', 'rejected']));
    expect(feed.find((a) => a.action === 'annotation_duration')!.meta).toMatchObject({ duration: expect.any(Number) });
  });
});

describe('labeling queues', () => {
  it('labeling-queues.list and .info show each queue with its jobs, people and counts; jobs.list filters on them', async () => {
    const teamId = teamIds[2]!;
    const queues = (await localServer.call('labeling-queues.list', { teamId, showDisabled: false, filter: [] })).body;
    expect(queues.total).toBe(5);
    const queue = queues.entities.find((q: { jobs: unknown[] }) => q.jobs.length > 0);
    const inQueue = jobs.filter((j) => j.labelingQueueId === queue.id);
    expect(queue.jobs.map((j: { id: number }) => j.id).sort()).toEqual(inQueue.map((j) => Number(j.id)).sort());
    expect(queue.entitiesCount).toBe(inQueue.reduce((n, j) => n + (j.imagesCount as number), 0));
    expect(new Set(inQueue.map((j) => j.datasetId))).toEqual(new Set([queue.datasetId]));
    expect(queue.labelers.map((l: { id: number }) => l.id).sort()).toEqual([...new Set(inQueue.map((j) => Number(j.userId)))].sort());
    expect((await localServer.call('labeling-queues.info', { id: queue.id })).body).toEqual(queue);
    const filtered = await localServer.call('jobs.list', {
      teamId,
      showDisabled: true,
      filter: [{ field: 'labelingQueueId', operator: 'in', value: [queue.id] }],
    });
    expect(filtered.body.total).toBe(inQueue.length);
    const byDataset = await localServer.call('labeling-queues.list', {
      teamId,
      filter: [{ field: 'datasetId', operator: '=', value: queue.datasetId }],
    });
    expect(byDataset.body.entities.map((q: { id: number }) => q.id)).toContain(queue.id);
    expect((await localServer.call('labeling-queues.info', { id: 99_999 })).status).toBe(404);
  });
});
