// api.image of the SDK: images.list of one dataset and images.info (supervisely-api.md §5.6); names follow the
// SDK's extension-from-mime rule (in ./schemas).
import type { SuperviselyApi } from './api';
import { imageWire, pageEnvelopeWire, parseRows, parseWire } from './schemas';
import { callOpts, infoOrNull, listAll, logSkippedRow, type ResourceContext } from './context';

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

/** Previews are small; a bigger answer is not an image preview we want in the cache. */
export const MAX_PREVIEW_BYTES = 10 * 1024 * 1024;

/** `serverAddress` (normalised) resolves server-relative preview paths, as the web UI does. */
export function createImagesApi(ctx: ResourceContext, serverAddress: () => string): SuperviselyApi['images'] {
  return {
    fetchPreview: (url, o) =>
      ctx.transport.fetchImage(new URL(url, `${serverAddress()}/`).href, { maxBytes: MAX_PREVIEW_BYTES, timeoutMs: 10_000, ...o }),
    list: (datasetId, o) => listAll(ctx, 'images.list', imagesListBody(datasetId), imageWire, o),
    listPage: async (datasetId, { page, perPage }, o) => {
      const json = await ctx.transport.call('images.list', { ...imagesListBody(datasetId), page, per_page: perPage }, callOpts(o));
      const env = parseWire(pageEnvelopeWire, json, 'images.list');
      const { items, skipped } = parseRows(imageWire, env.entities, 'images.list');
      for (const row of skipped) logSkippedRow(ctx)?.('images.list', row);
      return { total: env.total, perPage: env.perPage, images: items };
    },
    getInfoById: (id, o) => infoOrNull(ctx, 'images.info', { id, forceMetadataForLinks: true }, imageWire, o),
  };
}
