// Reads the server's `jobs.stats` JSON (passed through untouched) defensively: fields may be missing.
// Review figures are not taken from it: they come from the job's counts, like its progress bar, so
// the page never shows two different answers (`reviewBars`).
import type { JobGridRow } from '#shared/contract';
import { z } from 'zod';

const StatsSchema = z
  .object({
    job: z
      .object({
        annotationDuration: z.number().nullable().optional(),
        editingDuration: z.number().nullable().optional(),
        imagesCount: z.number().optional(),
        finishedImagesCount: z.number().optional(),
        tagsStats: z
          .array(z.object({ name: z.string(), images: z.number().optional(), figures: z.number().optional() }).loose())
          .optional(),
      })
      .loose()
      .optional(),
    classes: z
      .array(
        z
          .object({
            name: z.string(),
            labelsCount: z.number().optional(),
            imagesCount: z.number().optional(),
            color: z.string().optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

export interface JobStatsView {
  annotationMinutes: number | null;
  editingMinutes: number | null;
  classes: { label: string; value: number }[];
  tags: { label: string; value: number }[];
}

export function readJobStats(raw: unknown): JobStatsView | null {
  const parsed = StatsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const stats = parsed.data;
  const minutes = (seconds: number | null | undefined) => (typeof seconds === 'number' ? Math.round(seconds / 60) : null);
  return {
    annotationMinutes: minutes(stats.job?.annotationDuration),
    editingMinutes: minutes(stats.job?.editingDuration),
    classes: (stats.classes ?? []).map((c) => ({ label: c.name, value: c.labelsCount ?? 0 })),
    tags: (stats.job?.tagsStats ?? []).map((t) => ({ label: t.name, value: t.figures ?? 0 })),
  };
}

/** The job's images by review state, from its counts (the same source as the progress bar). */
export function reviewBars(job: JobGridRow): { label: string; value: number; colorVar: string }[] {
  const reviewed = job.acceptedImagesCount + job.rejectedImagesCount;
  return [
    { label: 'Accepted', value: job.acceptedImagesCount, colorVar: '--bar-accepted' },
    { label: 'Rejected', value: job.rejectedImagesCount, colorVar: '--bar-rejected' },
    { label: 'To review', value: Math.max(0, job.finishedImagesCount - reviewed), colorVar: '--bar-finished' },
    { label: 'Not finished', value: Math.max(0, job.imagesCount - job.finishedImagesCount), colorVar: '--border' },
  ];
}
