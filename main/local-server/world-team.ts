// The team world (`--world team`): what a real Supervisely team looks like to the app, seeded on top of the demo
// world (so the tutorial still runs): four more teams, 60 projects of every type, ~600 datasets whose millions of
// images come from a formula (synthetic-images.ts), ~150 members in every role, N jobs (default 100,000) with
// statuses and review statuses newer than the SDK, nulls where the SDK allows them, multi-dataset jobs, string ids,
// other ISO-8601 date forms, and an activity feed of the SDK's action types, each row with its jobId.
// One transaction (the caller's), prepared statements, a seeded PRNG: the same world every time.
import { withoutIndexes, type DB } from './store';
import { hashPassword, randomToken } from './secrets';
import { prng } from './prng';
import { countEntities, sortEntities, type Entity } from './jobs-model';
import { syntheticName, syntheticTotalSize, type SyntheticDataset } from './synthetic-images';

export const TEAM_WORLD_JOBS = 100_000;
export const TEAM_WORLD_TEAMS = ['Autonomy Lab', 'Retail Vision', 'Medical Imaging', 'Agri Drones'] as const;
/** The SDK's ProjectType values, with the share of projects of each type. */
export const PROJECT_TYPES: [string, number][] = [
  ['images', 0.5],
  ['videos', 0.2],
  ['point_clouds', 0.1],
  ['volumes', 0.1],
  ['point_cloud_episodes', 0.05],
  ['meshes', 0.05],
];
/** Job statuses with their share; `quality_check` is newer than the SDK. */
const STATUS_SHARES: [string, number][] = [
  ['pending', 0.18],
  ['in_progress', 0.22],
  ['on_review', 0.13],
  ['completed', 0.25],
  ['stopped', 0.07],
  ['review_completed', 0.07],
  ['quality_check', 0.08],
];
/** Members of each team by role id (1 admin … 6 reviewer), besides the instance admin. */
const TEAM_ROLES: [string, number, number][] = [
  ['admin', 1, 1],
  ['developer', 2, 2],
  ['annotator', 3, 24],
  ['viewer', 4, 3],
  ['manager', 5, 4],
  ['reviewer', 6, 3],
];
const FIRST_SYNTHETIC_IMAGE = 1_000_000_000;
const DAY = 86_400_000;
const CLASS_NAMES = ['car', 'person', 'truck', 'bicycle', 'sign', 'tree', 'box', 'shelf', 'tumor', 'organ', 'weed', 'crop'];
const DATASET_NAMES = ['batch', 'city', 'night', 'highway', 'store', 'scan', 'field', 'aisle', 'ward', 'flight'];

interface Person {
  id: number;
  login: string;
}
interface TeamCtx {
  id: number;
  workspaces: { id: number; name: string }[];
  byRole: Map<number, Person[]>;
  projects: ProjectCtx[];
  queues: { id: number; project: ProjectCtx; ds: SyntheticDataset }[];
}
interface ProjectCtx {
  id: number;
  name: string;
  type: string;
  workspace: { id: number; name: string };
  classes: { id: number; name: string }[];
  tags: { id: number; name: string }[];
  datasets: SyntheticDataset[];
}

