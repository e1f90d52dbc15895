// Lazy image thumbnails: a Svelte action that asks the core for a data: URL once the row scrolls
// into view (the renderer may not fetch server URLs itself). Results are memoised per image, the most recent
// MAX_KEPT only: scrolling through a huge dataset must not keep every preview in memory.
import { api } from '../../lib/transport';

const MAX_KEPT = 500;
const cache = new Map<number, Promise<string | null>>();

function thumbnailOf(imageId: number): Promise<string | null> {
  let pending = cache.get(imageId);
  if (!pending) {
    pending = api['catalog.thumbnail']({ imageId })
      .then((r) => (r.dataUrl?.startsWith('data:image/') ? r.dataUrl : null))
      .catch(() => null);
    cache.set(imageId, pending);
    if (cache.size > MAX_KEPT) cache.delete(cache.keys().next().value!);
  }
  return pending;
}

export function lazyThumbnail(node: HTMLImageElement, imageId: number) {
  let current = imageId;
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      const requested = current;
      void thumbnailOf(requested).then((url) => {
        if (url && requested === current) node.src = url;
        else node.classList.add('none');
      });
    },
    { rootMargin: '200px' },
  );
  observer.observe(node);
  return {
    update(next: number) {
      current = next;
    },
    destroy() {
      observer.disconnect();
    },
  };
}
