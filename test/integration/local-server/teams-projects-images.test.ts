// teams.*, workspaces.*, projects.* (info/list/meta/meta.update/settings.update), datasets.*,
// images.*, previews, GET / and the /api/account login over real HTTP.
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTeamUser, errorMessage, startTestLocalServer, type TestLocalServer } from './helpers';

let server: TestLocalServer;
beforeAll(async () => {
  server = await startTestLocalServer();
});
afterAll(() => server.stop());

const IMAGE_IDS = [3882697, 3882698, 3882699, 3882700, 3882701, 3882702];

describe('teams and workspaces', () => {
  it('teams.list / teams.info / workspaces.list / workspaces.info', async () => {
    const teams = await server.call('teams.list', { filter: [], sort: 'id', sort_order: 'asc' });
    expect(teams.body).toMatchObject({ total: 1, perPage: 500, pagesCount: 1 });
    expect(teams.body.entities[0]).toMatchObject({ id: 8, name: 'my_team', role: 'admin', usage: { plan: 'free' } });
    expect((await server.call('teams.info', { id: 8 })).body).toMatchObject({ id: 8, name: 'my_team' });
    expect((await server.call('teams.info', { id: 9 })).status).toBe(404);
    const ws = await server.call('workspaces.list', { teamId: 8, filter: [], sort: 'id', sort_order: 'asc' });
    expect(ws.body.entities).toEqual([expect.objectContaining({ id: 349, name: 'Testing Workspace', teamId: 8 })]);
    const byName = await server.call('workspaces.list', { teamId: 8, filter: [{ field: 'name', operator: '=', value: 'nope' }] });
    expect(byName.body.total).toBe(0);
    expect((await server.call('workspaces.info', { id: 349 })).body).toMatchObject({ id: 349, teamId: 8 });
    expect((await server.call('workspaces.info', { id: 1 })).status).toBe(404);
  });

  it('instance.version answers 6.17.8', async () => {
    expect((await server.call('instance.version', {})).body).toEqual({ version: '6.17.8' });
  });
});

