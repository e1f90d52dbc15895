// api.role of the SDK: roles.list (supervisely-api.md §4.4). The default role ids live in ./types (DefaultRole).
import type { SuperviselyApi } from './api';
import { roleWire } from './schemas';
import { listAll, type ResourceContext } from './context';

export function createRolesApi(ctx: ResourceContext): SuperviselyApi['roles'] {
  return { list: (o) => listAll(ctx, 'roles.list', { filter: [] }, roleWire, o) };
}
