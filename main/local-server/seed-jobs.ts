// The `jobs: N` seed: realistic load data — annotators, reviewers and managers in the admin's team,
// a few more projects/datasets/images, and N jobs over months in every status with consistent
// entities, counters, timestamps and activity. One transaction, prepared statements, seeded PRNG.
import type { DB } from './store';
import { hashPassword, randomToken } from './secrets';
import { imageHash, mimeOf } from './seed';
import { countEntities, sortEntities, type Entity, type JobStatus } from './jobs-model';
import { prng } from './prng';

const PROJECTS = [
  {
    name: 'Fruits (Production)',
    classes: [
      ['apple', '#E74C3C'],
      ['pear', '#27AE60'],
      ['plum', '#8E44AD'],
    ],
    datasets: ['batch_01', 'batch_02', 'batch_03'],
  },
  {
    name: 'Street Scenes',
    classes: [
      ['car', '#BE55CE'],
      ['person', '#F5A623'],
      ['bicycle', '#4A90E2'],
    ],
    datasets: ['city', 'suburbs'],
  },
  {
    name: 'Warehouse Inventory',
    classes: [
      ['box', '#8B572A'],
      ['pallet', '#7ED321'],
    ],
    datasets: ['aisle_a', 'aisle_b', 'aisle_c'],
  },
] as const;
const DAY = 86_400_000;

interface Pool {
  datasetId: number;
  datasetName: string;
  projectId: number;
  projectName: string;
  classes: { id: number; name: string }[];
  images: { id: number; name: string }[];
}

