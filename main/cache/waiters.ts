/** Promises that all resolve at the next `settle()`: for those who wait until background work is done. */
export function createWaiters() {
  let waiting: (() => void)[] = [];
  return {
    wait: (): Promise<void> => new Promise((resolve) => waiting.push(resolve)),
    settle(): void {
      const done = waiting;
      waiting = [];
      for (const w of done) w();
    },
  };
}
