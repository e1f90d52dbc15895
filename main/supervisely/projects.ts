// api.project of the SDK: projects.list / info, the project meta (projects.meta) and update_meta
// (projects.meta.update + projects.settings.update) with the SDK's serialisation (supervisely-api.md §5.3, §5.4).
import type { SuperviselyApi } from './api';
import { parseWire, projectMetaWire, projectWire } from './schemas';
import { callIgnoringAnswer, callParsed, infoOrNull, listAll, type ResourceContext } from './context';
import type { ProjectMeta } from './types';

/** A workspace's or a team's projects; `fields: []` asks for the server's default set (the SDK's default). */
export function projectsListBody(scope: { workspaceId: number } | { teamId: number }) {
  return 'workspaceId' in scope
    ? { filter: [], fields: [], workspaceId: scope.workspaceId }
    : { filter: [], fields: [], groupId: scope.teamId };
}

/** The SDK's meta JSON: its key order, ids only when known, `values` only for oneof tags, default projectSettings. */
export function projectMetaJson(meta: ProjectMeta): Record<string, unknown> {
  return {
    classes: meta.classes.map((c) => ({
      title: c.title,
      description: c.description,
      shape: c.shape,
      color: c.color,
      geometry_config: c.geometryConfig,
      ...(c.id !== null ? { id: c.id } : {}),
      hotkey: c.hotkey,
    })),
    tags: meta.tags.map((t) => ({
      name: t.name,
      value_type: t.valueType,
      ...(t.color ? { color: t.color } : {}),
      ...(t.valueType === 'oneof_string' ? { values: t.values ?? [] } : {}),
      ...(t.id !== null ? { id: t.id } : {}),
      hotkey: t.hotkey,
      applicable_type: t.applicableType,
      classes: t.classes,
      target_type: t.targetType,
    })),
    ...(meta.projectType ? { projectType: meta.projectType } : {}),
    // Our ProjectMeta has no multi-view settings: the SDK sends this default for a meta without them.
    projectSettings: { multiView: { enabled: false, tagName: null, tagId: null, isSynced: false } },
  };
}

export function createProjectsApi(ctx: ResourceContext): SuperviselyApi['projects'] {
  const getMeta: SuperviselyApi['projects']['getMeta'] = (id, o) => callParsed(ctx, 'projects.meta', { id }, projectMetaWire, o);
  return {
    list: (scope, o) => listAll(ctx, 'projects.list', projectsListBody(scope), projectWire, o),
    getInfoById: (id, o) => infoOrNull(ctx, 'projects.info', { id }, projectWire, o),
    getMeta,
    async updateMeta(id, meta, o) {
      const answer = await ctx.transport.call('projects.meta.update', { id, meta: projectMetaJson(meta) }, { signal: o?.signal });
      // Current servers answer the updated meta; older ones {"success": true}, then we read it back for the ids.
      const updated =
        answer && typeof answer === 'object' && 'classes' in answer
          ? parseWire(projectMetaWire, answer, 'projects.meta.update')
          : await getMeta(id, o);
      await callIgnoringAnswer(
        ctx,
        'projects.settings.update',
        { id, settings: { groupImages: false, groupImagesByTagId: null, groupImagesSync: false } },
        o,
      );
      return updated;
    },
  };
}
