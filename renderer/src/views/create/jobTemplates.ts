// Job templates: the reusable part of a create form (classes, tags, limits, readme, description,
// reviewer, options) saved under a name, and laid back onto a form for another project or dataset.
import type { JobTemplate } from '#shared/contract';
import type { CreateForm } from './createRequest';

export function templateFromForm(name: string, form: CreateForm): JobTemplate {
  return {
    name: name.trim(),
    classesToLabel: form.classes,
    tagsToLabel: form.tags,
    objectsLimitPerImage: form.objectsLimit,
    tagsLimitPerImage: form.tagsLimit,
    readme: form.readme,
    description: form.description,
    reviewerId: form.reviewerId,
    options: form.options,
  };
}

export interface Applied {
  form: CreateForm;
  dropped: string[];
}

/**
 * The form with the template's settings; where (dataset, annotators, images) stays. Classes, tags and a
 * reviewer this project or team does not have are left out and named in `dropped`, never sent.
 */
export function applyTemplate(
  form: CreateForm,
  t: JobTemplate,
  have: { classes: readonly string[]; tags: readonly string[]; memberIds: readonly number[] },
): Applied {
  const dropped: string[] = [];
  const keep = (names: readonly string[], known: readonly string[], what: string) =>
    names.filter((n) => {
      const ok = known.includes(n);
      if (!ok) dropped.push(`${what} ${n}`);
      return ok;
    });
  const classes = keep(t.classesToLabel, have.classes, 'class');
  const tags = keep(t.tagsToLabel, have.tags, 'tag');
  const readOnlyTags = t.options.readOnlyTags ? keep(t.options.readOnlyTags, have.tags, 'read-only tag') : undefined;
  const reviewerKnown = t.reviewerId === null || have.memberIds.includes(t.reviewerId);
  if (!reviewerKnown) dropped.push(`reviewer ${t.reviewerId} (not in this team)`);
  return {
    form: {
      ...form,
      classes,
      tags,
      objectsLimit: t.objectsLimitPerImage,
      tagsLimit: t.tagsLimitPerImage,
      readme: t.readme,
      description: t.description,
      reviewerId: reviewerKnown ? t.reviewerId : null,
      options: { ...t.options, ...(readOnlyTags ? { readOnlyTags } : {}) },
    },
    dropped,
  };
}
