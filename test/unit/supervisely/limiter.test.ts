// The transport's gate with a bound read at every start and finish: a raised bound starts waiting calls at once,
// a lowered one starts none until enough have finished, and waiting calls keep their order.
import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../main/supervisely/concurrency';

function gated() {
  let bound = 2;
  const limit = createLimiter(() => bound);
  let running = 0;
  const started: number[] = [];
  const release: (() => void)[] = [];
  const run = (n: number) =>
    limit(async () => {
      running++;
      started.push(n);
      await new Promise<void>((r) => release.push(r));
      running--;
    });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    run,
    settle,
    started,
    get running() {
      return running;
    },
    setBound: (n: number) => (bound = n),
    finishOne: async () => {
      release.shift()!();
      await settle();
    },
  };
}

describe('createLimiter with a bound that changes', () => {
  it('raising the bound starts waiting calls at the next start or finish, in order', async () => {
    const g = gated();
    const all = [1, 2, 3, 4, 5, 6].map((n) => g.run(n));
    await g.settle();
    expect(g.started).toEqual([1, 2]);
    g.setBound(5);
    void g.run(7); // a newcomer: the waiting ones go first
    await g.settle();
    expect(g.started).toEqual([1, 2, 3, 4, 5]);
    await g.finishOne();
    expect(g.started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(g.running).toBe(5);
    while (g.running > 0) await g.finishOne();
    await Promise.all(all);
    expect(g.started).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('lowering the bound starts nothing new until the calls in flight are below it', async () => {
    const g = gated();
    g.setBound(4);
    [1, 2, 3, 4, 5, 6].forEach((n) => void g.run(n));
    await g.settle();
    expect(g.running).toBe(4);
    g.setBound(1);
    await g.finishOne();
    await g.finishOne();
    await g.finishOne();
    expect(g.started).toEqual([1, 2, 3, 4]); // still one in flight: at the bound
    await g.finishOne();
    expect(g.started).toEqual([1, 2, 3, 4, 5]);
    expect(g.running).toBe(1);
  });
});
