// How a project's type (the SDK's ProjectType values) and its size read in the browser; an unknown type shows as sent.
import { plural } from '../../lib/format';
const LABELS: Record<string, string> = {
  images: 'Images',
  videos: 'Videos',
  point_clouds: 'Point clouds',
  point_cloud_episodes: 'Point cloud episodes',
  volumes: 'Volumes',
  meshes: 'Meshes',
};

export function typeLabel(type: string): string {
  return LABELS[type] ?? type;
}

/** "Videos · 8 datasets · 41,200 items": what a project holds, counted from its dataset rows */
export function projectSummary(p: { type: string; usable: boolean; imagesCount: number | null; datasets: readonly unknown[] }): string {
  const parts = [typeLabel(p.type), plural(p.datasets.length, 'dataset')];
  if (p.imagesCount !== null) parts.push(plural(p.imagesCount, p.usable ? 'image' : 'item'));
  return parts.join(' · ');
}
