// Crash: the small version of the outbox trials (npm run trials runs ≥ 30): child pushers killed
// with SIGKILL at random (seeded) moments while the server fails and loses answers, some trials with
// two pushers on one data folder at once; a last run finishes the queue. Nothing is lost, nothing
// is made twice (test/trials/outboxTrials.ts says how that is checked).
import { describe, expect, it } from 'vitest';
import { runTrials } from '../../trials/outboxTrials';

describe('crash while pushing', () => {
  it('survives kill -9 at random moments, failures, lost answers and a second pusher: nothing lost, nothing twice', async () => {
    const report = await runTrials({ trials: 8, failRate: 0.1, loseRate: 0.1, twoInstanceEvery: 4, seed: 20261128, maxKillMs: 400 });
    console.log(`crash trials: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    expect(report.problems).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.kills).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
