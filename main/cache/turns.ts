// One step of background work per turn of the event loop. Steps that each module chained with setImmediate ran back
// to back in the same check phase: a chart's count slice beside an order build step held the worker 18-19 ms at 1M.
// Here every step waits for a turn of its own, in the order asked, with the loop's I/O (the grid's requests) between.
const waiting: (() => void)[] = [];
let armed = false;

function turn(): void {
  const step = waiting.shift()!;
  // armed before the step runs: an immediate queued now runs in the next turn, behind the loop's I/O
  armed = waiting.length > 0;
  if (armed) setImmediate(turn);
  step();
}

/** runs `step` in a turn of its own, after every step asked for before it */
export function inTurn(step: () => void): void {
  waiting.push(step);
  if (armed) return;
  armed = true;
  setImmediate(turn);
}

/** `inTurn` once `ms` have passed (a paced or quiet wait, then the step in a turn of its own) */
export function inTurnAfter(ms: number, step: () => void): void {
  setTimeout(() => inTurn(step), ms);
}

/** resolves in a turn of its own: await it between the slices of a long task */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => inTurn(resolve));
}