describe('projects', () => {
  it('projects.list by name in a workspace and projects.info (size as a string)', async () => {
    const list = await server.call('projects.list', {
      filter: [{ field: 'name', operator: '=', value: 'Lemons (Test)' }],
      fields: ['id', 'name'],
      workspaceId: 349,
      sort: 'id',
      sort_order: 'asc',
    });
    expect(list.body.total).toBe(1);
    expect(list.body.entities[0]).toMatchObject({
      id: 5555,
      name: 'Lemons (Test)',
      size: '1277440',
      imagesCount: 6,
      datasetsCount: 1,
      type: 'images',
      workspaceId: 349,
      teamId: 8,
    });
    const info = await server.call('projects.info', { id: 5555 });
    expect(info.body).toMatchObject({ id: 5555, size: '1277440', itemsCount: 6 });
    expect((await server.call('projects.info', { id: 1 })).status).toBe(404);
    expect(errorMessage(await server.call('projects.info', { id: 1 }))).toContain('Project with projectId 1 is either archived');
    expect((await server.call('projects.list', { filter: [], workspaceId: 349, groupId: 8 })).status).toBe(400);
  });

  it('projects.meta returns the seeded classes and tags with their ids', async () => {
    const meta = await server.call('projects.meta', { id: 5555 });
    expect(meta.body.classes).toEqual([
      { id: 8001, title: 'kiwi', description: '', shape: 'bitmap', color: '#D0021B', geometry_config: {}, hotkey: '' },
      { id: 8002, title: 'lemon', description: '', shape: 'bitmap', color: '#50E3C2', geometry_config: {}, hotkey: '' },
    ]);
    expect(meta.body.tags.map((t: { name: string; id: number }) => [t.name, t.id])).toEqual([
      ['origin', 8102],
      ['size', 8101],
    ]);
    expect(meta.body.tags[1]).toMatchObject({
      value_type: 'oneof_string',
      values: ['small', 'medium', 'large'],
      color: '#BD10E0',
      applicable_type: 'objectsOnly',
    });
    expect(meta.body.tags[0]).not.toHaveProperty('values');
    expect(meta.body).not.toHaveProperty('projectSettings');
  });

  it('projects.meta.update merges: keeps absent items, updates by id/name, creates new ones with ids', async () => {
    const res = await server.call('projects.meta.update', {
      id: 5555,
      meta: {
        classes: [
          { title: 'lemon', shape: 'bitmap', color: '#50E3C2', id: 8002 },
          { title: 'orange', shape: 'polygon', color: '#f5a623' },
        ],
        tags: [{ name: 'ripe', value_type: 'none' }],
        projectType: 'images',
        projectSettings: { multiView: { enabled: false, tagName: null, tagId: null, isSynced: false } },
      },
    });
    expect(res.status).toBe(200);
    const titles = res.body.classes.map((c: { title: string }) => c.title);
    expect(titles).toEqual(['kiwi', 'lemon', 'orange']);
    expect(res.body.classes[2].id).toBeGreaterThan(8002);
    expect(res.body.classes[2].color).toBe('#F5A623');
    const ripe = res.body.tags.find((t: { name: string }) => t.name === 'ripe');
    expect(ripe.id).toEqual(expect.any(Number));
    expect(ripe.color).toMatch(/^#[0-9A-F]{6}$/);
    expect(res.body.tags.map((t: { name: string }) => t.name)).toEqual(['origin', 'ripe', 'size']);
  });

  it('projects.meta.update rejects invalid metas and changes nothing', async () => {
    const before = (await server.call('projects.meta', { id: 5555 })).body;
    const cases = [
      { classes: [{ title: 'x', shape: 'bitmap' }] }, // no colour
      { classes: [{ title: 'x', shape: 'bitmap', color: 'red' }] },
      { tags: [] }, // no classes
      { classes: [], tags: [{ name: 'q', value_type: 'oneof_string' }] },
      { classes: [], tags: [{ name: 'q', value_type: 'any_string', values: ['a'] }] },
      { classes: [{ title: 'new_one', shape: 'bitmap', color: '#000000' }], tags: [{ name: 'q', value_type: 'none', classes: ['ghost'] }] },
      { classes: [{ title: 'x', shape: 'bitmap', color: '#000000', id: 1 }] },
      { classes: [], projectSettings: { multiView: { enabled: false } } },
    ];
    for (const meta of cases) {
      const res = await server.call('projects.meta.update', { id: 5555, meta });
      expect(res.status, JSON.stringify(meta)).toBe(400);
      errorMessage(res);
    }
    expect((await server.call('projects.meta', { id: 5555 })).body).toEqual(before);
  });

  it('projects.settings.update validates and stores settings', async () => {
    const ok = await server.call('projects.settings.update', {
      id: 5555,
      settings: { groupImages: false, groupImagesByTagId: null, groupImagesSync: false },
    });
    expect(ok.status).toBe(200);
    const withTag = await server.call('projects.settings.update', {
      id: 5555,
      settings: { groupImages: true, groupImagesByTagId: 8102, groupImagesSync: false },
    });
    expect(withTag.status).toBe(200);
    expect((await server.call('projects.info', { id: 5555 })).body.settings).toMatchObject({ groupImages: true, groupImagesByTagId: 8102 });
    expect((await server.call('projects.settings.update', { id: 5555, settings: { groupImagesByTagId: 1 } })).status).toBe(400);
    expect((await server.call('projects.settings.update', { id: 5555, settings: { bogus: 1 } })).status).toBe(400);
  });

  it('annotators may read projects but not change their meta (403)', async () => {
    await addTeamUser(server, 'ann', 3);
    const token = server.tokenFor('ann');
    expect((await server.call('projects.meta', { id: 5555 }, token)).status).toBe(200);
    const denied = await server.call('projects.meta.update', { id: 5555, meta: { classes: [] } }, token);
    expect(denied.status).toBe(403);
    expect(errorMessage(denied)).toContain('annotator');
  });
});

describe('datasets and images', () => {
  it('datasets.list / datasets.info', async () => {
    const list = await server.call('datasets.list', { projectId: 5555, filter: [], recursive: false, sort: 'id', sort_order: 'asc' });
    expect(list.body.entities).toEqual([
      expect.objectContaining({
        id: 10555,
        name: 'ds1',
        description: '',
        size: '1277440',
        projectId: 5555,
        imagesCount: 6,
        createdAt: '2022-10-18T15:39:57.377Z',
        updatedAt: '2022-10-18T15:39:57.377Z',
        teamId: 8,
        workspaceId: 349,
        parentId: null,
      }),
    ]);
    expect(list.body.entities[0]).not.toHaveProperty('customData');
    const custom = await server.call('datasets.list', { projectId: 5555, filter: [], recursive: false, extraFields: ['customData'] });
    expect(custom.body.entities[0].customData).toEqual({});
    expect((await server.call('datasets.info', { id: 10555 })).body).toMatchObject({ id: 10555, size: '1277440' });
    expect((await server.call('datasets.info', { id: 1 })).status).toBe(404);
    expect((await server.call('datasets.list', { projectId: 1, filter: [] })).status).toBe(404);
  });

  it('images.list: id order, pages of 2, filters, consistent mime, tags', async () => {
    const body = {
      projectId: null,
      datasetId: 10555,
      filter: [],
      sort: 'id',
      sort_order: 'asc',
      forceMetadataForLinks: true,
      recursive: false,
    };
    const all = await server.call('images.list', body);
    expect(all.body.entities.map((i: { id: number }) => i.id)).toEqual(IMAGE_IDS);
    for (const img of all.body.entities) {
      expect(img.mime).toBe('image/jpeg');
      expect(img.name).toMatch(/\.jpeg$/);
      expect(img.fullStorageUrl).toBe(`${server.url}/previews/${img.id}.png`);
      expect(Array.isArray(img.tags)).toBe(true);
    }
    expect(all.body.entities[0].tags[0]).toMatchObject({ tagId: 8102, value: 'Spain', entityId: 3882697 });
    const pages = [1, 2, 3].map((page) => server.call('images.list', { ...body, page, per_page: 2 }));
    const got = await Promise.all(pages);
    expect(got.map((p) => p.body.entities.map((i: { id: number }) => i.id))).toEqual([
      IMAGE_IDS.slice(0, 2),
      IMAGE_IDS.slice(2, 4),
      IMAGE_IDS.slice(4),
    ]);
    expect(got[0]!.body).toMatchObject({ total: 6, perPage: 2, pagesCount: 3 });
    const partial = await server.call('images.list', { ...body, page: 2, per_page: 4 });
    expect(partial.body.entities).toHaveLength(2);
    const past = await server.call('images.list', { ...body, page: 4, per_page: 2 });
    expect(past.body).toMatchObject({ total: 6, pagesCount: 3, entities: [] });
    const byIds = await server.call('images.list', { ...body, filter: [{ field: 'id', operator: 'in', value: [3882699, 3882697] }] });
    expect(byIds.body.entities.map((i: { id: number }) => i.id)).toEqual([3882697, 3882699]);
    const byName = await server.call('images.list', { ...body, filter: [{ field: 'name', operator: '=', value: 'IMG_8144.jpeg' }] });
    expect(byName.body.entities[0].id).toBe(3882702);
    const sorted = await server.call('images.list', { ...body, sort: 'name', sort_order: 'desc' });
    expect(sorted.body.entities[0].name).toBe('IMG_8144.jpeg');
    expect((await server.call('images.list', { ...body, projectId: 5555 })).status).toBe(400);
    const byProject = await server.call('images.list', { ...body, datasetId: null, projectId: 5555 });
    expect(byProject.body.total).toBe(6);
  });

  it('images.list token mode returns after cursors until null', async () => {
    const body = { datasetId: 10555, filter: [], pagination_mode: 'token', per_page: 4 };
    const first = await server.call('images.list', body);
    expect(first.body).toMatchObject({ total: 6 });
    expect(first.body.entities).toHaveLength(4);
    expect(typeof first.body.after).toBe('string');
    const second = await server.call('images.list', { ...body, after: first.body.after });
    expect(second.body.entities).toHaveLength(2);
    expect(second.body.after).toBeNull();
  });

  it('images.info and the preview route (valid PNG, no auth); unknown ids 404', async () => {
    const info = await server.call('images.info', { id: 3882699, forceMetadataForLinks: true });
    expect(info.body).toMatchObject({ id: 3882699, name: 'IMG_0748.jpeg', mime: 'image/jpeg', datasetId: 10555 });
    expect((await server.call('images.info', { id: 1 })).status).toBe(404);
    const png = await fetch(info.body.fullStorageUrl);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBe(64); // width
    const idat = bytes.indexOf('IDAT');
    const len = bytes.readUInt32BE(idat - 4);
    expect(inflateSync(bytes.subarray(idat + 4, idat + 4 + len)).length).toBe((64 * 3 + 1) * 48);
    expect((await fetch(`${server.url}/previews/1.png`)).status).toBe(404);
  });
});

describe('outside the API', () => {
  it('GET / answers 200 and POST /api/account logs in with a JWT carrying apiToken, group and workspace', async () => {
    expect((await fetch(`${server.url}/`, { redirect: 'manual' })).status).toBe(200);
    const res = await fetch(`${server.url}/api/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=my_username&password=my_password',
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, any>;
    expect(claims).toMatchObject({ id: 7, login: 'my_username', apiToken: server.adminToken, group: { id: 8 }, workspace: { id: 349 } });
    const wrong = await fetch(`${server.url}/api/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=my_username&password=nope',
    });
    expect(wrong.status).toBe(401);
    const missing = await fetch(`${server.url}/api/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(missing.status).toBe(400);
  });
});
