// The seed tutorial (Labeling Jobs automation, supervisely-api.md §6) end to end through our Supervisely client:
// `npm run tutorial -- [--server URL --token T] [--team 8] [--project 5555]`. Without --server it
// starts the local server in-process (demo seed, temp file). Exits non-zero if any step fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSuperviselyApi } from '../main/supervisely/client';
import { isApiError } from '../main/supervisely/errors';
import { DefaultRole, type JobWire, type ProjectMeta } from '../main/supervisely/types';
import type { SuperviselyApi } from '../main/supervisely/api';

export interface TutorialOptions {
  server?: string;
  token?: string;
  teamId?: number;
  projectId?: number;
  log?: (line: string) => void;
}

/** Fixed-width table, like the tutorial's printouts. */
function table(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '(none)';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(',') : v === null || v === undefined ? '-' : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

const jobRows = (jobs: JobWire[]) =>
  jobs.map((j) => ({
    id: j.id,
    name: j.name,
    status: j.status,
    created_by: j.createdByLogin,
    assigned_to: j.assignedToLogin,
    classes: j.classesToLabel,
    tags: j.tagsToLabel,
    images: j.imagesCount,
    disabled: j.disabled,
  }));

/** The tutorial's prepare_project: classes lemon/kiwi (bitmap), tags size (oneof) and origin (any_string). */
function withTutorialItems(meta: ProjectMeta): ProjectMeta {
  const classes = [...meta.classes];
  const tags = [...meta.tags];
  const wantClasses = [
    { title: 'lemon', color: '#50E3C2' },
    { title: 'kiwi', color: '#D0021B' },
  ];
  for (const c of wantClasses) {
    const found = classes.find((x) => x.title === c.title);
    if (found && found.shape !== 'bitmap') throw new Error(`Class ${c.title} exists with shape ${found.shape}, not bitmap`);
    if (!found)
      classes.push({ id: null, title: c.title, shape: 'bitmap', color: c.color, description: '', hotkey: '', geometryConfig: {} });
  }
  const wantTags = [
    { name: 'size', valueType: 'oneof_string' as const, values: ['small', 'medium', 'large'], color: '#BD10E0' },
    { name: 'origin', valueType: 'any_string' as const, values: null, color: '#8B572A' },
  ];
  for (const t of wantTags) {
    const found = tags.find((x) => x.name === t.name);
    if (found && (found.valueType !== t.valueType || JSON.stringify(found.values) !== JSON.stringify(t.values))) {
      throw new Error(`Tag ${t.name} exists with a different definition`);
    }
    if (!found) {
      tags.push({ id: null, ...t, hotkey: '', applicableType: 'objectsOnly', classes: ['lemon', 'kiwi'], targetType: 'all' });
    }
  }
  return { ...meta, classes, tags };
}

async function runSteps(api: SuperviselyApi, teamId: number, projectId: number, log: (line: string) => void): Promise<void> {
  let n = 0;
  const step = (title: string) => log(`\n== ${++n}. ${title}`);

  step(`prepare project ${projectId} (classes lemon, kiwi; tags size, origin)`);
  const prepared = await api.projects.updateMeta(projectId, withTutorialItems(await api.projects.getMeta(projectId)));
  log(`classes: ${prepared.classes.map((c) => c.title).join(', ')}; tags: ${prepared.tags.map((t) => t.name).join(', ')}`);

  const labelers: number[] = [];
  for (const [login, password] of [
    ['labeler_1', '11111abc'],
    ['labeler_2', '22222abc'],
  ] as const) {
    step(`user ${login}: find by login, else create (restricted)`);
    let user = await api.users.getInfoByLogin(login);
    if (user) log(`${login} exists: id ${user.id}`);
    else {
      user = await api.users.create({ login, password, isRestricted: true });
      log(`created ${login}: id ${user.id}`);
    }
    labelers.push(user.id);
  }
  for (const [i, userId] of labelers.entries()) {
    step(`labeler_${i + 1} in team ${teamId}?`);
    const role = await api.users.getTeamRole(userId, teamId);
    if (role) log(`already a member as ${role.role}`);
    else {
      await api.users.addToTeam(userId, teamId, DefaultRole.ANNOTATOR);
      log(`added as annotator: ${JSON.stringify(await api.users.getTeamRole(userId, teamId))}`);
    }
  }
  const [labeler1, labeler2] = labelers as [number, number];

  step('project meta');
  const meta = await api.projects.getMeta(projectId);
  log(table(meta.classes.map((c) => ({ class: c.title, shape: c.shape, color: c.color }))));
  log(
    table(
      meta.tags.map((t) => ({ tag: t.name, value_type: t.valueType, values: t.values, applicable: t.applicableType, classes: t.classes })),
    ),
  );

  step('datasets of the project');
  const datasets = await api.datasets.list(projectId);
  log(table(datasets.map((d) => ({ id: d.id, name: d.name, images: d.imagesCount, size: d.size, created: d.createdAt }))));
  const dataset = datasets[0];
  if (!dataset) throw new Error(`Project ${projectId} has no dataset`);

  const readme = 'annotation manual for fruits in markdown format here (optional)';
  const description = 'short description is here (optional)';
  step('create a job for labeler_1 (class lemon, whole dataset)');
  const [job1] = await api.jobs.create({
    name: 'labeler1_lemons_task',
    datasetId: dataset.id,
    userIds: [labeler1],
    readme,
    description,
    classesToLabel: ['lemon'],
  });
  log(table(jobRows([job1!])));

  step(`stop job ${job1!.id}`);
  await api.jobs.stop(job1!.id);
  log(`status: ${await api.jobs.getStatus(job1!.id)}`);

  step('images of the dataset (keep the first half)');
  const images = await api.images.list(dataset.id);
  const half = images.slice(0, Math.ceil(images.length / 2)).map((i) => i.id);
  log(`${images.length} images: ${images.map((i) => `${i.id} ${i.name}`).join(', ')}\nfirst half: ${half.join(', ')}`);

  step('create a job for labeler_2 with complex settings');
  const [job2] = await api.jobs.create({
    name: 'labeler2_kiwi_task_with_complex_settings',
    datasetId: dataset.id,
    userIds: [labeler2],
    readme,
    description,
    classesToLabel: ['kiwi'],
    objectsLimitPerImage: 10,
    tagsToLabel: ['size', 'origin'],
    tagsLimitPerImage: 20,
    imageIds: half,
  });
  log(table(jobRows([job2!])));
  const created = [job1!.id, job2!.id];

  step(`jobs of team ${teamId}`);
  log(table(jobRows(await api.jobs.list({ teamId }))));

  step('jobs created by my_username');
  const me = (await api.users.getInfoByLogin('my_username')) ?? (await api.users.getMyInfo());
  log(table(jobRows(await api.jobs.list({ teamId, createdById: me.id }))));

  step('jobs created by my_username and assigned to labeler_2');
  const narrowed = await api.jobs.list({ teamId, createdById: me.id, assignedToId: labeler2 });
  log(table(jobRows(narrowed)));
  if (!narrowed.some((j) => j.id === job2!.id)) throw new Error(`job ${job2!.id} missing from the filtered list`);

  step('statuses of the two new jobs');
  log(`job ${job1!.id}: ${await api.jobs.getStatus(job1!.id)}; job ${job2!.id}: ${await api.jobs.getStatus(job2!.id)}`);

  step(`set job ${job2!.id} to completed and wait for it`);
  await api.jobs.setStatus(job2!.id, 'completed');
  await api.jobs.wait(job2!.id, 'completed', { intervalMs: 200, attempts: 10 });
  log(`job ${job2!.id} is completed`);
  try {
    await api.jobs.wait(job2!.id, 'on_review', { intervalMs: 50, attempts: 3 });
    throw new Error('waiting for on_review should have timed out');
  } catch (err) {
    if (!isApiError(err, 'timeout')) throw err;
    log(`waiting for on_review (3 checks): ${err.message}`);
  }

  step(`archive job ${job1!.id}`);
  await api.jobs.archive(job1!.id);
  const visible = await api.jobs.list({ teamId });
  log(`visible jobs: ${visible.length}; job ${job1!.id} listed: ${visible.some((j) => j.id === job1!.id)}`);
  log(table(jobRows(await api.jobs.list({ teamId, showDisabled: true, ids: created }))));

  // The tutorial removes hard-coded ids 278…281; on a real server those are someone's jobs, so this
  // run removes only the jobs it created.
  step(`remove job ${job1!.id}, then the batch [${created.slice(1).join(', ')}]`);
  await api.jobs.remove(job1!.id);
  await api.jobs.removeBatch(created.slice(1));
  const left = await api.jobs.list({ teamId, showDisabled: true, ids: created });
  if (left.length) throw new Error(`jobs still present after removal: ${left.map((j) => j.id).join(', ')}`);
  log('removed; none of them is listed any more');
}

/** Runs the tutorial; throws on the first failing step. */
export async function runTutorial(options: TutorialOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  let stopLocal: (() => Promise<void>) | undefined;
  let server = options.server;
  let token = options.token;
  if (!server) {
    const { startLocalServer } = await import('../main/local-server');
    const dir = mkdtempSync(join(tmpdir(), 'tutorial-'));
    const localServer = await startLocalServer({ port: 0, seed: 'demo', dataFile: join(dir, 'local-server.sqlite') });
    server = localServer.url;
    token = localServer.adminToken;
    stopLocal = async () => {
      await localServer.close();
      rmSync(dir, { recursive: true, force: true });
    };
    log(`local server (demo seed) at ${server}`);
  }
  if (!token) throw new Error('--token is required with --server');
  try {
    const api = createSuperviselyApi({ serverAddress: server, apiToken: token });
    log(`server ${api.serverAddress}, instance version ${await api.instanceVersion()}`);
    await runSteps(api, options.teamId ?? 8, options.projectId ?? 5555, log);
    log('\nTutorial finished: every step succeeded.');
  } finally {
    await stopLocal?.();
  }
}

function parseArgs(argv: string[]): TutorialOptions {
  const out: TutorialOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (key === '--server') out.server = value();
    else if (key === '--token') out.token = value();
    else if (key === '--team') out.teamId = Number(value());
    else if (key === '--project') out.projectId = Number(value());
    else throw new Error(`Unknown option ${key}. Usage: npm run tutorial -- [--server URL --token T] [--team 8] [--project 5555]`);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runTutorial(parseArgs(process.argv.slice(2))).catch((err: unknown) => {
    console.error(`\nTutorial failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
