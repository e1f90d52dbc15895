// Split work: one pool of images divided among annotators, evenly or by weights, each share a run of
// consecutive images in the pool's order. Pure: the create form previews it and sends it as is.

export interface Share {
  userId: number;
  weight: number;
}
export interface Assignment {
  userId: number;
  imageIds: number[];
}

/**
 * Largest-remainder shares: each annotator gets floor(n · w / Σw) images, and the images left over go
 * one each to the largest remainders (ties to the earlier annotator), so the counts add up to the pool
 * and differ from the exact proportion by less than one image. Throws a sentence when it cannot split.
 */
export function splitImages(pool: readonly number[], shares: readonly Share[]): Assignment[] {
  if (shares.length === 0) throw new Error('Choose at least one annotator to split the images among');
  const bad = shares.find((s) => !Number.isFinite(s.weight) || s.weight <= 0);
  if (bad) throw new Error('Each weight must be a number above 0');
  if (pool.length < shares.length) {
    const images = `${pool.length} image${pool.length === 1 ? '' : 's'}`;
    throw new Error(`${images} cannot be split among ${shares.length} annotators: each needs at least one`);
  }
  const total = shares.reduce((sum, s) => sum + s.weight, 0);
  const exact = shares.map((s) => (pool.length * s.weight) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const leftover = pool.length - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < leftover; k++) counts[order[k]!.i]!++;
  const empty = counts.findIndex((c) => c === 0);
  if (empty >= 0) throw new Error('A weight is so small that its annotator would get no image: raise it, or untick the annotator');
  let start = 0;
  return shares.map((s, i) => {
    const imageIds = pool.slice(start, start + counts[i]!);
    start += counts[i]!;
    return { userId: s.userId, imageIds };
  });
}
