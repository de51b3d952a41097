/**
 * What a long-running command (serve, worker) says on stdout, written in batches: a busy worker says two
 * lines per process, and stdout to a pipe or a file is written synchronously, a system call per write (a
 * quarter of a draining worker's CPU profile in bench/cluster.ts). A line waits at most `delayMs`; whatever
 * waits is written when the OS process exits.
 *
 * ```ts
 * const out = createLineOut((text) => process.stdout.write(text));
 * out.write("process 7 (tick) RUNNING\n");
 * ```
 */
export interface LineOut {
  write(text: string): void;
  /** Writes what waits, now. */
  flush(): void;
}

export function createLineOut(write: (text: string) => void, delayMs = 20): LineOut {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    write(text);
  };
  process.on("exit", flush);
  return {
    write(text) {
      pending.push(text);
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
