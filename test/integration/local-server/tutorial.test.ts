// Every call of the seed tutorial (supervisely-api.md §6 "What the seed tutorial calls"), in order, over HTTP,
// with each answer checked against the tutorial's expected values and the SDK's shape needs.
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLocalServer, type TestLocalServer } from './helpers';
import { expectSdkShape } from './sdk-shapes';

let server: TestLocalServer;
beforeAll(async () => {
  server = await startTestLocalServer();
});
afterAll(() => server.stop());

/** Calls like the SDK (adds sort/sort_order to list calls), expects 200 and the SDK shapes. */
async function sdk(method: string, body: Record<string, unknown>): Promise<any> {
  const full = method.endsWith('.list') && !('sort' in body) ? { ...body, sort: 'id', sort_order: 'asc' } : body;
  const res = await server.call(method, full);
  expect(res.status, `${method} ${JSON.stringify(res.body)}`).toBe(200);
  expectSdkShape(method, full, res.body);
  return res.body;
}

const README = 'annotation manual for fruits in markdown format here (optional)';
const DESCRIPTION = 'short description is here (optional)';
const meta = (m: Record<string, unknown>) => ({
  classes: [],
  projectTags: [],
  imageTags: [],
  imageFiguresLimit: 0,
  imageTagsLimit: 0,
  entityIds: [],
  dynamicClasses: false,
  dynamicTags: false,
  allowRestore: false,
  ...m,
});
const ids = (list: { id: number }[]) => list.map((x) => x.id);

