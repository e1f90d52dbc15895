// The create form as data, turned into the jobs.create request and checked: the schema's messages
// land on their fields, plus the rules only the form knows (picked images, range, split shares).
// Pure, so every rule is unit-tested without a page.
import { CreateJobsRequestSchema, type CreateJobsRequest, type CreateOptions } from '#shared/contract';
import { splitImages, type Assignment } from './splitWork';

export type SubsetMode = 'all' | 'range' | 'pick';

export interface CreateForm {
  name: string;
  description: string;
  readme: string;
  datasetId: number | null;
  annotators: number[];
  /** null: the server makes the creator the reviewer */
  reviewerId: number | null;
  classes: string[];
  tags: string[];
  objectsLimit: number | null;
  tagsLimit: number | null;
  subsetMode: SubsetMode;
  picked: number[];
  rangeStart: number;
  rangeEnd: number;
  includeTags: string[];
  excludeTags: string[];
  options: CreateOptions;
  /** split the chosen images among the annotators (each job its own share) instead of giving each all of them */
  split: boolean;
  /** weight per annotator id; missing = 1 */
  weights: Record<number, number>;
}

export const emptyForm = (): CreateForm => ({
  name: '',
  description: '',
  readme: '',
  datasetId: null,
  annotators: [],
  reviewerId: null,
  classes: [],
  tags: [],
  objectsLimit: null,
  tagsLimit: null,
  subsetMode: 'all',
  picked: [],
  rangeStart: 1,
  rangeEnd: 1,
  includeTags: [],
  excludeTags: [],
  options: {},
  split: false,
  weights: {},
});

/** The images (ids, in id order: the order meta.range counts in) the subset choice covers. */
export function subsetImageIds(form: CreateForm, images: readonly { id: number }[]): number[] {
  if (form.subsetMode === 'pick') {
    const picked = new Set(form.picked);
    return images.filter((i) => picked.has(i.id)).map((i) => i.id);
  }
  if (form.subsetMode === 'range') return images.slice(Math.max(0, form.rangeStart - 1), form.rangeEnd).map((i) => i.id);
  return images.map((i) => i.id);
}

const NO_TAGS: string[] = [];

/** The pool of a split (ids in id order, tags only where there are some) as the images the split works on. */
export function poolAsImages(pool: {
  ids: readonly number[];
  tagged: readonly { id: number; tags: string[] }[];
}): { id: number; tags: string[] }[] {
  const tags = new Map(pool.tagged.map((t) => [t.id, t.tags]));
  return pool.ids.map((id) => ({ id, tags: tags.get(id) ?? NO_TAGS }));
}

/** The 1-based position of `id` among ids sorted ascending (the dataset in id order), or null. */
export function positionOf(ids: readonly number[], id: number): number | null {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! === id) return mid + 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** The split preview: who gets which images of the covered ones that pass the tag filters; or why it cannot be done. */
export function splitPreview(form: CreateForm, images: readonly { id: number; tags: string[] }[]): Assignment[] | string {
  const covered = new Set(subsetImageIds(form, images));
  const pool = images
    .filter((i) => covered.has(i.id))
    .filter((i) => form.includeTags.every((t) => i.tags.includes(t)) && !form.excludeTags.some((t) => i.tags.includes(t)))
    .map((i) => i.id);
  try {
    return splitImages(
      pool,
      form.annotators.map((userId) => ({ userId, weight: form.weights[userId] ?? 1 })),
    );
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Only the options that are set: an unticked box sends nothing, as the SDK does when it is not given. */
function chosenOptions(o: CreateOptions): CreateOptions {
  const out: CreateOptions = {};
  for (const key of ['dynamicClasses', 'dynamicTags', 'disableConfirm', 'disableSubmit', 'enableQualityCheck'] as const) {
    if (o[key]) out[key] = true;
  }
  if (o.guideId !== undefined) out.guideId = o.guideId;
  if (o.readOnlyTags?.length) out.readOnlyTags = o.readOnlyTags;
  if (o.toolboxSettings) out.toolboxSettings = o.toolboxSettings;
  return out;
}

export function buildCreateRequest(form: CreateForm, images: readonly { id: number; tags: string[] }[]): CreateJobsRequest {
  const split = form.split ? splitPreview(form, images) : null;
  return {
    name: form.name,
    datasetId: form.datasetId ?? 0,
    userIds: form.annotators,
    ...(form.reviewerId !== null ? { reviewerId: form.reviewerId } : {}),
    ...(form.readme.trim() ? { readme: form.readme } : {}),
    ...(form.description.trim() ? { description: form.description } : {}),
    classesToLabel: form.classes,
    tagsToLabel: form.tags,
    objectsLimitPerImage: form.objectsLimit,
    tagsLimitPerImage: form.tagsLimit,
    ...(Array.isArray(split) ? { assignments: split } : {}),
    ...(!form.split && form.subsetMode === 'pick' ? { imageIds: form.picked } : {}),
    ...(!form.split && form.subsetMode === 'range' ? { imagesRange: [form.rangeStart, form.rangeEnd] as [number, number] } : {}),
    includeImagesWithTags: form.includeTags,
    excludeImagesWithTags: form.excludeTags,
    ...chosenOptions(form.options),
  };
}

/**
 * Field → message; empty when the request may be sent. `images` is the whole list only when a split needs it
 * (a big dataset is never held whole otherwise); `total` is the dataset's image count.
 */
export function validateCreateForm(
  form: CreateForm,
  images: readonly { id: number; tags: string[] }[],
  total: number = images.length,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const result = CreateJobsRequestSchema.safeParse(buildCreateRequest(form, images));
  if (!result.success) {
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  }
  if (form.subsetMode === 'pick' && form.picked.length === 0) errors.imageIds = 'Pick at least one image, or choose "All images"';
  if (form.subsetMode === 'range' && total && form.rangeEnd > total) {
    errors.imagesRange = `The dataset has ${total.toLocaleString('en')} images`;
  }
  if (form.includeTags.some((t) => form.excludeTags.includes(t))) {
    errors.excludeImagesWithTags = 'A tag cannot be both included and excluded';
  }
  if (form.split && form.annotators.length > 0) {
    const split = splitPreview(form, images);
    if (typeof split === 'string') errors.assignments = split;
  }
  return errors;
}
