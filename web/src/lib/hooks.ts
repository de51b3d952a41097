/** Data loading with live refresh: `usePoll(load, ms)` re-runs `load` every `ms` while the tab is visible. */
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly reload: () => void;
}

export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  ms: number | null,
  deps: DependencyList,
): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps say when to load anew; tick is reload()
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current(controller.signal);
        if (!controller.signal.aborted) {
          setData(value);
          setError(undefined);
        }
      } catch (err) {
        if (!controller.signal.aborted) setError(err as Error);
      }
      if (ms !== null && !controller.signal.aborted) timer = setTimeout(again, ms);
    };
    const again = () => {
      if (document.visibilityState === "hidden") timer = setTimeout(again, ms ?? 1000);
      else void run();
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, ms, tick]);
  return { data, error, reload };
}
