// Filters survive the URL: every field round-trips, junk is ignored.
import { describe, expect, it } from 'vitest';
import { defaultSort, filterToQuery, isEmptyFilter, queryToFilter } from '../../../renderer/src/lib/filterUrl';
import { parseHash } from '../../../renderer/src/lib/routes';

describe('filter in the URL', () => {
  it('round-trips a full filter and sort', () => {
    const filter = {
      createdById: [7],
      assignedToId: [101, 102],
      reviewerId: [5],
      projectId: [5555],
      datasetId: [10555],
      statuses: ['pending' as const, 'stopped' as const],
      text: 'lemons & kiwi',
      showArchived: true,
      onlyPending: true,
    };
    const sort = { column: 'name' as const, direction: 'asc' as const };
    expect(queryToFilter(filterToQuery(filter, sort))).toEqual({ filter, sort });
  });

  it('an empty filter with the default sort is an empty query', () => {
    expect(filterToQuery({}, defaultSort)).toBe('');
    expect(queryToFilter('')).toEqual({ filter: {}, sort: defaultSort });
  });

  it('keeps statuses newer than the app (their chips filter by them), ignores empty ones, bad ids and bad sorts', () => {
    const { filter, sort } = queryToFilter('status=pending,quality_check,,pending&creator=abc,7&sort=password.asc');
    expect(filter).toEqual({ statuses: ['pending', 'quality_check'], createdById: [7] });
    expect(sort).toEqual(defaultSort);
    expect(queryToFilter(filterToQuery({ statuses: ['quality_check'] }, defaultSort)).filter).toEqual({ statuses: ['quality_check'] });
  });

  it('knows when a filter narrows nothing', () => {
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ statuses: [], showArchived: false })).toBe(true);
    expect(isEmptyFilter({ createdById: [7] })).toBe(false);
  });
});

describe('routes', () => {
  it('parses views, job ids (also negative local ids) and queries', () => {
    expect(parseHash('#/jobs?creator=7')).toEqual({ view: 'jobs', id: null, query: 'creator=7' });
    expect(parseHash('#/job/12')).toEqual({ view: 'job', id: 12, query: '' });
    expect(parseHash('#/job/-3')).toEqual({ view: 'job', id: -3, query: '' });
    expect(parseHash('#/job/abc')).toEqual({ view: 'jobs', id: null, query: '' });
    expect(parseHash('')).toEqual({ view: 'jobs', id: null, query: '' });
    expect(parseHash('#/settings')).toEqual({ view: 'settings', id: null, query: '' });
  });
});