/** Seeds the team world into a database holding the demo world; `adminId` (the instance admin) joins every team. */
export function seedTeamWorld(db: DB, adminId: number, jobCount: number, nowMs = Date.now()): void {
  const rnd = prng(20250301);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const share = (shares: [string, number][]): string => {
    let r = rnd();
    for (const [value, w] of shares) if ((r -= w) < 0) return value;
    return shares[0]![0];
  };
  const iso = (ms: number) => new Date(Math.min(ms, nowMs)).toISOString();
  const admin = db.prepare('SELECT id, login FROM users WHERE id = ?').get(adminId) as Person;
  const since = nowMs - 400 * DAY;

  const addTeam = db.prepare('INSERT INTO teams (name, description, created_at, updated_at) VALUES (?,?,?,?)');
  const addWorkspace = db.prepare('INSERT INTO workspaces (team_id, name, created_at, updated_at) VALUES (?,?,?,?)');
  const addUser = db.prepare(
    'INSERT INTO users (login, password_hash, name, email, token, disabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)',
  );
  const addMember = db.prepare('INSERT INTO members (team_id, user_id, role_id, created_at) VALUES (?,?,?,?)');
  const addProject = db.prepare(
    `INSERT INTO projects (team_id, workspace_id, name, type, created_by, settings, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
  );
  const addClass = db.prepare('INSERT INTO project_classes (project_id, title, shape, color) VALUES (?,?,?,?)');
  const addTag = db.prepare('INSERT INTO project_tags (project_id, name, value_type, possible_values, color) VALUES (?,?,?,?,?)');
  const addDataset = db.prepare(
    `INSERT INTO datasets (project_id, parent_id, name, created_by, created_at, updated_at, synth_first_id, synth_count, synth_size)
     VALUES (?,?,?,?,?,?,?,?,?)`,
  );
  const addQueue = db.prepare(
    'INSERT INTO labeling_queues (team_id, project_id, dataset_id, name, created_by, created_at) VALUES (?,?,?,?,?,?)',
  );
  const password = hashPassword('password');
  const at = iso(since);
  let nextImage = FIRST_SYNTHETIC_IMAGE;
  let projectNo = 0;

  const teams: TeamCtx[] = TEAM_WORLD_TEAMS.map((teamName) => {
    const id = Number(addTeam.run(teamName, `${teamName}: a team of the local server's team world`, at, at).lastInsertRowid);
    addMember.run(id, adminId, 1, at);
    const slug = teamName.split(' ')[0]!.toLowerCase();
    const workspaces = ['Production', 'Research', 'Archive'].map((w) => {
      const name = `${teamName} ${w}`;
      return { id: Number(addWorkspace.run(id, name, at, at).lastInsertRowid), name };
    });
    const byRole = new Map<number, Person[]>();
    for (const [role, roleId, count] of TEAM_ROLES) {
      const people = Array.from({ length: count }, (_, i) => {
        const login = `${slug}_${role}_${String(i + 1).padStart(2, '0')}`;
        // a few annotators have left: disabled accounts that still hold jobs
        const disabled = roleId === 3 && i >= count - 2 ? 1 : 0;
        const userId = Number(
          addUser.run(login, password, login.replace(/_/g, ' '), `${login}@example.com`, randomToken(), disabled, at, at).lastInsertRowid,
        );
        addMember.run(id, userId, roleId, at);
        return { id: userId, login };
      });
      byRole.set(roleId, people);
    }
    const projects: ProjectCtx[] = [];
    for (let p = 0; p < 15; p++) {
      // every type at least once per team, then by share
      const type = p < PROJECT_TYPES.length ? PROJECT_TYPES[p]![0] : share(PROJECT_TYPES);
      const workspace = workspaces[p % workspaces.length]!;
      const created = since + Math.floor(rnd() * 60 * DAY);
      const name = `${type.replace(/_/g, ' ')} ${String(++projectNo).padStart(2, '0')} (${slug})`;
      const projectId = Number(
        addProject.run(
          id,
          workspace.id,
          name,
          type,
          adminId,
          '{"groupImages":false,"groupImagesByTagId":null,"groupImagesSync":false}',
          iso(created),
          iso(created),
        ).lastInsertRowid,
      );
      const classes = Array.from({ length: 3 + Math.floor(rnd() * 4) }, (_, c) => {
        const title = CLASS_NAMES[(p + c) % CLASS_NAMES.length]!;
        const color = `#${(0x100000 + Math.floor(rnd() * 0xefffff)).toString(16).toUpperCase()}`;
        return {
          id: Number(addClass.run(projectId, title, type === 'images' ? 'polygon' : 'cuboid_3d', color).lastInsertRowid),
          name: title,
        };
      });
      const tags = [
        { id: Number(addTag.run(projectId, 'quality', 'oneof_string', '["good","blurry"]', '#50E3C2').lastInsertRowid), name: 'quality' },
        { id: Number(addTag.run(projectId, 'note', 'any_string', null, '#8B572A').lastInsertRowid), name: 'note' },
      ];
      const datasets: SyntheticDataset[] = [];
      const datasetCount = 6 + Math.floor(rnd() * 9);
      for (let d = 0; d < datasetCount; d++) {
        // one dataset in ~40 is huge; the rest hold a few thousand items
        const count = rnd() < 0.025 ? 100_000 + Math.floor(rnd() * 150_000) : 1500 + Math.floor(rnd() * 8000);
        const dsName = `${pick(DATASET_NAMES)}_${String(d + 1).padStart(2, '0')}`;
        const dsCreated = iso(created + d * DAY);
        const parent = d > 0 && rnd() < 0.1 ? datasets[Math.floor(rnd() * d)]!.id : null;
        const dsId = Number(
          addDataset.run(projectId, parent, dsName, adminId, dsCreated, dsCreated, nextImage, count, syntheticTotalSize(nextImage, count))
            .lastInsertRowid,
        );
        datasets.push({
          id: dsId,
          name: dsName,
          project_id: projectId,
          project_type: type,
          synth_first_id: nextImage,
          synth_count: count,
          created_at: dsCreated,
          created_by: admin.login,
        });
        nextImage += count + 1000;
      }
      projects.push({ id: projectId, name, type, workspace, classes, tags, datasets });
    }
    // five labeling queues per team, each on one dataset of one project
    const queues = Array.from({ length: 5 }, (_, q) => {
      const project = pick(projects);
      const ds = pick(project.datasets);
      const queueId = Number(addQueue.run(id, project.id, ds.id, `${ds.name} queue ${q + 1}`, adminId, ds.created_at).lastInsertRowid);
      return { id: queueId, project, ds };
    });
    return { id, workspaces, byRole, projects, queues };
  });
  // A few people work in two teams (an annotator of one reviews in the next).
  for (let t = 0; t < teams.length; t++) {
    const next = teams[(t + 1) % teams.length]!;
    for (const person of teams[t]!.byRole.get(3)!.slice(0, 3)) {
      addMember.run(next.id, person.id, 6, at);
      next.byRole.get(6)!.push(person);
    }
  }
  withoutIndexes(db, ['jobs', 'job_entities', 'activity'], () => seedWorldJobs(db, teams, admin, jobCount, rnd, share, since, nowMs));
}

