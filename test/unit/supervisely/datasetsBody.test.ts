// datasets.list as the SDK's get_list(project_id, recursive=True) sends it: every level of a project's
// datasets in one list (supervisely-api.md §5.5); the top-level form stays the SDK's default (trace 32).
import { describe, expect, it } from 'vitest';
import { datasetsListBody } from '../../../main/supervisely/datasets';
import { firstPageBody } from '../../../main/supervisely/pagination';

describe('datasets.list body', () => {
  it('asks for nested datasets with recursive true, no parent filter, in the SDK key order', () => {
    expect(JSON.stringify(firstPageBody(datasetsListBody(5555, { recursive: true })))).toBe(
      JSON.stringify({ projectId: 5555, filter: [], recursive: true, sort: 'id', sort_order: 'asc' }),
    );
  });

  it('the top-level form is the default', () => {
    expect(datasetsListBody(5555)).toEqual({ projectId: 5555, filter: [], recursive: false });
  });
});
