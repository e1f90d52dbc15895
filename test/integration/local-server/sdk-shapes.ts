// The response checks of supervisely-api.md §7.8: shapes that would make the official Python SDK fail. Each
// function throws (via expect) when an answer breaks what the SDK needs.
import { expect } from 'vitest';

const STATUSES = ['pending', 'in_progress', 'on_review', 'completed', 'stopped', 'review_completed'];
const COLOUR = /^#[0-9A-Fa-f]{6}$/;

export function expectEnvelope(body: any, page?: { page?: number; per_page?: number }): void {
  for (const key of ['total', 'perPage', 'pagesCount', 'entities']) expect(body, `envelope key ${key}`).toHaveProperty(key);
  expect(Array.isArray(body.entities)).toBe(true);
  expect(body.pagesCount).toBe(Math.ceil(body.total / body.perPage));
  const p = page?.page ?? 1;
  const expected = Math.max(0, Math.min(body.perPage, body.total - (p - 1) * body.perPage));
  expect(body.entities.length, 'page size adds up to total').toBe(expected);
}

export function expectJob(job: any, withEntities: boolean): void {
  expect(job.meta, 'job.meta').toBeTypeOf('object');
  for (const key of ['classes', 'projectTags', 'imageTags']) {
    expect(Array.isArray(job.meta[key]), `meta.${key} is an array`).toBe(true);
    for (const item of job.meta[key]) {
      expect(item).toBeTypeOf('object');
      expect(typeof (item.name ?? item.title)).toBe('string');
    }
  }
  for (const t of job.meta.imageTags) expect(t).toHaveProperty('positive');
  expect(job.meta.range).toBeTypeOf('object');
  expect(job.meta.range).toHaveProperty('start');
  expect(job.meta.range).toHaveProperty('end');
  expect(STATUSES).toContain(job.status);
  if (withEntities) {
    expect(Array.isArray(job.entities)).toBe(true);
    for (const e of job.entities) expect(Object.keys(e).sort()).toEqual(['id', 'name', 'reviewStatus']);
  } else expect(job.entities ?? null).toBeNull();
}

export function expectProjectMeta(meta: any, requireTagIds: boolean): void {
  expect(Array.isArray(meta.classes)).toBe(true);
  for (const c of meta.classes) {
    expect(typeof c.title).toBe('string');
    expect(typeof c.shape).toBe('string');
    expect(c.color).toMatch(COLOUR);
  }
  for (const t of meta.tags ?? []) {
    expect(typeof t.name).toBe('string');
    expect(typeof t.value_type).toBe('string');
    if (t.value_type === 'oneof_string') expect(Array.isArray(t.values)).toBe(true);
    else expect(t.values ?? null).toBeNull();
    if (t.color !== undefined) expect(t.color).toMatch(COLOUR);
    if (t.applicable_type !== undefined) expect(['all', 'imagesOnly', 'objectsOnly']).toContain(t.applicable_type);
    if (t.target_type !== undefined) expect(['all', 'framesOnly', 'entitiesOnly']).toContain(t.target_type);
    if (requireTagIds) expect(t.id).toEqual(expect.any(Number));
  }
  if (meta.projectSettings !== undefined)
    expect(Object.keys(meta.projectSettings.multiView).sort()).toEqual(['enabled', 'isSynced', 'tagId', 'tagName']);
}

export function expectImage(img: any): void {
  const ext = String(img.mime).split('/')[1];
  const nameExt = String(img.name).toLowerCase().split('.').pop();
  const consistent = ext === nameExt || (ext === 'jpeg' && ['jpg', 'jpeg', 'mpo'].includes(nameExt!));
  expect(consistent, `mime ${img.mime} matches ${img.name}`).toBe(true);
}

/** Applies every check that fits `method` to a 200 answer. */
export function expectSdkShape(method: string, request: any, body: any): void {
  if (method.endsWith('.list') || method === 'teams.activity') expectEnvelope(body, request);
  switch (method) {
    case 'jobs.info':
      expectJob(body, true);
      expect(body.customData).toBeTypeOf('object');
      break;
    case 'jobs.list':
      if (!request.fields?.length) for (const j of body.entities) expectJob(j, false);
      else for (const j of body.entities) expect(j.id).toEqual(expect.any(Number));
      break;
    case 'jobs.add':
    case 'jobs.restart':
      expect(Array.isArray(body)).toBe(true);
      for (const j of body) expect(j.id).toEqual(expect.any(Number));
      break;
    case 'users.add':
      expect(body.userId).toEqual(expect.any(Number));
      break;
    case 'users.info':
      expect(Array.isArray(body.teams)).toBe(true);
      for (const t of body.teams) for (const k of ['id', 'name', 'roleId', 'role']) expect(t).toHaveProperty(k);
      break;
    case 'projects.meta':
      expectProjectMeta(body, false);
      break;
    case 'projects.meta.update':
      if ('classes' in body) expectProjectMeta(body, true);
      break;
    case 'images.list':
      for (const img of body.entities) expectImage(img);
      break;
    case 'images.info':
      expectImage(body);
      break;
    case 'instance.version':
      expect(typeof body.version).toBe('string');
      break;
  }
}
