import { coerceError } from "../errors.js";
import type { ProcessRecord } from "./process-record.js";

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** Everything that happens to processes, for logs, SSE, metrics and notifications to subscribe to. */
export interface EngineEvents {
  "process:created": { readonly process: ProcessRecord };
  "process:started": { readonly process: ProcessRecord };
  "process:progress": { readonly processId: number; readonly done: number; readonly total: number | null };
  "process:log": {
    readonly processId: number;
    readonly time: string;
    readonly level: LogLevel;
    readonly message: string;
  };
  "process:heartbeat": { readonly workerId: string; readonly processIds: readonly number[] };
  "process:cancel-requested": { readonly processId: number };
  /** A RUNNING process was put back in the queue (graceful shutdown). */
  "process:requeued": { readonly process: ProcessRecord };
  /**
   * COMPLETED, FAILED or CANCELLED. `logEnded`: followers of its log on other nodes were told with the end
   * itself (PostgreSQL, the statement that ended it notified), so the engine need not tell them again.
   */
  "process:finished": { readonly process: ProcessRecord; readonly logEnded?: boolean };
  "process:deleted": { readonly processId: number };
  "lease:expired": {
    readonly processId: number;
    readonly workerId: string | null;
    readonly lastHeartbeat: string | null;
  };
  /** A failure inside the engine's own loop (it carries on); also where throwing listeners are reported. */
  "engine:error": { readonly error: Error; readonly context: string };
}

export type EventName = keyof EngineEvents;
export type Listener<E extends EventName> = (payload: EngineEvents[E]) => void | Promise<void>;

/** A typed emitter whose listeners can never break the emitter (throws and rejections are caught). */
export interface EngineEmitter {
  /** Subscribes; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
  emit<E extends EventName>(event: E, payload: EngineEvents[E]): void;
}

/**
 * ```ts
 * const events = createEmitter();
 * const off = events.on("process:finished", ({ process }) => console.log(process.status));
 * ```
 */
export function createEmitter(
  fallback: (line: string) => void = (l) => process.stderr.write(l),
): EngineEmitter {
  const listeners = new Map<EventName, Set<Listener<EventName>>>();
  const report = (error: unknown, event: EventName) => {
    const err = coerceError(error);
    if (event === "engine:error") {
      fallback(`nightshift: engine:error listener failed: ${err.message}\n`);
      return;
    }
    emit("engine:error", { error: err, context: `listener of ${event}` });
  };
  function emit<E extends EventName>(event: E, payload: EngineEvents[E]): void {
    const set = listeners.get(event);
    if (!set?.size) {
      if (event === "engine:error") {
        const p = payload as EngineEvents["engine:error"];
        fallback(`nightshift: ${p.context}: ${p.error.message}\n`);
      }
      return;
    }
    for (const listener of [...set]) {
      try {
        const result = (listener as Listener<E>)(payload);
        if (result && typeof result.then === "function") result.then(undefined, (e) => report(e, event));
      } catch (e) {
        report(e, event);
      }
    }
  }
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as Listener<EventName>);
      return () => set.delete(listener as Listener<EventName>);
    },
    emit,
  };
}
