// Server timestamps in any ISO-8601 form → one canonical form, so equal instants compare equal.
import { describe, expect, it } from 'vitest';
import { canonicalTimestamp } from '../../../main/supervisely/timestamps';

describe('canonicalTimestamp', () => {
  it.each([
    ['2022-10-05T08:42:30.588Z', '2022-10-05T08:42:30.588Z'],
    ['2022-10-05T08:42:30Z', '2022-10-05T08:42:30.000Z'],
    ['2022-10-05T08:42:30.588123Z', '2022-10-05T08:42:30.588Z'],
    ['2022-10-05T08:42:30.588123+00:00', '2022-10-05T08:42:30.588Z'],
    ['2022-10-05T10:42:30+02:00', '2022-10-05T08:42:30.000Z'],
    ['2022-10-05T03:42:30-0500', '2022-10-05T08:42:30.000Z'],
    ['2022-10-05T09:42:30+01', '2022-10-05T08:42:30.000Z'],
    ['2022-10-05 08:42:30', '2022-10-05T08:42:30.000Z'], // no zone: UTC, not local time
    ['2022-10-05T08:42', '2022-10-05T08:42:00.000Z'],
    ['2022-10-05', '2022-10-05T00:00:00.000Z'],
    ['2022-10-05t08:42:30z', '2022-10-05T08:42:30.000Z'],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalTimestamp(text)).toBe(canonical);
  });

  it('keeps the canonical form of every day of a leap year and of the turn of 2100 as it is', () => {
    for (const from of [Date.UTC(2024, 0, 1, 23, 59, 59, 999), Date.UTC(2099, 11, 1, 0, 0, 0, 1)]) {
      for (let day = 0; day < 400; day++) {
        const text = new Date(from + day * 86_400_000).toISOString();
        expect(canonicalTimestamp(text)).toBe(text);
      }
    }
    expect(canonicalTimestamp('2000-02-29T12:00:00.000Z')).toBe('2000-02-29T12:00:00.000Z');
  });

  it.each([
    '',
    'yesterday',
    '05/10/2022',
    '2022-13-01T00:00:00Z',
    '2024-02-30',
    '2022-10-05T25:00:00Z',
    '1665000000',
    // in the canonical form's shape, but no real day
    '2024-02-30T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '1900-02-29T00:00:00.000Z',
    '2024-04-31T00:00:00.000Z',
    '2024-01-01T24:00:00.000Z',
    '2016-12-31T23:59:60.000Z',
  ])('%j is not a timestamp', (text) => {
    expect(canonicalTimestamp(text)).toBeNull();
  });
});
