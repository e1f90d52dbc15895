// Every channel of the contract through the core, in demo mode (local server in-process) and then
// on a saved profile: valid requests answer in the contract's response shape, jobs.query (and jobs.window) shows
// optimistic effects at once, settings never return tokens, and events are emitted.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channels, gridRowOf, parseRequest, type ChannelName, type EventName, type ResponseOf } from '#shared/contract';
import { decodeIdRuns } from '#shared/idRuns';
import { addMembers, adminApi, coreOnServer, waitFor } from '../support';

describe('core channels', () => {
  // the core runs in demo mode; the fixture's server is the other server a profile switches to later
  const env = coreOnServer('ljd-core-', { profile: 'demo', start: false });

  it('answers every channel with a valid response', async () => {
    const { core } = env;
    const seen = new Set<EventName>();
    for (const e of ['sync.state', 'outbox.changed', 'jobs.changed', 'ids.remapped', 'batch.progress', 'notify'] as EventName[])
      core.on(e, () => seen.add(e));
    await core.start();
    const called = new Set<ChannelName>();
    const call = async <C extends ChannelName>(name: C, request: unknown) => {
      called.add(name);
      const parsed = parseRequest(name, request);
      const response = await (core.handlers[name] as (r: unknown) => Promise<unknown>)(parsed);
      const check = channels[name].response.safeParse(response);
      if (!check.success) throw new Error(`${name}: response breaks the contract: ${check.error.message}`);
      return check.data as never;
    };
    const h = core.handlers;
    await waitFor('demo sync', async () => (await h['sync.state']({})).lastSyncAt);

    const info: { demo: boolean; userLogin: string | null } = await call('app.info', {});
    expect(info).toMatchObject({ demo: true, userLogin: 'my_username' });
    const teams: { id: number }[] = await call('catalog.teams', {});
    expect(teams.map((x) => x.id)).toEqual([8]);
    const ws: { id: number }[] = await call('catalog.workspaces', { teamId: 8 });
    const projects: { id: number; name: string }[] = await call('catalog.projects', { workspaceId: ws[0]!.id });
    expect(projects.map((p) => p.name)).toContain('Lemons (Test)');
    const meta: { classes: { title: string }[] } = await call('catalog.projectMeta', { projectId: 5555 });
    expect(meta.classes.map((c) => c.title).sort()).toEqual(['kiwi', 'lemon']);
    const datasets: { id: number }[] = await call('catalog.datasets', { projectId: 5555 });
    expect(datasets.map((d) => d.id)).toEqual([10555]);
    const images: { id: number }[] = await call('catalog.images', { datasetId: 10555 });
    expect(images).toHaveLength(6);
    const window: { total: number; images: { position: number; id: number }[] } = await call('catalog.imagesPage', {
      datasetId: 10555,
      offset: 2,
      limit: 2,
    });
    expect(window.total).toBe(6);
    expect(window.images.map((i) => [i.position, i.id])).toEqual([
      [3, images[2]!.id],
      [4, images[3]!.id],
    ]);
    // the demo's names sort in another order than their ids: the search says where in id order each one is
    const found: { searched: number; matches: { position: number; name: string }[] } = await call('catalog.imagesSearch', {
      datasetId: 10555,
      text: 'img_2',
      limit: 10,
    });
    expect(found.searched).toBe(6);
    expect(found.matches).toEqual([expect.objectContaining({ position: 4, name: 'IMG_2084.jpeg' })]);
    const pool: { ids: number[]; missing: number } = await call('catalog.imagePool', { datasetId: 10555 });
    expect(pool).toMatchObject({ ids: images.map((i) => i.id), missing: 0 });
    const thumb: { dataUrl: string | null } = await call('catalog.thumbnail', { imageId: images[0]!.id });
    expect(thumb.dataUrl).toMatch(/^data:image\//);
    const browsed: { name: string; usable: boolean; datasets: { id: number; imagesCount: number | null }[] }[] = await call(
      'projects.list',
      { teamId: 8 },
    );
    expect(browsed.find((p) => p.name === 'Lemons (Test)')).toMatchObject({ usable: true, datasets: [{ id: 10555, imagesCount: 6 }] });
    const browsedMeta: { meta: { classes: { color: string }[] } | null } = await call('projects.meta', { projectId: 5555 });
    expect(browsedMeta.meta?.classes.map((c) => c.color).sort()).toEqual(['#50E3C2', '#D0021B']);
    const imagePage: { images: { id: number }[]; total: number | null } = await call('projects.images', {
      datasetId: 10555,
      offset: 4,
      limit: 10,
    });
    expect(imagePage).toMatchObject({ total: 6, images: [{ id: 3882701 }, { id: 3882702 }] });
    const roles: { role: string }[] = await call('users.roles', {});
    expect(roles.map((r) => r.role)).toContain('annotator');
    const members: { login: string }[] = await call('users.members', { teamId: 8 });
    expect(members.map((m) => m.login)).toContain('my_username');

    // writes: optimistic at once, then confirmed by the server
    const created: { jobIds: number[]; batchId: string } = await call('jobs.create', { name: 'core job', datasetId: 10555, userIds: [7] });
    const localId = created.jobIds[0]!;
    expect(localId).toBeLessThan(0);
    const q1: { rows: { id: number; local: boolean; pendingCount: number }[]; total: number } = await call('jobs.query', {
      filter: { text: 'core job' },
      sort: { column: 'id', direction: 'asc' },
      offset: 0,
      limit: 10,
    });
    expect(q1.rows[0]).toMatchObject({ id: localId, local: true, pendingCount: 1 });
    // the grid's window of the same rows: values in GRID_ROW_FIELDS' order
    const w1: ResponseOf<'jobs.window'> = await call('jobs.window', {
      filter: { text: 'core job' },
      sort: { column: 'id', direction: 'asc' },
      offset: 0,
      limit: 10,
    });
    // (the server may have confirmed the job by now: then it is the server's job, with nothing queued)
    const windowRow = gridRowOf(w1.rows[0]!);
    expect(windowRow).toMatchObject(
      windowRow.id === localId ? { name: 'core job', local: true, pendingCount: 1 } : { name: 'core job', local: false, pendingCount: 0 },
    );
    expect(windowRow.id === localId || windowRow.id > 0).toBe(true);
    const remapped = await waitFor('remap', async () =>
      decodeIdRuns((await h['jobs.idSet']({ filter: { text: 'core job' } })).runs).find((id) => id > 0),
    );
    await call('jobs.watch', { jobId: remapped, status: 'completed' });
    expect(await call('jobs.watches', {})).toEqual([{ jobId: remapped, status: 'completed' }]);
    const { serverAddress } = await h['app.info']({});
    expect(await call('jobs.serverUrl', { id: remapped })).toEqual({ url: `${serverAddress}/labeling/jobs/${remapped}` });
    await call('jobs.edit', { id: remapped, reviewerId: 7 });
    // refused before anything is queued: an image the job does not have, a restart with nothing rejected
    called.add('jobs.review');
    await expect(h['jobs.review']({ id: remapped, imageId: 1, status: 'accepted' })).rejects.toMatchObject({ kind: 'not_found' });
    called.add('jobs.restart');
    await expect(h['jobs.restart']({ id: remapped, userId: 7, reviewerId: null, name: 'again' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await call('jobs.setStatus', { ids: [remapped], status: 'in_progress' });
    const q2: { rows: { status: string }[] } = await call('jobs.query', {
      filter: { text: 'core job' },
      sort: { column: 'id', direction: 'asc' },
      offset: 0,
      limit: 10,
    });
    expect(q2.rows[0]!.status).toBe('in_progress');
    await call('jobs.stop', { ids: [remapped] });
    await call('jobs.archive', { ids: [remapped] });
    const archived: { total: number } = await call('jobs.query', {
      filter: { text: 'core job' },
      sort: { column: 'id', direction: 'asc' },
      offset: 0,
      limit: 10,
    });
    expect(archived.total).toBe(0);
    await waitFor('queue drained', async () => (await h['sync.state']({})).outboxPending === 0);
    const details: {
      job: { archived: boolean; status: string };
      history: { source: string }[];
      entities: unknown[] | null;
      outbox: unknown[];
    } = await call('jobs.get', { id: remapped });
    expect(details.job).toMatchObject({ archived: true, status: 'stopped' });
    expect(details.history.map((p) => p.source)).toEqual(expect.arrayContaining(['local_mutation', 'server_timestamp']));
    expect(details.outbox).toHaveLength(5);
    const stats = await call('jobs.stats', { id: remapped });
    expect(stats).not.toBeUndefined();
    const charts: { byStatus: { status: string; count: number }[] } = await call('jobs.charts', { filter: { showArchived: true } });
    expect(charts.byStatus.find((s) => s.status === 'stopped')?.count).toBe(1);
    expect(await call('jobs.statusCounts', { filter: { showArchived: true } })).toEqual(charts.byStatus);
    await call('jobs.unwatch', { jobId: remapped });
    await call('jobs.remove', { ids: [remapped] });
    const newUser: { userId: number } = await call('users.create', { login: 'core_user', password: 'password123' });
    expect(newUser.userId).toBeLessThan(0);
    // refers to the local user id: waits for the create, then goes out with the server id
    await call('users.addToTeam', { userId: newUser.userId, teamId: 8, roleId: 3 });
    await call('users.changeRole', { userId: newUser.userId, teamId: 8, roleId: 6 });
    expect((await h['users.members']({ teamId: 8 })).find((m) => m.login === 'core_user')).toMatchObject({ pending: true, roleId: 6 });
    await waitFor('user created', async () => (await h['sync.state']({})).outboxPending === 0);
    expect((await h['users.members']({ teamId: 8 })).find((m) => m.login === 'core_user')).toMatchObject({ pending: false, roleId: 6 });
    // the only job was removed on the server: nothing left to select
    expect(await call('jobs.idSet', { filter: { showArchived: true } })).toEqual({ runs: '', count: 0 });
    await call('sync.now', {});
    await waitFor('user pulled', async () => (await h['users.members']({ teamId: 8 })).length >= 1);
    const list: { state: string }[] = await call('outbox.list', { limit: 50 });
    expect(list.every((i) => i.state === 'done')).toBe(true);
    expect(await call('outbox.batchProgress', { batchId: 'no such batch' })).toEqual({
      done: 0,
      failed: 0,
      total: 0,
      writing: 0,
      cancelling: 0,
    });
    expect(await call('outbox.cancelBatch', { batchId: 'no such batch' })).toEqual({ unwritten: 0, discarded: 0 });
    await call('outbox.retry', { ids: [1] });
    expect(await call('outbox.retryRefused', {})).toEqual({ changes: 0, jobs: 0 });
    expect(await call('outbox.discard', { ids: [1] })).toEqual({ discarded: 0 }); // sent long ago
    await call('outbox.resolve', { id: 1, choice: 'sendAgain' });
    await call('sync.state', {});
    await call('presets.save', { name: 'mine', filter: { statuses: ['pending'] } });
    expect(await call('presets.list', {})).toEqual([{ name: 'mine', filter: { statuses: ['pending'] } }]);
    expect(await call('presets.delete', { name: 'mine' })).toEqual([]);
    const template = {
      name: 'kiwis',
      classesToLabel: ['kiwi'],
      tagsToLabel: [],
      objectsLimitPerImage: null,
      tagsLimitPerImage: 2,
      readme: '',
      description: '',
      reviewerId: null,
      options: { dynamicClasses: true },
    };
    expect(await call('templates.save', template)).toEqual([template]);
    expect(await call('templates.list', {})).toEqual([template]);
    expect(await call('templates.delete', { name: 'kiwis' })).toEqual([]);
    expect(await call('grid.columns', {})).toEqual({ hidden: [], widths: {} });
    const layout = { hidden: ['creator'], widths: { name: 250 } };
    expect(await call('grid.saveColumns', layout)).toEqual(layout);
    expect(await call('grid.columns', {})).toEqual(layout);
    // the admin's one job (created above, then removed) left no open work
    expect(await call('users.load', { teamId: 8 })).toEqual([]);
    // the demo world has no labeling queues
    expect(await call('queues.list', { teamId: 8 })).toEqual([]);
    expect(['sync.state', 'outbox.changed', 'jobs.changed', 'ids.remapped', 'batch.progress'].every((e) => seen.has(e as EventName))).toBe(
      true,
    );

    // settings: profiles with tokens kept aside, ~/supervisely.env, testing and switching servers
    const other = env.server;
    const otherAdmin = adminApi(other.url, other.adminToken);
    await addMembers(otherAdmin, ['elsewhere']);
    writeFileSync(join(env.dir, 'supervisely.env'), `SERVER_ADDRESS="${other.url}"\nAPI_TOKEN='${other.adminToken}'\n`);
    const imported: { profiles: { id: string; source: string; hasToken: boolean }[] } = await call('settings.importEnv', {});
    expect(imported.profiles).toEqual([expect.objectContaining({ source: 'supervisely.env', hasToken: true })]);
    expect(JSON.stringify(imported)).not.toContain(other.adminToken);
    expect(statSync(join(env.dir, 'data', 'secrets.json')).mode & 0o777).toBe(0o600);
    const test: { ok: boolean; login: string | null } = await call('settings.testConnection', { profileId: imported.profiles[0]!.id });
    expect(test).toMatchObject({ ok: true, login: 'my_username' });
    const bad: { ok: boolean; message: string } = await call('settings.testConnection', { serverAddress: other.url, apiToken: 'wrong' });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/token/);
    const saved: { profiles: { id: string }[] } = await call('settings.saveProfile', {
      name: 'Other',
      serverAddress: other.url,
      apiToken: other.adminToken,
    });
    const profileId = saved.profiles.find((p) => p.id !== imported.profiles[0]!.id)!.id;
    expect(((await call('settings.get', {})) as { updateChannel: string }).updateChannel).toBe('latest');
    await call('settings.update', { syncIntervalSec: 120, theme: 'dark', updateChannel: 'beta' });
    const active: { activeProfileId: string | null; syncIntervalSec: number } = await call('settings.activateProfile', { id: profileId });
    expect(active).toMatchObject({ activeProfileId: profileId, syncIntervalSec: 120, updateChannel: 'beta' });
    expect(JSON.parse(readFileSync(join(env.dir, 'data', 'settings.json'), 'utf8'))).toMatchObject({ updateChannel: 'beta' });
    await waitFor('profile sync', async () => (await h['users.members']({ teamId: 8 })).some((m) => m.login === 'elsewhere'));
    expect(((await call('app.info', {})) as { demo: boolean }).demo).toBe(false);
    await call('settings.deleteProfile', { id: profileId });
    expect(((await call('settings.get', {})) as { activeProfileId: string | null }).activeProfileId).toBeNull();
    expect(((await call('app.info', {})) as { demo: boolean }).demo).toBe(true);
    // answers whether a pull was running (the profile switch may have started one)
    expect(typeof ((await call('sync.cancel', {})) as { cancelled: boolean }).cancelled).toBe('boolean');

    const missing = Object.keys(channels).filter((c) => !called.has(c as ChannelName));
    expect(missing).toEqual([]);
  }, 60_000);
});
