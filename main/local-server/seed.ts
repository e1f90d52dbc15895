// Seeds a new data file: the tutorial's demo world ('demo': team 8, workspace 349, project 5555
// "Lemons (Test)", dataset 10555 with six images, admin 7) or a bare admin ('empty').
import { createHash } from 'node:crypto';
import type { DB } from './store';
import { reserveIdsBelow, setKv } from './store';
import { hashPassword, randomToken } from './secrets';

export const DEMO_ADMIN = { id: 7, login: 'my_username', password: 'my_password' };
export const EMPTY_ADMIN = { id: 1, login: 'admin', password: 'admin' };
const DEMO_TIME = '2022-10-18T15:39:57.377Z';
const ADMIN_TIME = '2022-10-05T08:00:00.000Z';

export const DEMO_IMAGES: { id: number; name: string; size: number }[] = [
  { id: 3882697, name: 'IMG_4451.jpeg', size: 212906 },
  { id: 3882698, name: 'IMG_3861.jpeg', size: 212906 },
  { id: 3882699, name: 'IMG_0748.jpeg', size: 212907 },
  { id: 3882700, name: 'IMG_2084.jpeg', size: 212907 },
  { id: 3882701, name: 'IMG_1836.jpeg', size: 212907 },
  { id: 3882702, name: 'IMG_8144.jpeg', size: 212907 },
]; // sizes add up to the dataset size the tutorial prints, "1277440"

export const imageHash = (name: string): string => createHash('sha256').update(name).digest('base64');

export function mimeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
}

export function insertUser(
  db: DB,
  u: { id?: number; login: string; password: string; isAdmin?: boolean; name?: string; token?: string; at: string },
): number {
  const info = db
    .prepare(
      `INSERT INTO users (id, login, password_hash, name, email, is_admin, token, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
    )
    .run(u.id ?? null, u.login, hashPassword(u.password), u.name ?? '', '', u.isAdmin ? 1 : 0, u.token ?? randomToken(), u.at, u.at);
  return Number(info.lastInsertRowid);
}

function seedDemo(db: DB, token: string): number {
  const a = DEMO_ADMIN;
  insertUser(db, { id: a.id, login: a.login, password: a.password, isAdmin: true, name: 'Demo Admin', token, at: ADMIN_TIME });
  reserveIdsBelow(db, 'users', 101);
  db.prepare('INSERT INTO teams (id, name, description, created_at, updated_at) VALUES (8, ?, ?, ?, ?)').run(
    'my_team',
    '',
    ADMIN_TIME,
    ADMIN_TIME,
  );
  db.prepare('INSERT INTO members (team_id, user_id, role_id, created_at) VALUES (8, 7, 1, ?)').run(ADMIN_TIME);
  db.prepare('INSERT INTO workspaces (id, team_id, name, description, created_at, updated_at) VALUES (349, 8, ?, ?, ?, ?)').run(
    'Testing Workspace',
    '',
    ADMIN_TIME,
    ADMIN_TIME,
  );
  db.prepare(
    `INSERT INTO projects (id, team_id, workspace_id, name, type, created_by, settings, created_at, updated_at)
     VALUES (5555, 8, 349, 'Lemons (Test)', 'images', 7, ?, ?, ?)`,
  ).run(JSON.stringify({ groupImages: false, groupImagesByTagId: null, groupImagesSync: false }), DEMO_TIME, DEMO_TIME);
  const cls = db.prepare('INSERT INTO project_classes (id, project_id, title, shape, color) VALUES (?, 5555, ?, ?, ?)');
  cls.run(8001, 'kiwi', 'bitmap', '#D0021B');
  cls.run(8002, 'lemon', 'bitmap', '#50E3C2');
  const tag = db.prepare(
    `INSERT INTO project_tags (id, project_id, name, value_type, possible_values, color, applicable_type, classes, target_type)
     VALUES (?, 5555, ?, ?, ?, ?, 'objectsOnly', '["lemon","kiwi"]', 'all')`,
  );
  tag.run(8101, 'size', 'oneof_string', JSON.stringify(['small', 'medium', 'large']), '#BD10E0');
  tag.run(8102, 'origin', 'any_string', null, '#8B572A');
  db.prepare('INSERT INTO datasets (id, project_id, name, created_by, created_at, updated_at) VALUES (10555, 5555, ?, 7, ?, ?)').run(
    'ds1',
    DEMO_TIME,
    DEMO_TIME,
  );
  const img = db.prepare(
    `INSERT INTO images (id, dataset_id, name, mime, size, width, height, hash, created_by, created_at, updated_at)
     VALUES (?, 10555, ?, ?, ?, 1024, 768, ?, 7, ?, ?)`,
  );
  for (const i of DEMO_IMAGES) img.run(i.id, i.name, mimeOf(i.name), i.size, imageHash(i.name), DEMO_TIME, DEMO_TIME);
  // A few image tags so include/exclude tag filters of jobs.add select something.
  const it = db.prepare('INSERT INTO image_tags (image_id, tag_id, value, labeler_login, created_at, updated_at) VALUES (?,?,?,?,?,?)');
  it.run(3882697, 8102, 'Spain', a.login, DEMO_TIME, DEMO_TIME);
  it.run(3882699, 8102, 'Italy', a.login, DEMO_TIME, DEMO_TIME);
  it.run(3882702, 8101, 'large', a.login, DEMO_TIME, DEMO_TIME);
  return a.id;
}

function seedEmpty(db: DB, token: string): number {
  const a = EMPTY_ADMIN;
  insertUser(db, { id: a.id, login: a.login, password: a.password, isAdmin: true, name: 'Admin', token, at: ADMIN_TIME });
  db.prepare('INSERT INTO teams (id, name, description, created_at, updated_at) VALUES (1, ?, ?, ?, ?)').run(
    'admin_team',
    '',
    ADMIN_TIME,
    ADMIN_TIME,
  );
  db.prepare('INSERT INTO members (team_id, user_id, role_id, created_at) VALUES (1, 1, 1, ?)').run(ADMIN_TIME);
  db.prepare('INSERT INTO workspaces (id, team_id, name, description, created_at, updated_at) VALUES (1, 1, ?, ?, ?, ?)').run(
    'Default workspace',
    '',
    ADMIN_TIME,
    ADMIN_TIME,
  );
  return a.id;
}

/** Seeds an empty database; returns the admin user id. */
export function seedBase(db: DB, kind: 'demo' | 'empty', token: string): number {
  const adminId = kind === 'demo' ? seedDemo(db, token) : seedEmpty(db, token);
  setKv(db, 'admin_user_id', String(adminId));
  setKv(db, 'seed', kind);
  return adminId;
}
