// api.dataset of the SDK: datasets.list and datasets.info (supervisely-api.md §5.5). A project's datasets
// nest (a dataset inside a dataset, `parentId`); the list asks for every level at once, as the SDK's
// get_list(project_id, recursive=True) does: `recursive: false` answers the top level only.
import type { SuperviselyApi } from './api';
import { datasetWire } from './schemas';
import { infoOrNull, listAll, type ResourceContext } from './context';

export const datasetsListBody = (projectId: number, o: { recursive: boolean } = { recursive: false }) => ({
  projectId,
  filter: [],
  recursive: o.recursive,
});

export function createDatasetsApi(ctx: ResourceContext): SuperviselyApi['datasets'] {
  return {
    list: (projectId, o) => listAll(ctx, 'datasets.list', datasetsListBody(projectId, { recursive: true }), datasetWire, o),
    getInfoById: (id, o) => infoOrNull(ctx, 'datasets.info', { id }, datasetWire, o),
  };
}
