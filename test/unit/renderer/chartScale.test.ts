// Chart time axes: empty days keep their column, ticks land on round steps for any span.
import { describe, expect, it } from 'vitest';
import { everyDay, timeTicks } from '../../../renderer/src/lib/chartScale';

describe('everyDay', () => {
  it('keeps days without jobs as empty columns, so two weeks read as fifteen columns', () => {
    const filled = everyDay([
      { day: '2026-11-01', count: 3 },
      { day: '2026-11-15', count: 1 },
    ]);
    expect(filled).toHaveLength(15);
    expect(filled[0]).toEqual({ day: '2026-11-01', count: 3 });
    expect(filled[7]).toEqual({ day: '2026-11-08', count: 0 });
    expect(filled.at(-1)).toEqual({ day: '2026-11-15', count: 1 });
  });

  it('keeps the latest days when the span is longer than the cap', () => {
    const filled = everyDay(
      [
        { day: '2025-01-01', count: 1 },
        { day: '2026-01-01', count: 2 },
      ],
      10,
    );
    expect(filled).toHaveLength(10);
    expect(filled.at(-1)).toEqual({ day: '2026-01-01', count: 2 });
  });
});

describe('timeTicks', () => {
  const at = (iso: string) => Date.parse(iso);

  it('marks three weeks by week, starting at midnight', () => {
    const ticks = timeTicks(at('2026-11-03T10:00:00Z'), at('2026-11-24T09:00:00Z'), 6);
    expect(ticks.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2026-11-04', '2026-11-11', '2026-11-18']);
  });

  it('marks a few hours by the hour and never exceeds the tick budget', () => {
    const ticks = timeTicks(at('2026-11-03T10:20:00Z'), at('2026-11-03T14:50:00Z'), 8);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['11:00', '12:00', '13:00', '14:00']);
    expect(timeTicks(at('2020-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), 8).length).toBeLessThanOrEqual(8);
  });

  it('gives no ticks for an empty span', () => {
    expect(timeTicks(5, 5, 6)).toEqual([]);
  });
});
