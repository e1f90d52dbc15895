// Every method of the client against the local server over real HTTP (demo seed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import { DefaultRole } from '../../../main/supervisely/types';
import { isApiError } from '../../../main/supervisely/errors';

let server: TestServer;
let api: SuperviselyApi;

beforeAll(async () => {
  server = await startTestLocalServer();
  api = fastClient(server.localServer.url, server.localServer.adminToken);
});
afterAll(() => server.close());

const IMAGE_IDS = [3882697, 3882698, 3882699, 3882700, 3882701, 3882702];

describe('instance, roles, teams, workspaces', () => {
  it('reads the instance version', async () => {
    expect(await api.instanceVersion()).toBe('6.17.8');
  });
  it('lists the six roles with the SDK default ids', async () => {
    const roles = await api.roles.list();
    expect(roles.map((r) => [r.id, r.role])).toEqual([
      [1, 'admin'],
      [2, 'developer'],
      [3, 'annotator'],
      [4, 'viewer'],
      [5, 'manager'],
      [6, 'reviewer'],
    ]);
  });
  it('lists teams and reads one; unknown → null', async () => {
    expect((await api.teams.list()).map((t) => t.id)).toEqual([8]);
    expect(await api.teams.getInfoById(8)).toMatchObject({ id: 8, role: 'admin' });
    expect(await api.teams.getInfoById(999)).toBeNull();
  });
  it('lists workspaces of team 8 and reads one; unknown → null', async () => {
    expect((await api.workspaces.list(8)).map((w) => [w.id, w.name, w.teamId])).toEqual([[349, 'Testing Workspace', 8]]);
    expect(await api.workspaces.getInfoById(349)).toMatchObject({ id: 349, teamId: 8 });
    expect(await api.workspaces.getInfoById(999)).toBeNull();
  });
});

describe('authentication', () => {
  it('a wrong token → unauthorized after one attempt (not retried)', async () => {
    let attempts = 0;
    const wrong = fastClient(server.localServer.url, 'not-a-token', { onAttempt: () => attempts++ });
    const err = await wrong.teams.list().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unauthorized', endpoint: 'teams.list', details: { status: 401 } });
    expect((err as Error).message).toMatch(/^The server refused the token \(401: .*\)\. Check the API token in Settings\.$/);
    expect(attempts).toBe(1);
  });
});

