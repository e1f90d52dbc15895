// Reads the server's `jobs.stats` JSON (passed through untouched) defensively: fields may be missing.
import { z } from 'zod';

const StatsSchema = z.object({
  job: z.object({
    annotationDuration: z.number().nullable().optional(),
    editingDuration: z.number().nullable().optional(),
    imagesCount: z.number().optional(),
    finishedImagesCount: z.number().optional(),
    tagsStats: z.array(z.object({ name: z.string(), images: z.number().optional(), figures: z.number().optional() }).loose()).optional(),
  }).loose().optional(),
  classes: z.array(z.object({ name: z.string(), labelsCount: z.number().optional(), imagesCount: z.number().optional(), color: z.string().optional() }).loose()).optional(),
  images: z.object({
    total: z.number().optional(),
    images: z.array(z.object({ reviewStatus: z.string().optional() }).loose()).optional(),
  }).loose().optional(),
}).loose();

export interface JobStatsView {
  annotationMinutes: number | null;
  classes: { label: string; value: number }[];
  tags: { label: string; value: number }[];
  reviews: { label: string; value: number }[];
}

export function readJobStats(raw: unknown): JobStatsView | null {
  const parsed = StatsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const stats = parsed.data;
  const reviewCounts = new Map<string, number>();
  for (const image of stats.images?.images ?? []) {
    const status = image.reviewStatus ?? 'none';
    reviewCounts.set(status, (reviewCounts.get(status) ?? 0) + 1);
  }
  const duration = stats.job?.annotationDuration;
  return {
    annotationMinutes: typeof duration === 'number' ? Math.round(duration / 60) : null,
    classes: (stats.classes ?? []).map((c) => ({ label: c.name, value: c.labelsCount ?? 0 })),
    tags: (stats.job?.tagsStats ?? []).map((t) => ({ label: t.name, value: t.figures ?? 0 })),
    reviews: [...reviewCounts].map(([label, value]) => ({ label, value })),
  };
}
