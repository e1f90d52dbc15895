// Projects: projects.list/info (ProjectInfo with size as a string), projects.meta,
// projects.meta.update (merge, full answer) and projects.settings.update (supervisely-api.md §5.3–§5.4).
import { z } from 'zod';
import type { Ctx, HandlerMap } from '../context';
import { badRequest, notFound } from '../errors';
import { EDIT_PROJECTS, requireRole, roleInTeam } from '../access';
import { compileFilters, type FieldMap } from '../filters';
import { envelope, parsePage, parseSort, queryPage } from '../pagination';
import { idSchema, optionalFilter, parseBody } from '../validate';
import { mergeMeta, metaSchema, projectSettingsSchema, readMeta } from '../project-meta';
import { requireWorkspace } from './teams';
import { recordActivity } from './activity';

interface ProjectRow {
  id: number;
  team_id: number;
  workspace_id: number;
  name: string;
  description: string;
  readme: string;
  type: string;
  created_by: number;
  custom_data: string;
  settings: string;
  created_at: string;
  updated_at: string;
  images_count: number;
  size: number;
  datasets_count: number;
  first_image: number | null;
}

// Stored images plus those the formula gives (datasets' synth_* columns, never enumerated).
const PROJECT_SELECT = `p.*,
  (SELECT COUNT(*) FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.project_id = p.id)
    + (SELECT COALESCE(SUM(d.synth_count), 0) FROM datasets d WHERE d.project_id = p.id) AS images_count,
  (SELECT COALESCE(SUM(i.size), 0) FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.project_id = p.id)
    + (SELECT COALESCE(SUM(d.synth_size), 0) FROM datasets d WHERE d.project_id = p.id) AS size,
  (SELECT COUNT(*) FROM datasets d WHERE d.project_id = p.id) AS datasets_count,
  COALESCE((SELECT MIN(i.id) FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.project_id = p.id),
    (SELECT MIN(d.synth_first_id) FROM datasets d WHERE d.project_id = p.id AND d.synth_count > 0)) AS first_image`;

function projectJson(ctx: Ctx, p: ProjectRow) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    size: String(p.size),
    readme: p.readme,
    workspaceId: p.workspace_id,
    teamId: p.team_id,
    imagesCount: p.images_count,
    itemsCount: p.images_count,
    datasetsCount: p.datasets_count,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    type: p.type,
    referenceImageUrl: p.first_image === null ? null : `${ctx.baseUrl}/previews/${p.first_image}.png`,
    customData: JSON.parse(p.custom_data) as unknown,
    backupArchive: {},
    importSettings: {},
    settings: JSON.parse(p.settings) as unknown,
    createdBy: p.created_by,
    embeddingsEnabled: false,
    embeddingsUpdatedAt: null,
    embeddingsInProgress: false,
  };
}

/** A project the caller can see, with the caller's role in its team; else 404 (SDK message pattern). */
export function requireProject(ctx: Ctx, id: number): { project: ProjectRow; role: number } {
  const project = ctx.db.prepare(`SELECT ${PROJECT_SELECT} FROM projects p WHERE p.id = ?`).get(id) as ProjectRow | undefined;
  const role = project ? roleInTeam(ctx, project.team_id) : null;
  if (!project || role === null) {
    throw notFound(`Project with projectId ${id} is either archived, doesn't exist or you don't have enough permissions to access`);
  }
  return { project, role };
}

const PROJECT_FIELDS: FieldMap = {
  id: { column: 'p.id', type: 'int' },
  name: { column: 'p.name', type: 'string', like: true },
  type: { column: 'p.type', type: 'string' },
  workspaceId: { column: 'p.workspace_id', type: 'int' },
  createdAt: { column: 'p.created_at', type: 'timestamp' },
  updatedAt: { column: 'p.updated_at', type: 'timestamp' },
};
const PROJECT_SORT = { id: 'p.id', name: 'p.name', title: 'p.name', createdAt: 'p.created_at', updatedAt: 'p.updated_at' };