describe('the labeling-jobs tutorial, call by call', () => {
  it('runs every step with the expected answers', async () => {
    // 0. The SDK's HTTPS probe: a TLS ClientHello on the plain port must not hurt.
    await new Promise<void>((done) => {
      const s = tlsConnect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false });
      const end = () => (s.destroy(), done());
      s.on('error', end).on('close', end).setTimeout(3000, end);
    });

    // 1. prepare_project(api, 5555): everything is there, so the update sends the meta back unchanged.
    const initial = await sdk('projects.meta', { id: 5555 });
    expect(initial.classes.map((c: any) => [c.title, c.shape])).toEqual([
      ['kiwi', 'bitmap'],
      ['lemon', 'bitmap'],
    ]);
    const updated = await sdk('projects.meta.update', {
      id: 5555,
      meta: { ...initial, projectSettings: { multiView: { enabled: false, tagName: null, tagId: null, isSynced: false } } },
    });
    expect(updated.classes).toEqual(initial.classes);
    expect(updated.tags).toEqual(initial.tags);
    await sdk('projects.settings.update', { id: 5555, settings: { groupImages: false, groupImagesByTagId: null, groupImagesSync: false } });

    // 2–3. Create labeler_1 (101) and labeler_2 (102) after a by-login lookup finds nothing.
    for (const [login, password, id] of [
      ['labeler_1', '11111abc', 101],
      ['labeler_2', '22222abc', 102],
    ] as const) {
      const found = await sdk('users.list', { filter: [{ field: 'login', operator: '=', value: login }] });
      expect(found.entities).toEqual([]);
      expect(await sdk('users.add', { login, password, isRestricted: true, name: '', email: '' })).toEqual({ userId: id });
      expect(await sdk('users.info', { id })).toMatchObject({ id, login, teams: [] });
    }

    // 4–5. get_team_role → not in team 8 → add_to_team(…, ANNOTATOR = 3).
    for (const [login, id] of [
      ['labeler_1', 101],
      ['labeler_2', 102],
    ] as const) {
      const info = await sdk('users.info', { id });
      expect(info.teams.find((t: any) => t.id === 8)).toBeUndefined();
      await sdk('users.info', { id });
      await sdk('members.add', { login, teamId: 8, roleId: 3 });
      expect((await sdk('users.info', { id })).teams).toEqual([{ id: 8, name: 'my_team', roleId: 3, role: 'annotator' }]);
    }

    // 6. The project meta as the tutorial prints it.
    const printed = await sdk('projects.meta', { id: 5555 });
    expect(printed.classes.map((c: any) => `${c.title}:${c.shape}`)).toEqual(['kiwi:bitmap', 'lemon:bitmap']);
    expect(printed.tags.map((t: any) => [t.name, t.value_type, t.values ?? null, t.applicable_type, [...t.classes].sort()])).toEqual([
      ['origin', 'any_string', null, 'objectsOnly', ['kiwi', 'lemon']],
      ['size', 'oneof_string', ['small', 'medium', 'large'], 'objectsOnly', ['kiwi', 'lemon']],
    ]);

    // 7. The dataset.
    const datasets = await sdk('datasets.list', { projectId: 5555, filter: [], recursive: false });
    expect(datasets.entities).toEqual([
      expect.objectContaining({
        id: 10555,
        name: 'ds1',
        description: '',
        size: '1277440',
        projectId: 5555,
        imagesCount: 6,
        createdAt: '2022-10-18T15:39:57.377Z',
        updatedAt: '2022-10-18T15:39:57.377Z',
      }),
    ]);

    // 8. Job 1 for labeler_1 on the whole dataset.
    const add1 = await sdk('jobs.add', {
      name: 'labeler1_lemons_task',
      datasetId: 10555,
      userIds: [101],
      meta: meta({ classes: ['lemon'] }),
      readme: README,
      description: DESCRIPTION,
    });
    expect(ids(add1)).toEqual([1]);
    const job1 = await sdk('jobs.info', { id: 1 });
    expect(job1).toMatchObject({
      id: 1,
      name: 'labeler1_lemons_task',
      readme: README,
      description: DESCRIPTION,
      teamId: 8,
      workspaceId: 349,
      workspaceTitle: 'Testing Workspace',
      projectId: 5555,
      projectTitle: 'Lemons (Test)',
      datasetId: 10555,
      datasetTitle: 'ds1',
      createdBy: 7,
      managerLogin: 'my_username',
      userId: 101,
      labelerLogin: 'labeler_1',
      status: 'pending',
      startedAt: null,
      finishedAt: null,
      disabled: false,
      imagesCount: 6,
      finishedImagesCount: 0,
    });
    expect(job1.meta).toMatchObject({
      classes: [{ id: 8002, name: 'lemon' }],
      projectTags: [],
      imageFiguresLimit: null,
      imageTagsLimit: null,
      range: { start: null, end: null },
    });
    expect(job1.entities.map((e: any) => e.name)).toEqual([
      'IMG_8144.jpeg',
      'IMG_4451.jpeg',
      'IMG_3861.jpeg',
      'IMG_2084.jpeg',
      'IMG_1836.jpeg',
      'IMG_0748.jpeg',
    ]);

    // 9. Stop it.
    await sdk('jobs.stop', { id: 1 });
    expect((await sdk('jobs.info', { id: 1 })).status).toBe('stopped');

    // 10. Images in id order; the tutorial keeps the first half.
    const images = await sdk('images.list', {
      projectId: null,
      datasetId: 10555,
      filter: [],
      forceMetadataForLinks: true,
      recursive: false,
    });
    expect(ids(images.entities)).toEqual([3882697, 3882698, 3882699, 3882700, 3882701, 3882702]);
    const half = ids(images.entities).slice(0, 3);

    // 11. Job 2 with the complex settings.
    const add2 = await sdk('jobs.add', {
      name: 'labeler2_kiwi_task_with_complex_settings',
      datasetId: 10555,
      userIds: [102],
      meta: meta({ classes: ['kiwi'], projectTags: ['size', 'origin'], imageFiguresLimit: 10, imageTagsLimit: 20, entityIds: half }),
      readme: README,
      description: DESCRIPTION,
    });
    expect(ids(add2)).toEqual([2]);
    const job2 = await sdk('jobs.info', { id: 2 });
    expect(job2).toMatchObject({
      id: 2,
      userId: 102,
      labelerLogin: 'labeler_2',
      createdBy: 7,
      reviewerId: 7,
      status: 'pending',
      imagesCount: 3,
      priority: 2,
      customData: {},
    });
    expect(job2.meta).toMatchObject({
      classes: [{ id: 8001, name: 'kiwi' }],
      projectTags: [
        { id: 8101, name: 'size' },
        { id: 8102, name: 'origin' },
      ],
      imageTags: [],
      imageFiguresLimit: 10,
      imageTagsLimit: 20,
      range: { start: null, end: null },
    });
    expect(job2.entities).toEqual([
      { id: 3882697, name: 'IMG_4451.jpeg', reviewStatus: 'none' },
      { id: 3882698, name: 'IMG_3861.jpeg', reviewStatus: 'none' },
      { id: 3882699, name: 'IMG_0748.jpeg', reviewStatus: 'none' },
    ]);

    // 12. The team's jobs: 1 (stopped) and 2 (pending), without entities.
    const listing = async () => sdk('jobs.list', { teamId: 8, showDisabled: false, filter: [] });
    const l12 = await listing();
    expect(l12.entities.map((j: any) => [j.id, j.status])).toEqual([
      [1, 'stopped'],
      [2, 'pending'],
    ]);

    // 13. By creator (looked up by login).
    const me = await sdk('users.list', { filter: [{ field: 'login', operator: '=', value: 'my_username' }] });
    expect(ids(me.entities)).toEqual([7]);
    const byCreator = await sdk('jobs.list', { teamId: 8, showDisabled: false, filter: [{ field: 'createdBy', operator: '=', value: 7 }] });
    expect(ids(byCreator.entities)).toEqual([1, 2]);

    // 14. By creator and assignee.
    const byBoth = await sdk('jobs.list', {
      teamId: 8,
      showDisabled: false,
      filter: [
        { field: 'createdBy', operator: '=', value: 7 },
        { field: 'userId', operator: '=', value: 102 },
      ],
    });
    expect(ids(byBoth.entities)).toEqual([2]);

    // 15–16. Listing again; statuses.
    expect(ids((await listing()).entities)).toEqual([1, 2]);
    expect((await sdk('jobs.info', { id: 1 })).status).toBe('stopped');
    expect((await sdk('jobs.info', { id: 2 })).status).toBe('pending');

    // 17–18. Complete job 2 and wait for it.
    await sdk('jobs.set-status', { id: 2, status: 'completed' });
    const done = await sdk('jobs.info', { id: 2 });
    expect(done.status).toBe('completed');
    expect(done.finishedAt).toEqual(expect.any(String));

    // 19. Archive job 1: hidden from listings, kept with showDisabled.
    await sdk('jobs.archive', { id: 1 });
    expect(ids((await listing()).entities)).toEqual([2]);
    const withArchived = await sdk('jobs.list', { teamId: 8, showDisabled: true, filter: [] });
    expect(withArchived.entities.map((j: any) => [j.id, j.disabled])).toEqual([
      [1, true],
      [2, false],
    ]);

    // 20–21. Removing the tutorial's hard-coded ids (unknown here) counts as done and removes nothing else.
    expect(await sdk('jobs.bulk.remove', { ids: [278] })).toEqual({ success: true });
    expect(await sdk('jobs.bulk.remove', { ids: [279, 280, 281] })).toEqual({ success: true });
    expect(ids((await sdk('jobs.list', { teamId: 8, showDisabled: true, filter: [] })).entities)).toEqual([1, 2]);
  });
});
