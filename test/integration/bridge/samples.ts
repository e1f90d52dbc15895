// One valid request per contract channel, built from what a freshly synced local server holds, for
// the round-trip tests of both transports (web-bridge.test.ts, ipc-contract.test.ts).
import type { ChannelName, Handlers, RequestOf } from '#shared/contract';

/** What the samples refer to: real ids read from the synced cache of the local server. */
export interface World {
  teamId: number;
  workspaceId: number;
  projectId: number;
  datasetId: number;
  imageId: number;
  userId: number;
  roleId: number;
  jobIds: number[];
  /** an image of the first job */
  jobImageId: number;
}

/**
 * One valid request per channel, typed as a full record so a new channel cannot be forgotten. Reads
 * come before the mutations they would disturb (object order is the call order).
 */
export const samplesFor = (w: World): { [C in ChannelName]: RequestOf<C> } => ({
  'app.info': {},
  'sync.state': {},
  'jobs.query': { filter: {}, sort: { column: 'id', direction: 'asc' }, offset: 0, limit: 50 },
  'jobs.window': { filter: {}, sort: { column: 'createdAt', direction: 'desc' }, offset: 0, limit: 50 },
  'jobs.idSet': { filter: { showArchived: true } },
  'jobs.get': { id: w.jobIds[0]! },
  'jobs.stats': { id: w.jobIds[0]! },
  'jobs.statusCounts': { filter: { showArchived: true } },
  'jobs.charts': { filter: {} },
  'jobs.watch': { jobId: w.jobIds[0]!, status: 'completed' },
  'jobs.watches': {},
  'jobs.unwatch': { jobId: w.jobIds[0]! },
  'catalog.teams': {},
  'queues.list': { teamId: w.teamId },
  'catalog.workspaces': { teamId: w.teamId },
  'catalog.projects': { workspaceId: w.workspaceId },
  'catalog.datasets': { projectId: w.projectId },
  'catalog.images': { datasetId: w.datasetId },
  'catalog.imagesPage': { datasetId: w.datasetId, offset: 0, limit: 50 },
  'catalog.imagesSearch': { datasetId: w.datasetId, text: 'IMG', limit: 10 },
  'catalog.imagePool': { datasetId: w.datasetId },
  'catalog.projectMeta': { projectId: w.projectId },
  'catalog.thumbnail': { imageId: w.imageId },
  'projects.list': { teamId: w.teamId },
  'projects.meta': { projectId: w.projectId },
  'projects.images': { datasetId: w.datasetId, offset: 0, limit: 20 },
  'users.members': { teamId: w.teamId },
  'users.load': { teamId: w.teamId },
  'users.roles': {},
  'jobs.create': { name: 'bridge job', datasetId: w.datasetId, userIds: [w.userId], classesToLabel: ['lemon'] },
  'jobs.serverUrl': { id: w.jobIds[0]! },
  'jobs.edit': { id: w.jobIds[0]!, reviewerId: w.userId },
  // a rejected image first, so the restart has something to send back
  'jobs.review': { id: w.jobIds[0]!, imageId: w.jobImageId, status: 'rejected' },
  'jobs.restart': { id: w.jobIds[0]!, userId: w.userId, reviewerId: null, name: 'bridge restart' },
  'jobs.stop': { ids: [w.jobIds[0]!] },
  'jobs.setStatus': { ids: [w.jobIds[1]!], status: 'completed' },
  'jobs.archive': { ids: [w.jobIds[2]!] },
  'jobs.remove': { ids: [w.jobIds[3]!] },
  'users.create': { login: 'bridge_user', password: 'password123' },
  'users.addToTeam': { userId: w.userId, teamId: w.teamId, roleId: w.roleId },
  'users.changeRole': { userId: w.userId, teamId: w.teamId, roleId: w.roleId },
  'sync.now': {},
  'sync.cancel': {},
  'outbox.list': {},
  'outbox.batchProgress': { batchId: 'b-none' },
  // ids no change has: a queued change may be in flight at this moment (discarding it is then a
  // conflict, by design), and the transports are what is under test here, not the outbox rules
  'outbox.retry': { ids: [999_999] },
  'outbox.retryRefused': { batchId: 'b-none' },
  'outbox.discard': { ids: [999_999] },
  'outbox.cancelBatch': { batchId: 'b-none' },
  'outbox.resolve': { id: 999_999, choice: 'sendAgain' },
  'presets.list': {},
  'presets.save': { name: 'mine', filter: { statuses: ['pending'] } },
  'presets.delete': { name: 'mine' },
  'grid.columns': {},
  'grid.saveColumns': { hidden: ['reviewer'], widths: { name: 240 } },
  'templates.list': {},
  'templates.save': {
    name: 'lemons',
    classesToLabel: ['lemon'],
    tagsToLabel: [],
    objectsLimitPerImage: null,
    tagsLimitPerImage: 5,
    readme: '# Lemons',
    description: '',
    reviewerId: null,
    options: { dynamicTags: true },
  },
  'templates.delete': { name: 'lemons' },
  'settings.get': {},
  'settings.update': { theme: 'dark' },
  'settings.saveProfile': { name: 'Elsewhere', serverAddress: 'http://127.0.0.1:9', apiToken: 'secret-token-never-returned' },
  'settings.testConnection': { serverAddress: 'http://127.0.0.1:9', apiToken: 'x' },
  'settings.importEnv': {},
  'settings.deleteProfile': { id: 'no-such-profile' },
  'settings.activateProfile': { id: null },
});