describe('users', () => {
  it('tells who the token belongs to', async () => {
    expect(await api.users.getMyInfo()).toMatchObject({ id: 7, login: 'my_username' });
  });
  it('creates labeler_1 the tutorial way and finds it by id and login', async () => {
    expect(await api.users.getInfoByLogin('labeler_1')).toBeNull();
    const user = await api.users.create({ login: 'labeler_1', password: '11111abc', isRestricted: true });
    expect(user).toMatchObject({ id: 101, login: 'labeler_1', teams: [] });
    expect(await api.users.getInfoById(101)).toMatchObject({ login: 'labeler_1' });
    expect(await api.users.getInfoByLogin('labeler_1')).toMatchObject({ id: 101 });
    expect(await api.users.getInfoById(424242)).toBeNull();
    expect((await api.users.list()).map((u) => u.login)).toEqual(expect.arrayContaining(['my_username', 'labeler_1']));
  });
  it('refuses a duplicate login as a validation error with the server message', async () => {
    const err = await api.users.create({ login: 'labeler_1', password: 'x' }).catch((e: unknown) => e);
    expect(isApiError(err, 'validation')).toBe(true);
    expect((err as Error).message).toContain("'labeler_1' already exists");
  });
  it('adds to a team by login, reads the role, changes it, lists members, removes', async () => {
    expect(await api.users.getTeamRole(101, 8)).toBeNull();
    await api.users.addToTeam(101, 8, DefaultRole.ANNOTATOR);
    expect(await api.users.getTeamRole(101, 8)).toEqual({ id: 8, name: 'my_team', roleId: 3, role: 'annotator' });
    expect(await api.users.getTeams(101)).toHaveLength(1);
    await api.users.changeTeamRole(101, 8, 5);
    const members = await api.users.getTeamMembers(8);
    expect(members.find((m) => m.id === 101)).toMatchObject({ role: 'manager', roleId: 5 });
    await api.users.removeFromTeam(101, 8);
    expect(await api.users.getTeamRole(101, 8)).toBeNull();
    await api.users.addToTeam(101, 8, DefaultRole.ANNOTATOR);
  });
  it('getTeams of an unknown user propagates the 404 like the SDK', async () => {
    await expect(api.users.getTeams(424242)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('projects, datasets, images', () => {
  it('lists projects by workspace and by team, reads one; unknown → null', async () => {
    expect((await api.projects.list({ workspaceId: 349 })).map((p) => p.id)).toEqual([5555]);
    expect((await api.projects.list({ teamId: 8 })).map((p) => p.id)).toEqual([5555]);
    expect(await api.projects.getInfoById(5555)).toMatchObject({ name: 'Lemons (Test)', workspaceId: 349, type: 'images' });
    expect(await api.projects.getInfoById(1)).toBeNull();
  });
  it('reads the project meta and adds a class through updateMeta', async () => {
    const meta = await api.projects.getMeta(5555);
    expect(meta.classes.map((c) => c.title).sort()).toEqual(['kiwi', 'lemon']);
    expect(meta.tags.map((t) => t.name).sort()).toEqual(['origin', 'size']);
    const updated = await api.projects.updateMeta(5555, {
      ...meta,
      classes: [
        ...meta.classes,
        { id: null, title: 'orange', shape: 'bitmap', color: '#F5A623', description: '', hotkey: '', geometryConfig: {} },
      ],
    });
    const orange = updated.classes.find((c) => c.title === 'orange');
    expect(orange?.id).toEqual(expect.any(Number));
    expect((await api.projects.getMeta(5555)).classes.map((c) => c.title)).toContain('orange');
  });
  it('lists datasets and images; reads one of each; unknown → null', async () => {
    const [ds] = await api.datasets.list(5555);
    expect(ds).toMatchObject({ id: 10555, name: 'ds1', size: '1277440', imagesCount: 6, projectId: 5555 });
    expect(await api.datasets.getInfoById(10555)).toMatchObject({ name: 'ds1' });
    expect(await api.datasets.getInfoById(1)).toBeNull();
    const images = await api.images.list(10555);
    expect(images.map((i) => i.id)).toEqual(IMAGE_IDS);
    expect(images[2]).toMatchObject({ name: 'IMG_0748.jpeg', mime: 'image/jpeg', ext: 'jpeg', datasetId: 10555 });
    expect(await api.images.getInfoById(3882697)).toMatchObject({ name: 'IMG_4451.jpeg' });
    expect(await api.images.getInfoById(1)).toBeNull();
  });
});

describe('labeling jobs', () => {
  let job1: number;
  let job2: number;
  it('creates a job on the whole dataset (tutorial job 1)', async () => {
    const [job] = await api.jobs.create({
      name: 'labeler1_lemons_task',
      datasetId: 10555,
      userIds: [101],
      readme: 'r',
      description: 'd',
      classesToLabel: ['lemon'],
    });
    job1 = job!.id;
    expect(job).toMatchObject({
      status: 'pending',
      imagesCount: 6,
      createdById: 7,
      assignedToId: 101,
      assignedToLogin: 'labeler_1',
      classesToLabel: ['lemon'],
      objectsLimitPerImage: null,
      imagesRange: { start: null, end: null },
      readme: 'r',
    });
    expect(job!.entities?.map((e) => e.id).sort()).toEqual(IMAGE_IDS);
  });
  it('creates a job with limits, tags and image ids (tutorial job 2)', async () => {
    const [job] = await api.jobs.create({
      name: 'labeler2',
      datasetId: 10555,
      userIds: [101],
      classesToLabel: ['kiwi'],
      objectsLimitPerImage: 10,
      tagsToLabel: ['size', 'origin'],
      tagsLimitPerImage: 20,
      imageIds: IMAGE_IDS.slice(0, 3),
    });
    job2 = job!.id;
    expect(job).toMatchObject({ imagesCount: 3, objectsLimitPerImage: 10, tagsLimitPerImage: 20, tagsToLabel: ['size', 'origin'] });
  });
  it('creates one job per user, with include/exclude tags, a range and a reviewer', async () => {
    const jobs = await api.jobs.create({
      name: 'tagged',
      datasetId: 10555,
      userIds: [101, 7],
      includeImagesWithTags: ['origin'],
      reviewerId: 101,
    });
    expect(jobs.map((j) => j.assignedToId)).toEqual([101, 7]);
    expect(jobs[0]).toMatchObject({ includeImagesWithTags: ['origin'], excludeImagesWithTags: [], reviewerId: 101 });
    expect(jobs[0]!.entities!.map((e) => e.id).sort()).toEqual([3882697, 3882699]);
    const [excluded] = await api.jobs.create({ name: 'excluded', datasetId: 10555, userIds: [101], excludeImagesWithTags: ['origin'] });
    expect(excluded!.entities!.map((e) => e.id).sort()).toEqual([3882698, 3882700, 3882701, 3882702]);
    const [ranged] = await api.jobs.create({ name: 'ranged', datasetId: 10555, userIds: [101], imagesRange: [2, 3] });
    expect(ranged).toMatchObject({ imagesCount: 2, imagesRange: { start: 2, end: 3 } });
  });
  it('refuses an unknown class as a validation error', async () => {
    await expect(api.jobs.create({ name: 'bad', datasetId: 10555, userIds: [101], classesToLabel: ['banana'] })).rejects.toMatchObject({
      kind: 'validation',
    });
  });
  it('reads infos by id (404 → null, dropped from getInfoByIds)', async () => {
    expect(await api.jobs.getInfoById(job1)).toMatchObject({ id: job1, name: 'labeler1_lemons_task' });
    expect(await api.jobs.getInfoById(99999)).toBeNull();
    expect((await api.jobs.getInfoByIds([job2, 99999, job1])).map((j) => j.id)).toEqual([job2, job1]);
  });
  it('stops, reads and sets statuses, waits (by value)', async () => {
    await api.jobs.stop(job1);
    expect(await api.jobs.getStatus(job1)).toBe('stopped');
    await api.jobs.setStatus(job2, 'completed');
    await api.jobs.wait(job2, 'completed', { intervalMs: 10, attempts: 3 });
    await expect(api.jobs.getStatus(99999)).rejects.toMatchObject({ kind: 'not_found' });
  });
  it('sets an entity review status, reads stats and the activity of a job', async () => {
    await api.jobs.setEntityReviewStatus(job2, 3882697, 'accepted');
    const info = await api.jobs.getInfoById(job2);
    expect(info!.entities!.find((e) => e.id === 3882697)?.reviewStatus).toBe('accepted');
    expect(info!.acceptedImagesCount).toBe(1);
    const stats = await api.jobs.getStats(job2);
    expect(stats).toMatchObject({ job: { id: job2 }, images: { total: 3 } });
    const activity = await api.jobs.getActivity(8, job2);
    expect(activity.length).toBeGreaterThan(0);
    expect(activity.every((a) => a.jobId === job2)).toBe(true);
    const mine = await api.teams.getActivity(8, { userId: 7, actions: ['job_status_changed'] });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.action === 'job_status_changed' && a.userId === 7)).toBe(true);
  });
  it('archives (hidden unless showDisabled), removes one and a batch', async () => {
    await api.jobs.archive(job1);
    expect((await api.jobs.list({ teamId: 8 })).map((j) => j.id)).not.toContain(job1);
    const withArchived = await api.jobs.list({ teamId: 8, showDisabled: true });
    expect(withArchived.find((j) => j.id === job1)).toMatchObject({ disabled: true, entities: null });
    await api.jobs.remove(job2);
    expect(await api.jobs.getInfoById(job2)).toBeNull();
    const rest = (await api.jobs.list({ teamId: 8, showDisabled: true })).map((j) => j.id);
    const progress: number[] = [];
    await api.jobs.removeBatch(rest, { onProgress: (p) => progress.push(p.done) });
    expect(progress.at(-1)).toBe(rest.length);
    expect(await api.jobs.list({ teamId: 8, showDisabled: true })).toEqual([]);
  });
});