/** Other ISO-8601 forms real servers send for the same instant. */
function otherIsoForm(ms: number, variant: number): string {
  const canonical = new Date(ms).toISOString();
  if (variant === 0) return canonical.replace(/\.\d{3}Z$/, 'Z'); // no milliseconds
  if (variant === 1) return canonical.replace('Z', '+00:00');
  if (variant === 2) return canonical.replace('Z', '123Z'); // microseconds
  const shifted = new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00'); // local time with its offset
  return shifted;
}

function seedWorldJobs(
  db: DB,
  teams: TeamCtx[],
  admin: Person,
  count: number,
  rnd: () => number,
  share: (s: [string, number][]) => string,
  since: number,
  nowMs: number,
): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const iso = (ms: number) => new Date(Math.min(ms, nowMs)).toISOString();
  const insertJob = db.prepare(
    `INSERT INTO jobs (team_id, workspace_id, workspace_title, project_id, project_title, project_type, dataset_id, dataset_title,
       name, readme, description, created_by, manager_login, user_id, labeler_login, reviewer_id, reviewer_login,
       created_at, updated_at, started_at, finished_at, annotation_finished_at, review_finished_at, status, disabled,
       labeling_queue_id, images_count, finished_images_count, rejected_images_count, accepted_images_count, progress_images_count,
       priority, meta, wire_overlay)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertEntities = db.prepare('INSERT INTO job_entities (job_id, entities) VALUES (?, ?)');
  const insertActivity = db.prepare(
    `INSERT INTO activity (team_id, date, user_id, action, project_id, dataset_id, image_id, job_id, job_name, labeler_id,
       review_status, class_id, tag_id, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const setOverlay = db.prepare('UPDATE jobs SET wire_overlay = ? WHERE id = ?');
  const teamShares = teams.map((_, i) => (i === 0 ? 0.4 : 0.6 / (teams.length - 1)));
  const started = new Set(['in_progress', 'on_review', 'completed', 'stopped', 'review_completed', 'quality_check']);
  const annotated = new Set(['on_review', 'completed', 'review_completed', 'quality_check']);
  const reviewed = new Set(['completed', 'review_completed', 'quality_check']);

  for (let n = 0; n < count; n++) {
    let r = rnd();
    const team =
      teams[
        Math.max(
          0,
          teamShares.findIndex((w) => (r -= w) < 0),
        )
      ]!;
    const queue = rnd() < 0.15 ? pick(team.queues) : null; // 15% of jobs come from a labeling queue on its dataset
    const project = queue?.project ?? pick(team.projects);
    const ds = queue?.ds ?? pick(project.datasets);
    const multi = !queue && rnd() < 0.03 && project.datasets.length > 1; // entities from two datasets: datasetId null on the wire
    const labeler = pick(team.byRole.get(3)!);
    const creator = rnd() < 0.8 ? pick(team.byRole.get(5)!) : admin;
    const reviewer = rnd() < 0.05 ? null : pick(team.byRole.get(6)!);
    const status = share(STATUS_SHARES);
    const k = 3 + Math.floor(rnd() * 18);
    const start = Math.floor(rnd() * (ds.synth_count - k));
    const image = (d: SyntheticDataset, at: number) => ({ id: d.synth_first_id + at, name: syntheticName(d, at), dataset_id: d.id });
    const images = Array.from({ length: k }, (_, i) => image(ds, start + i));
    if (multi) {
      const other = project.datasets.find((d) => d.id !== ds.id)!;
      images.splice(k >> 1, k - (k >> 1), ...Array.from({ length: k - (k >> 1) }, (_, i) => image(other, i)));
    }
    // job ids follow creation, as on a real server; the feed's rows follow their job (dates within days of it)
    const created = since + 100 * DAY + Math.floor((n / count) * 295 * DAY + rnd() * 3_600_000);
    const startedAt = started.has(status) ? created + 3_600_000 + Math.floor(rnd() * 4 * DAY) : null;
    const annotatedAt = annotated.has(status) ? startedAt! + 3_600_000 + Math.floor(rnd() * 3 * DAY) : null;
    const reviewedAt = reviewed.has(status) ? annotatedAt! + 1_800_000 + Math.floor(rnd() * 2 * DAY) : null;
    const entities: Entity[] = images.map((img, i) => {
      let rs: string | null = 'none';
      if (status === 'on_review') rs = 'done';
      else if (reviewed.has(status)) rs = rnd() < 0.8 ? 'accepted' : 'rejected';
      else if ((status === 'in_progress' || status === 'stopped') && i < Math.floor(rnd() * k)) rs = 'done';
      if (status === 'quality_check' && rnd() < 0.5) rs = 'quality_check_accepted'; // a review status newer than the SDK
      if (rnd() < 0.01) rs = null;
      return { id: img.id, name: img.name, reviewStatus: rs as Entity['reviewStatus'] };
    });
    sortEntities(entities);
    if (rnd() < 0.005) delete (entities[0] as Partial<Entity>).name; // an entity without a name
    const c = countEntities(entities);
    const disabled = (status === 'completed' || status === 'stopped') && rnd() < 0.12 ? 1 : 0;
    const updated = Math.max(created, startedAt ?? 0, annotatedAt ?? 0, reviewedAt ?? 0) + (disabled ? DAY : 0);
    const classes = project.classes.filter(() => rnd() < 0.5);
    const meta = {
      classes: classes.length ? classes : [project.classes[0]!],
      projectTags: rnd() < 0.3 ? [project.tags[0]!] : [],
      imageTags: [],
      imageFiguresLimit: rnd() < 0.2 ? 20 : null,
      imageTagsLimit: null,
      range: multi ? { start: null, end: null } : { start: start + 1, end: start + k },
      entityIds: multi ? images.map((i) => i.id) : [],
      dynamicClasses: false,
      dynamicTags: false,
    };
    // What this row looks like on the wire where it differs from what is stored (see jobs-model's registerJobFunctions).
    const overlay: Record<string, unknown> = {};
    if (multi) Object.assign(overlay, { datasetId: null, datasetTitle: null });
    if (rnd() < 0.02) Object.assign(overlay, { readme: null, description: null });
    if (rnd() < 0.03) overlay.createdAt = otherIsoForm(created, Math.floor(rnd() * 4));
    if (rnd() < 0.01) overlay.qualityCheckReviewerId = reviewer?.id ?? null; // a key the app does not know
    const name = `${ds.name}_${labeler.login}_${n + 1}`;
    const id = Number(
      insertJob.run(
        team.id,
        project.workspace.id,
        project.workspace.name,
        project.id,
        project.name,
        project.type,
        ds.id,
        ds.name,
        name,
        `Label ${meta.classes.map((x) => x.name).join(', ')}`,
        '',
        creator.id,
        creator.login,
        labeler.id,
        labeler.login,
        reviewer?.id ?? null,
        reviewer?.login ?? null,
        iso(created),
        iso(updated),
        startedAt === null ? null : iso(startedAt),
        status === 'completed' ? iso(reviewedAt!) : null,
        annotatedAt === null ? null : iso(annotatedAt),
        reviewedAt === null ? null : iso(reviewedAt),
        status,
        disabled,
        queue?.id ?? null,
        c.images_count,
        c.finished_images_count,
        c.rejected_images_count,
        c.accepted_images_count,
        c.progress_images_count,
        1 + Math.floor(rnd() * 3),
        JSON.stringify(meta),
        null,
      ).lastInsertRowid,
    );
    // ids sent as strings: the overlay needs the id, so it is written after the insert
    if (rnd() < 0.02) Object.assign(overlay, { id: String(id), userId: String(labeler.id) });
    if (Object.keys(overlay).length) setOverlay.run(JSON.stringify(overlay), id);
    insertEntities.run(id, JSON.stringify(entities));

    // The feed as real servers write it: annotation and review events of the SDK's ActivityAction types.
    if (startedAt === null) continue;
    const event = (
      ms: number,
      userId: number,
      action: string,
      img: { id: number; dataset_id: number } | null,
      extra: {
        reviewStatus?: string;
        classId?: number;
        tagId?: number;
        meta?: object;
      } = {},
    ) =>
      insertActivity.run(
        team.id,
        iso(ms),
        userId,
        action,
        project.id,
        img?.dataset_id ?? ds.id,
        img?.id ?? null,
        id,
        name,
        labeler.id,
        extra.reviewStatus ?? null,
        extra.classId ?? null,
        extra.tagId ?? null,
        JSON.stringify(extra.meta ?? {}),
      );
    const end = annotatedAt ?? Math.min(nowMs, startedAt + DAY);
    for (const img of images.slice(0, 2)) {
      const when = startedAt + Math.floor(rnd() * (end - startedAt));
      event(when, labeler.id, 'create_figure', img, { classId: pick(meta.classes).id });
      if (rnd() < 0.4) event(when + 5000, labeler.id, 'attach_tag', img, { tagId: pick(project.tags).id });
    }
    event(end, labeler.id, 'annotation_duration', images[0]!, { meta: { duration: Math.round((end - startedAt) / 1000) } });
    if (annotatedAt !== null)
      event(annotatedAt, labeler.id, 'image_review_status_updated', images[0]!, { reviewStatus: 'done', meta: { reviewStatus: 'done' } });
    if (reviewedAt !== null) {
      for (const e of entities.slice(0, 2)) {
        const rs = e.reviewStatus === 'rejected' ? 'rejected' : 'accepted';
        event(reviewedAt, reviewer?.id ?? creator.id, 'image_review_status_updated', images.find((i) => i.id === e.id) ?? images[0]!, {
          reviewStatus: rs,
          meta: { reviewStatus: rs },
        });
      }
    }
  }
}