/** `fields` is accepted and ignored: listings always carry the full default key set. */
function listProjects(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(
    z.object({
      filter: optionalFilter,
      fields: z.array(z.string()).nullish(),
      workspaceId: idSchema.nullish(),
      groupId: idSchema.nullish(),
    }),
    body,
    ctx.method,
  );
  if (req.workspaceId && req.groupId) throw badRequest('Give either workspaceId or groupId, not both');
  const where = compileFilters(req.filter, PROJECT_FIELDS, ctx.method);
  if (req.workspaceId) {
    requireWorkspace(ctx, req.workspaceId);
    where.clauses.unshift('p.workspace_id = ?');
    where.params.unshift(req.workspaceId);
  } else if (req.groupId) {
    if (roleInTeam(ctx, req.groupId) === null) throw notFound(`Team with id ${req.groupId} doesn't exist or you are not a member of it`);
    where.clauses.unshift('p.team_id = ?');
    where.params.unshift(req.groupId);
  } else if (!ctx.caller.isAdmin) {
    where.clauses.unshift('p.team_id IN (SELECT team_id FROM members WHERE user_id = ?)');
    where.params.unshift(ctx.caller.id);
  }
  const page = parsePage(body);
  const { total, rows } = queryPage<ProjectRow>(
    ctx.db,
    { select: PROJECT_SELECT, from: 'projects p', where, orderBy: parseSort(body, PROJECT_SORT, 'p.id', ctx.method) },
    page,
  );
  return envelope(
    total,
    page,
    rows.map((p) => projectJson(ctx, p)),
  );
}

function projectInfo(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema, extraFields: z.array(z.string()).nullish() }), body, ctx.method);
  return { ...projectJson(ctx, requireProject(ctx, id).project), version: null };
}

function projectMeta(ctx: Ctx, body: Record<string, unknown>) {
  const { id } = parseBody(z.object({ id: idSchema }), body, ctx.method);
  const { project } = requireProject(ctx, id);
  return readMeta(ctx.db, id, project.type);
}

function updateMeta(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, meta: metaSchema }), body, ctx.method);
  const { project, role } = requireProject(ctx, req.id);
  requireRole(role, EDIT_PROJECTS, "change a project's classes and tags");
  if (req.meta.projectType !== undefined && req.meta.projectType !== project.type) {
    throw badRequest(`meta.projectType '${req.meta.projectType}' does not match the project's type '${project.type}'`);
  }
  const created = mergeMeta(ctx.db, req.id, req.meta);
  const settings = JSON.parse(project.settings) as Record<string, unknown>;
  if (req.meta.projectSettings) {
    settings.multiView = req.meta.projectSettings.multiView;
    if (req.meta.projectSettings.labelingInterface !== undefined) settings.labelingInterface = req.meta.projectSettings.labelingInterface;
  }
  ctx.db.prepare('UPDATE projects SET settings = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(settings), ctx.now, req.id);
  recordActivity(ctx.db, {
    teamId: project.team_id,
    userId: ctx.caller.id,
    action: 'update_project',
    date: ctx.now,
    projectId: req.id,
    meta: created,
  });
  return readMeta(ctx.db, req.id, project.type);
}

const settingsSchema = z
  .object({
    groupImages: z.boolean().optional(),
    groupImagesByTagId: z.number().int().positive().nullable().optional(),
    groupImagesSync: z.boolean().optional(),
    labelingInterface: projectSettingsSchema.shape.labelingInterface,
  })
  .strict();

function updateSettings(ctx: Ctx, body: Record<string, unknown>) {
  const req = parseBody(z.object({ id: idSchema, settings: settingsSchema }), body, ctx.method);
  const { project, role } = requireProject(ctx, req.id);
  requireRole(role, EDIT_PROJECTS, "change a project's settings");
  const tagId = req.settings.groupImagesByTagId;
  if (tagId != null && !ctx.db.prepare('SELECT 1 FROM project_tags WHERE id = ? AND project_id = ?').get(tagId, req.id)) {
    throw badRequest(`settings.groupImagesByTagId: tag ${tagId} does not belong to project ${req.id}`);
  }
  const settings = { ...(JSON.parse(project.settings) as Record<string, unknown>), ...req.settings };
  ctx.db.prepare('UPDATE projects SET settings = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(settings), ctx.now, req.id);
  return { success: true };
}

export const projectHandlers: HandlerMap = {
  'projects.list': listProjects,
  'projects.info': projectInfo,
  'projects.meta': projectMeta,
  'projects.meta.update': updateMeta,
  'projects.settings.update': updateSettings,
};
