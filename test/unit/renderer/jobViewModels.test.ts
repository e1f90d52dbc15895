// What the grid's marker column and the job's stats panel make of core data.
import { describe, expect, it } from 'vitest';
import {
  csvHeader,
  csvRow,
  datasetLabel,
  defaultLayout,
  rowWidthOf,
  gridTemplate,
  jobColumns,
  pendingMarker,
  visibleColumns,
  withShown,
  withWidth,
} from '../../../renderer/src/views/jobs/jobColumns';
import { readJobStats, reviewBars } from '../../../renderer/src/views/job/jobStats';
import { sampleGridRow } from './sampleGridRow';

const row = sampleGridRow;

describe('pendingMarker', () => {
  it('is empty for a settled row', () => {
    expect(pendingMarker(row)).toBeNull();
  });
  it('names the most urgent state first', () => {
    expect(pendingMarker({ ...row, pendingCount: 2 })?.text).toBe('2 queued changes');
    expect(pendingMarker({ ...row, pendingCount: 1, local: true })?.kind).toBe('local');
    expect(pendingMarker({ ...row, pendingCount: 1, local: true, removing: true })?.kind).toBe('removing');
    expect(pendingMarker({ ...row, pendingCount: 1, problem: 'Manager may not remove this job' })).toEqual({
      kind: 'problem',
      text: 'Server refused a change: Manager may not remove this job',
    });
  });
});

describe('CSV row', () => {
  it('has one value per header column', () => {
    expect(csvRow(row)).toHaveLength(csvHeader.length);
    expect(csvRow(row).slice(0, 3)).toEqual([1, 'labeler1_lemons_task', 'Pending']);
  });

  it('names no bogus dataset for a job over several datasets', () => {
    const multi = { ...row, datasetId: null, datasetName: '' };
    expect(datasetLabel(row)).toBe('ds1');
    expect(datasetLabel(multi)).toBe('several datasets');
    expect(csvRow(multi)[csvHeader.indexOf('dataset')]).toBe('several datasets');
  });
});

describe('readJobStats', () => {
  it('reads the documented stats shape', () => {
    const stats = readJobStats({
      job: { annotationDuration: 720, editingDuration: 300, tagsStats: [{ id: 24, name: 'size', images: 1, figures: 3 }] },
      classes: [{ id: 42, name: 'kiwi', labelsCount: 5 }],
      images: { total: 2, images: [{ id: 1, reviewStatus: 'accepted' }, { id: 2, reviewStatus: 'accepted' }, { id: 3 }] },
    });
    expect(stats).toEqual({
      annotationMinutes: 12,
      editingMinutes: 5,
      classes: [{ label: 'kiwi', value: 5 }],
      tags: [{ label: 'size', value: 3 }],
    });
  });
  it('tolerates missing parts and rejects non-objects', () => {
    expect(readJobStats({})).toEqual({ annotationMinutes: null, editingMinutes: null, classes: [], tags: [] });
    expect(readJobStats('nope')).toBeNull();
  });
});

describe('reviewBars', () => {
  it('splits the images by review from the same counts as the progress bar', () => {
    const bars = reviewBars({ ...row, imagesCount: 9, finishedImagesCount: 9, acceptedImagesCount: 6, rejectedImagesCount: 2 });
    expect(bars.map((b) => [b.label, b.value])).toEqual([
      ['Accepted', 6],
      ['Rejected', 2],
      ['To review', 1],
      ['Not finished', 0],
    ]);
    expect(bars.reduce((n, b) => n + b.value, 0)).toBe(9);
  });
});

describe('column layout', () => {
  /** the template's tracks, splitting on spaces outside minmax(…) */
  const tracks = (template: string) => template.split(/ (?![^(]*\))/);
  it('the default layout is the grid as before: every column, minimum widths summed', () => {
    const layout = defaultLayout();
    expect(visibleColumns(layout).map((c) => c.key)).toEqual(jobColumns.map((c) => c.key));
    expect(rowWidthOf(layout)).toBe(60 + jobColumns.reduce((a, c) => a + c.minPx, 0));
    expect(tracks(gridTemplate(layout))[2]).toBe('minmax(160px, 1.6fr)');
  });

  it('hidden columns leave the template; the name column cannot be hidden', () => {
    const layout = withShown(withShown(defaultLayout(), 'reviewer', false), 'name', false);
    expect(visibleColumns(layout).map((c) => c.key)).not.toContain('reviewer');
    expect(visibleColumns(layout).map((c) => c.key)).toContain('name');
    expect(tracks(gridTemplate(layout))).toHaveLength(2 + jobColumns.length - 1);
    expect(visibleColumns(withShown(layout, 'reviewer', true)).map((c) => c.key)).toContain('reviewer');
  });

  it('a dragged width is fixed, clamped to the limits, and counts in the minimum width', () => {
    const layout = withWidth(withWidth(defaultLayout(), 'name', 300.4), 'status', 5);
    expect(layout.widths).toEqual({ name: 300, status: 40 });
    expect(tracks(gridTemplate(layout)).slice(2, 4)).toEqual(['300px', '40px']);
    expect(rowWidthOf(layout)).toBe(60 + jobColumns.reduce((a, c) => a + c.minPx, 0) + 140 - 72);
    expect(withWidth(defaultLayout(), 'name', 5000).widths.name).toBe(1000);
  });
});
