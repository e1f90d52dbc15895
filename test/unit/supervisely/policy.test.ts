// The retry policy's arithmetic: full-jitter bounds and the two Retry-After forms.
import { describe, expect, it } from 'vitest';
import { BACKGROUND_POLICY, INTERACTIVE_POLICY, backoffDelayMs, retryAfterMs } from '../../../main/supervisely/policy';

describe('backoffDelayMs (full jitter)', () => {
  it('is random in [0, min(base × 2^k, cap)]', () => {
    const p = { retryBaseMs: 100, retryMaxDelayMs: 1000 };
    expect(backoffDelayMs(p, 0, () => 0)).toBe(0);
    expect(backoffDelayMs(p, 0, () => 0.999)).toBe(99);
    expect(backoffDelayMs(p, 3, () => 0.5)).toBe(400);
    expect(backoffDelayMs(p, 10, () => 0.999)).toBe(999); // capped
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-01T08:00:00Z');
  it.each<[string | null, string | null, number | null]>([
    ['5', null, 5000],
    [' 0 ', null, 0],
    ['Tue, 01 Dec 2026 08:00:30 GMT', null, 30_000],
    ['Tue, 01 Dec 2026 10:00:30 GMT', 'Tue, 01 Dec 2026 10:00:00 GMT', 30_000], // the server's clock, not ours
    ['Tue, 01 Dec 2026 07:00:00 GMT', null, 0], // in the past: retry now
    ['soon', null, null],
    [null, null, null],
    ['-3', null, null],
  ])('Retry-After %j (Date %j) → %j ms', (value, date, expected) => {
    expect(retryAfterMs(value, date, now)).toBe(expected);
  });
});

describe('policies', () => {
  it('background is patient and lets a slow 1,000-row page arrive; interactive answers within seconds', () => {
    expect(BACKGROUND_POLICY.timeoutMs).toBeGreaterThanOrEqual(100_000); // ~3 MB at 30 KB/s
    expect(BACKGROUND_POLICY.retryLimit).toBeGreaterThan(INTERACTIVE_POLICY.retryLimit);
    expect(INTERACTIVE_POLICY.timeoutMs * INTERACTIVE_POLICY.retryLimit + INTERACTIVE_POLICY.retryMaxDelayMs).toBeLessThanOrEqual(20_000);
  });
});
