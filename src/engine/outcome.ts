import { ProcessAbortedError } from "./errors.js";
import type { ItemsOutcome, ScriptResult } from "./script.js";

/** How run() ended: returned, threw, or was abandoned after not stopping within the grace period. */
export type Settled =
  | { readonly kind: "returned"; readonly value: ScriptResult | undefined }
  | { readonly kind: "threw"; readonly error: unknown }
  | { readonly kind: "abandoned" };

/** What becomes of the process. */
export type Outcome =
  | {
      readonly kind: "finish";
      readonly status: "COMPLETED" | "FAILED" | "CANCELLED";
      readonly message: string | null;
      readonly result: unknown;
      /** How a COMPLETED process's items went, when the script said. */
      readonly items?: ItemsOutcome;
    }
  | { readonly kind: "requeue" }
  /** Someone else already ended it (our lease was lost): touch nothing. */
  | { readonly kind: "lost" };

/**
 * Once the signal fired, its reason decides (a script may stop by throwing or by returning early);
 * otherwise the script's own return or throw does. One exception: a script that returns success although a
 * shutdown was asked for has finished its work (it did not stop early: stopping is throwing, or returning
 * `failed`), so it is COMPLETED rather than re-queued to do the same work again.
 */
export function decideOutcome(settled: Settled, abortReason: unknown): Outcome {
  const finishedAnyway =
    abortReason instanceof ProcessAbortedError &&
    abortReason.kind === "shutdown" &&
    settled.kind === "returned" &&
    !settled.value?.failed;
  if (abortReason instanceof ProcessAbortedError && !finishedAnyway) {
    switch (abortReason.kind) {
      case "shutdown":
        return { kind: "requeue" };
      case "lease-lost":
        return { kind: "lost" };
      case "cancel":
        return { kind: "finish", status: "CANCELLED", message: abortReason.message, result: null };
      case "timeout":
      case "disk-full":
        return { kind: "finish", status: "FAILED", message: abortReason.message, result: null };
    }
  }
  if (settled.kind === "returned") {
    const value = settled.value;
    if (value?.failed)
      return { kind: "finish", status: "FAILED", message: value.failed, result: value.summary };
    return {
      kind: "finish",
      status: "COMPLETED",
      message: null,
      result: value?.summary ?? null,
      ...(value?.outcome ? { items: value.outcome } : {}),
    };
  }
  if (settled.kind === "threw") {
    return { kind: "finish", status: "FAILED", message: thrownMessage(settled.error), result: null };
  }
  return { kind: "finish", status: "FAILED", message: "abandoned", result: null };
}

/**
 * The exit message for whatever a script threw. Scripts may throw anything: `undefined`, a Symbol, an Error
 * without a message or an object that cannot even be turned into a string; the message still says what.
 */
export function thrownMessage(thrown: unknown): string {
  if (thrown instanceof Error) {
    const message: unknown = thrown.message;
    if (typeof message === "string" && message !== "") return message;
    return message ? describe(message) : `${String(thrown.name || "Error")} without a message`;
  }
  if (typeof thrown === "string") return thrown || "the script threw an empty string";
  const described = describe(thrown);
  return `the script threw ${described}, not an Error`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined || typeof value !== "object") {
    return typeof value === "symbol" ? value.toString() : String(value);
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 500 ? `${json.slice(0, 500)}...` : json;
  } catch {
    // a cycle or a BigInt: say what kind of object it was
  }
  return Object.prototype.toString.call(value);
}

/** `1500` -> `"1.5"`: seconds for messages. */
export function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}