export function seedJobs(db: DB, count: number, adminId: number, nowMs = Date.now()): void {
  const rnd = prng(20221018);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const iso = (ms: number) => new Date(Math.min(ms, nowMs)).toISOString();
  const team = db.prepare('SELECT team_id FROM members WHERE user_id = ? ORDER BY team_id LIMIT 1').get(adminId) as { team_id: number };
  const ws = db.prepare('SELECT id, name FROM workspaces WHERE team_id = ? ORDER BY id LIMIT 1').get(team.team_id) as {
    id: number;
    name: string;
  };
  const admin = db.prepare('SELECT login FROM users WHERE id = ?').get(adminId) as { login: string };
  const at = iso(nowMs - 300 * DAY);

  // People.
  const addUser = db.prepare('INSERT INTO users (login, password_hash, name, email, token, created_at, updated_at) VALUES (?,?,?,?,?,?,?)');
  const addMember = db.prepare('INSERT INTO members (team_id, user_id, role_id, created_at) VALUES (?,?,?,?)');
  const pwd = hashPassword('password');
  const people = (prefix: string, n: number, role: number) =>
    Array.from({ length: n }, (_, i) => {
      const login = `${prefix}_${String(i + 1).padStart(3, '0')}`;
      const id = Number(addUser.run(login, pwd, login.replace('_', ' '), `${login}@example.com`, randomToken(), at, at).lastInsertRowid);
      addMember.run(team.team_id, id, role, at);
      return { id, login };
    });
  const annotators = people('annotator', Math.min(250, Math.max(12, Math.ceil(count / 400))), 3);
  const reviewers = people('reviewer', Math.max(3, Math.ceil(annotators.length / 6)), 6);
  const managers = [{ id: adminId, login: admin.login }, ...people('manager', 3, 5)];
  people('developer', 1, 2);
  people('viewer', 1, 4);

  // Projects, datasets, images.
  const pools: Pool[] = [];
  for (const p of PROJECTS) {
    const projectId = Number(
      db
        .prepare(
          `INSERT INTO projects (team_id, workspace_id, name, type, created_by, settings, created_at, updated_at) VALUES (?,?,?,'images',?,?,?,?)`,
        )
        .run(team.team_id, ws.id, p.name, adminId, '{"groupImages":false,"groupImagesByTagId":null,"groupImagesSync":false}', at, at)
        .lastInsertRowid,
    );
    const classes = p.classes.map(([title, color]) => ({
      id: Number(
        db.prepare('INSERT INTO project_classes (project_id, title, shape, color) VALUES (?,?,?,?)').run(projectId, title, 'polygon', color)
          .lastInsertRowid,
      ),
      name: title,
    }));
    db.prepare(
      `INSERT INTO project_tags (project_id, name, value_type, possible_values, color) VALUES (?, 'quality', 'oneof_string', '["good","blurry"]', '#50E3C2')`,
    ).run(projectId);
    for (const dsName of p.datasets) {
      const datasetId = Number(
        db
          .prepare('INSERT INTO datasets (project_id, name, created_by, created_at, updated_at) VALUES (?,?,?,?,?)')
          .run(projectId, dsName, adminId, at, at).lastInsertRowid,
      );
      const images: { id: number; name: string }[] = [];
      const n = 20 + Math.floor(rnd() * 41);
      for (let i = 0; i < n; i++) {
        const name = `${dsName}_${String(i + 1).padStart(4, '0')}.jpg`;
        const id = Number(
          db
            .prepare(
              `INSERT INTO images (dataset_id, name, mime, size, width, height, hash, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
            )
            .run(
              datasetId,
              name,
              mimeOf(name),
              150_000 + Math.floor(rnd() * 200_000),
              1280,
              960,
              imageHash(`${datasetId}/${name}`),
              adminId,
              at,
              at,
            ).lastInsertRowid,
        );
        images.push({ id, name });
      }
      pools.push({ datasetId, datasetName: dsName, projectId, projectName: p.name, classes, images });
    }
  }

  // Jobs.
  const insertJob = db.prepare(
    `INSERT INTO jobs (team_id, workspace_id, workspace_title, project_id, project_title, project_type, dataset_id, dataset_title,
       name, readme, description, created_by, manager_login, user_id, labeler_login, reviewer_id, reviewer_login,
       created_at, updated_at, started_at, finished_at, annotation_finished_at, review_finished_at, status, disabled,
       images_count, finished_images_count, rejected_images_count, accepted_images_count, progress_images_count, priority, meta)
     VALUES (?,?,?,?,?,'images',?,?,?,'',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertEntities = db.prepare('INSERT INTO job_entities (job_id, entities) VALUES (?, ?)');
  const insertActivity = db.prepare(
    `INSERT INTO activity (team_id, date, user_id, action, project_id, dataset_id, job_id, job_name, labeler_id, meta) VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  const STATUS_WEIGHTS: [JobStatus, number][] = [
    ['pending', 0.2],
    ['in_progress', 0.25],
    ['on_review', 0.15],
    ['completed', 0.25],
    ['stopped', 0.08],
    ['review_completed', 0.07],
  ];
  const drawStatus = (): JobStatus => {
    let r = rnd();
    for (const [s, w] of STATUS_WEIGHTS) if ((r -= w) < 0) return s;
    return 'completed';
  };
  for (let n = 0; n < count; n++) {
    const pool = pick(pools);
    const creator = pick(managers);
    const labeler = pick(annotators);
    const reviewer = rnd() < 0.8 ? pick(reviewers) : creator;
    const status = drawStatus();
    const k = Math.min(pool.images.length, 3 + Math.floor(rnd() * 13));
    const start = Math.floor(rnd() * (pool.images.length - k + 1));
    const picked = pool.images.slice(start, start + k);
    const created = nowMs - 270 * DAY + Math.floor(rnd() * 265 * DAY);
    const started = status === 'pending' ? null : created + 3_600_000 + Math.floor(rnd() * 4 * DAY);
    const annotated = ['on_review', 'completed', 'review_completed'].includes(status)
      ? started! + 3_600_000 + Math.floor(rnd() * 3 * DAY)
      : null;
    const reviewed = status === 'completed' || status === 'review_completed' ? annotated! + 1_800_000 + Math.floor(rnd() * 2 * DAY) : null;
    const stoppedAt = status === 'stopped' ? (started ?? created) + Math.floor(rnd() * 2 * DAY) : null;
    const entities: Entity[] = picked.map((img, i) => {
      let rs: Entity['reviewStatus'] = 'none';
      if (status === 'on_review') rs = 'done';
      else if (status === 'completed' || status === 'review_completed') rs = rnd() < 0.82 ? 'accepted' : 'rejected';
      else if ((status === 'in_progress' || status === 'stopped') && i < Math.floor(rnd() * k)) rs = 'done';
      return { id: img.id, name: img.name, reviewStatus: rs };
    });
    sortEntities(entities);
    const c = countEntities(entities);
    const disabled = (status === 'completed' || status === 'stopped') && rnd() < 0.12 ? 1 : 0;
    const updated = Math.max(created, started ?? 0, annotated ?? 0, reviewed ?? 0, stoppedAt ?? 0) + (disabled ? DAY : 0);
    const classes = pool.classes.filter(() => rnd() < 0.6);
    const meta = {
      classes: classes.length ? classes : [pool.classes[0]!],
      projectTags: [],
      imageTags: [],
      imageFiguresLimit: rnd() < 0.2 ? 20 : null,
      imageTagsLimit: null,
      range: { start: start + 1, end: start + k },
      entityIds: [],
      dynamicClasses: false,
      dynamicTags: false,
    };
    const name = `${pool.datasetName}_${labeler.login}_${n + 1}`;
    const id = Number(
      insertJob.run(
        team.team_id,
        ws.id,
        ws.name,
        pool.projectId,
        pool.projectName,
        pool.datasetId,
        pool.datasetName,
        name,
        `Label ${meta.classes.map((x) => x.name).join(', ')}`,
        creator.id,
        creator.login,
        labeler.id,
        labeler.login,
        reviewer.id,
        reviewer.login,
        iso(created),
        iso(updated),
        started === null ? null : iso(started),
        status === 'completed' ? iso(reviewed!) : null,
        annotated === null ? null : iso(annotated),
        reviewed === null ? null : iso(reviewed),
        status,
        disabled,
        c.images_count,
        c.finished_images_count,
        c.rejected_images_count,
        c.accepted_images_count,
        c.progress_images_count,
        1 + Math.floor(rnd() * 3),
        JSON.stringify(meta),
      ).lastInsertRowid,
    );
    insertEntities.run(id, JSON.stringify(entities));
    const event = (ms: number, userId: number, action: string, m: object) =>
      insertActivity.run(team.team_id, iso(ms), userId, action, pool.projectId, pool.datasetId, id, name, labeler.id, JSON.stringify(m));
    event(created, creator.id, 'job_created', { status: 'pending', userId: labeler.id, reviewerId: reviewer.id });
    let prev: JobStatus = 'pending';
    const step = (ms: number | null, userId: number, to: JobStatus) => {
      if (ms === null) return;
      event(ms, userId, 'job_status_changed', { status: to, previousStatus: prev });
      prev = to;
    };
    step(started, labeler.id, 'in_progress');
    step(annotated, labeler.id, 'on_review');
    if (status === 'review_completed' || status === 'completed') step(reviewed, reviewer.id, status);
    step(stoppedAt, creator.id, 'stopped');
    if (disabled) event(updated, creator.id, 'job_archived', { status });
  }
}
