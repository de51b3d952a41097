/**
 * Graceful shutdown on SIGTERM/SIGINT: the first signal calls `stop` (running processes are aborted with
 * reason "shutdown", get a grace period to checkpoint, and are re-queued); a second signal exits at once.
 * Returns the function that removes the handlers.
 */
export function onShutdownSignals(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  say: (line: string) => void,
) {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      say(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    say(`${signal}: stopping; running processes get a grace period, then are re-queued`);
    stop(signal).then(
      () => undefined,
      (err: unknown) => say(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
}
