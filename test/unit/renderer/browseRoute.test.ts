// The project browser's place and the create form's preselection survive the URL; junk is ignored.
import { describe, expect, it } from 'vitest';
import {
  browseQuery,
  createPresetQuery,
  datasetTree,
  pageCount,
  parseBrowsePlace,
  parseCreatePreset,
  safeColor,
} from '../../../renderer/src/views/projects/browseRoute';
import { parseHash } from '../../../renderer/src/lib/routes';

describe('project browser route', () => {
  it('round-trips a project, a dataset and a page', () => {
    const place = { teamId: 8, projectId: 5555, datasetId: 10555, page: 3 };
    expect(parseBrowsePlace(browseQuery(place))).toEqual(place);
    expect(browseQuery({ teamId: 8, projectId: 5555, datasetId: 10555, page: 1 })).toBe('team=8&project=5555&dataset=10555');
    expect(parseHash('#/projects?project=5555')).toMatchObject({ view: 'projects', query: 'project=5555' });
  });

  it('ignores ids that are not positive whole numbers, and a dataset without its project', () => {
    expect(parseBrowsePlace('project=-1&dataset=2')).toEqual({ teamId: null, projectId: null, datasetId: null, page: 1 });
    expect(parseBrowsePlace('project=7&dataset=1e3&page=0')).toEqual({ teamId: null, projectId: 7, datasetId: null, page: 1 });
    expect(parseBrowsePlace('dataset=9')).toEqual({ teamId: null, projectId: null, datasetId: null, page: 1 });
    expect(parseBrowsePlace('project=7&dataset=9&page=x')).toEqual({ teamId: null, projectId: 7, datasetId: 9, page: 1 });
  });

  it('gives the create form all four ids, or nothing', () => {
    const preset = { teamId: 8, workspaceId: 349, projectId: 5555, datasetId: 10555 };
    expect(parseCreatePreset(createPresetQuery(preset))).toEqual(preset);
    expect(parseCreatePreset('team=8&workspace=349&project=5555')).toBeNull();
    expect(parseCreatePreset('')).toBeNull();
  });

  it('counts pages, at least one', () => {
    expect(pageCount(0, 48)).toBe(1);
    expect(pageCount(48, 48)).toBe(1);
    expect(pageCount(49, 48)).toBe(2);
  });

  it('lets only plain hex colours into a style', () => {
    expect(safeColor('#50E3C2')).toBe('#50E3C2');
    expect(safeColor('#abc')).toBe('#abc');
    expect(safeColor('red; background: url(https://x)')).toBeNull();
    expect(safeColor('#12345')).toBeNull();
  });
});

describe('datasets in tree order', () => {
  it('puts nested datasets under their parent, one level deeper', () => {
    const list = [
      { id: 1, parentId: null },
      { id: 2, parentId: 3 },
      { id: 3, parentId: null },
      { id: 4, parentId: 2 },
      { id: 5, parentId: 99 },
    ];
    expect(datasetTree(list).map((d) => [d.id, d.depth])).toEqual([
      [1, 0],
      [3, 0],
      [2, 1],
      [4, 2],
      [5, 0],
    ]);
  });

  it('shows every dataset once, even when parents form a loop', () => {
    const list = [
      { id: 1, parentId: 2 },
      { id: 2, parentId: 1 },
      { id: 3, parentId: 3 },
    ];
    expect(
      datasetTree(list)
        .map((d) => d.id)
        .sort(),
    ).toEqual([1, 2, 3]);
  });
});
