// Background steps of different modules (order builds, the text index's catch-up, the charts' count slices) each get
// a turn of the event loop to themselves, with the loop's timers and I/O between, in the order they asked.
import { describe, expect, it } from 'vitest';
import { inTurn, inTurnAfter, nextTurn } from '../../../main/cache/turns';

/** busy for `ms`, like a step of background work */
const work = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

/** counts the loop's turns: a 0 ms timer fires in every turn that follows a step of over 1 ms */
function turnCounter() {
  let turns = 0;
  let timer: NodeJS.Timeout;
  const tick = () => {
    turns++;
    timer = setTimeout(tick, 0);
  };
  timer = setTimeout(tick, 0);
  return { now: () => turns, stop: () => clearTimeout(timer) };
}

describe('background turns', () => {
  it('runs steps of two chains each in a turn of its own, timers between them', async () => {
    const loop = turnCounter();
    const seen: [string, number][] = [];
    const chain = (name: string, steps: number) =>
      new Promise<void>((done) => {
        const step = () => {
          seen.push([name, loop.now()]);
          work(3);
          if (--steps > 0) inTurn(step);
          else done();
        };
        inTurn(step);
      });
    const build = chain('build', 5);
    const catchUp = chain('catch-up', 5);
    const slices = (async () => {
      for (let i = 0; i < 5; i++) {
        await nextTurn();
        seen.push(['slices', loop.now()]);
        work(3);
      }
    })();
    await Promise.all([build, catchUp, slices]);
    loop.stop();
    expect(seen).toHaveLength(15);
    const turnsSeen = seen.map(([, turn]) => turn);
    expect(new Set(turnsSeen).size).toBe(15); // no two steps shared a turn
    // they take turns in the order they asked: build, catch-up, slices, build, ...
    expect(seen.slice(0, 6).map(([name]) => name)).toEqual(['build', 'catch-up', 'slices', 'build', 'catch-up', 'slices']);
  });

  it('a paced step waits its time, then for a turn of its own', async () => {
    const started = performance.now();
    const ran = await new Promise<number>((resolve) => inTurnAfter(30, () => resolve(performance.now())));
    expect(ran - started).toBeGreaterThanOrEqual(29);
  });
});
