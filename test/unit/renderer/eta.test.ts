// A batch's time left comes from its pace so far.
import { describe, expect, it } from 'vitest';
import { formatTimeLeft, secondsLeft } from '../../../renderer/src/lib/eta';

describe('time left of a batch', () => {
  it('extrapolates the pace so far', () => {
    expect(secondsLeft(100, 1000, 4000)).toBe(36); // 100 per 4 s → 900 more in 36 s
    expect(formatTimeLeft(36)).toBe('about 36 s left');
    expect(formatTimeLeft(secondsLeft(10, 1000, 6000))).toBe('about 10 min left');
  });

  it('says nothing before the first item is done', () => {
    expect(secondsLeft(0, 1000, 3000)).toBeNull();
    expect(formatTimeLeft(null)).toBe('');
  });

  it('is zero once everything is done', () => {
    expect(secondsLeft(5, 5, 1000)).toBe(0);
  });
});
