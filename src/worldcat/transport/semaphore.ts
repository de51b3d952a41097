/** Bounds in-flight requests per account (the account's `concurrency`). FIFO. */
export interface Semaphore {
  acquire(): Promise<() => void>;
  readonly inFlight: number;
}

export function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    get inFlight() {
      return active;
    },
    async acquire() {
      if (active < limit) active++;
      else await new Promise<void>((r) => waiting.push(r));
      let done = false;
      return () => {
        if (!done) {
          done = true;
          release();
        }
      };
    },
  };
}
