// api.dataset of the SDK: datasets.list (top level, recursive false) and datasets.info (supervisely-api.md §5.5).
import type { SuperviselyApi } from './api';
import { datasetWire } from './schemas';
import { infoOrNull, listAll, type ResourceContext } from './context';

export const datasetsListBody = (projectId: number) => ({ projectId, filter: [], recursive: false });

export function createDatasetsApi(ctx: ResourceContext): SuperviselyApi['datasets'] {
  return {
    list: (projectId, o) => listAll(ctx, 'datasets.list', datasetsListBody(projectId), datasetWire, o),
    getInfoById: (id, o) => infoOrNull(ctx, 'datasets.info', { id }, datasetWire, o),
  };
}