/** The only channels allowed to answer ok:false here, each with the domain refusal it must be (never internal). */
export const EXPECTED_REFUSALS: Partial<Record<ChannelName, string>> = {};

/** Waits for the first pull, then reads the ids the samples name, through whichever transport `value` uses. */
export async function discoverWorld(value: <T>(channel: ChannelName, payload: unknown) => Promise<T>): Promise<World> {
  for (let i = 0; i < 200 && !(await value<{ lastSyncAt: string | null }>('sync.state', {})).lastSyncAt; i++)
    await new Promise((r) => setTimeout(r, 50));
  const [team] = await value<Array<{ id: number }>>('catalog.teams', {});
  const [workspace] = await value<Array<{ id: number }>>('catalog.workspaces', { teamId: team!.id });
  const project = (await value<Array<{ id: number; name: string }>>('catalog.projects', { workspaceId: workspace!.id })).find(
    (p) => p.name === 'Lemons (Test)',
  );
  if (!project) throw new Error('the demo project "Lemons (Test)" did not sync');
  const [dataset] = await value<Array<{ id: number }>>('catalog.datasets', { projectId: project.id });
  const [image] = await value<Array<{ id: number }>>('catalog.images', { datasetId: dataset!.id });
  const [member] = await value<Array<{ id: number; roleId: number }>>('users.members', { teamId: team!.id });
  const jobs = await value<{ rows: Array<{ id: number }>; total: number }>('jobs.query', {
    filter: {},
    sort: { column: 'id', direction: 'asc' },
    offset: 0,
    limit: 10,
  });
  if (jobs.rows.length < 4) throw new Error(`the samples need 4 synced jobs, found ${jobs.rows.length} (seed the server with jobs)`);
  const first = await value<{ entities: Array<{ id: number }> | null }>('jobs.get', { id: jobs.rows[0]!.id });
  if (!first.entities?.length) throw new Error('the samples need the images of the first job');
  return {
    jobImageId: first.entities[0]!.id,
    teamId: team!.id,
    workspaceId: workspace!.id,
    projectId: project.id,
    datasetId: dataset!.id,
    imageId: image!.id,
    userId: member!.id,
    roleId: member!.roleId,
    jobIds: jobs.rows.map((r) => r.id),
  };
}

/** The core's handlers, each noting its channel in `calls` first: proves a refused request never reaches the core. */
export function countedHandlers(core: { handlers: Handlers }, calls: string[]): Handlers {
  return Object.fromEntries(
    Object.entries(core.handlers).map(([name, fn]) => [name, (r: never) => (calls.push(name), (fn as (r: never) => Promise<unknown>)(r))]),
  ) as unknown as Handlers;
}
