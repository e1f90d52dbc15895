// Time axes for the charts, as pure functions: days without data kept as empty columns (so weeks
// read as weeks), and tick marks at a round step (hours, days, weeks, months) for any time span.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** steps a time axis may use, shortest first */
const STEPS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

/** One column per day from the first to the last day with data (at most `maxDays`, the latest kept). */
export function everyDay(points: readonly { day: string; count: number }[], maxDays = 366): { day: string; count: number }[] {
  if (points.length === 0) return [];
  const counts = new Map(points.map((p) => [p.day, p.count]));
  const days = [...counts.keys()].sort();
  const last = Date.parse(`${days.at(-1)}T00:00:00Z`);
  const first = Math.max(Date.parse(`${days[0]}T00:00:00Z`), last - (maxDays - 1) * DAY);
  const filled: { day: string; count: number }[] = [];
  for (let t = first; t <= last; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    filled.push({ day, count: counts.get(day) ?? 0 });
  }
  return filled;
}

/** Round tick times between t0 and t1 (ms), at most `maxTicks`, at the shortest step that fits. */
export function timeTicks(t0: number, t1: number, maxTicks: number): number[] {
  if (!(t1 > t0) || maxTicks < 1) return [];
  const step = STEPS.find((s) => (t1 - t0) / s <= maxTicks) ?? STEPS.at(-1)!;
  // steps of a day or more start at UTC midnight, shorter ones at the hour
  const unit = step >= DAY ? DAY : HOUR;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / unit) * unit; t <= t1; t += step) ticks.push(t);
  return ticks;
}
