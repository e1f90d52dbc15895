// api.workspace of the SDK: workspaces.list / workspaces.info (supervisely-api.md §5.2).
import type { SuperviselyApi } from './api';
import { workspaceWire } from './schemas';
import { infoOrNull, listAll, type ResourceContext } from './context';

export function createWorkspacesApi(ctx: ResourceContext): SuperviselyApi['workspaces'] {
  return {
    list: (teamId, o) => listAll(ctx, 'workspaces.list', { teamId, filter: [] }, workspaceWire, o),
    getInfoById: (id, o) => infoOrNull(ctx, 'workspaces.info', { id }, workspaceWire, o),
  };
}
