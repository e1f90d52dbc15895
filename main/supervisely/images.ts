// api.image of the SDK: images.list of one dataset and images.info (supervisely-api.md §5.6); names follow the
// SDK's extension-from-mime rule (in ./schemas).
import type { SuperviselyApi } from './api';
import { imageWire } from './schemas';
import { infoOrNull, listAll, type ResourceContext } from './context';

/** Exactly the SDK's body, including projectId null and the key order of the trace. */
export const imagesListBody = (datasetId: number) => ({
  projectId: null,
  datasetId,
  filter: [],
  sort: 'id',
  sort_order: 'asc',
  forceMetadataForLinks: true,
  recursive: false,
});

export function createImagesApi(ctx: ResourceContext): SuperviselyApi['images'] {
  return {
    list: (datasetId, o) => listAll(ctx, 'images.list', imagesListBody(datasetId), imageWire, o),
    getInfoById: (id, o) => infoOrNull(ctx, 'images.info', { id, forceMetadataForLinks: true }, imageWire, o),
  };
}
