/**
 * One inbound event of a webhook trigger, after authentication: its key (the idempotency key, else the
 * signature), then one process for it, recorded with the key in the process's own transaction (unique per
 * trigger and key), so a repeated event — a sender's retry, a replay, 20 at once — answers the process the
 * first one started and never makes a second.
 */
import type { Engine } from "../engine/engine.js";
import type { ParameterProblem } from "../engine/parameters.js";
import type { ProcessRecord } from "../engine/process-record.js";
import { NightshiftError } from "../errors.js";
import { findTriggerEvent, insertTriggerEvent } from "../store/queries/trigger-events.js";
import { isoTime } from "../store/store.js";
import type { TriggerDefinition } from "./definition.js";
import { mapPayload } from "./map-payload.js";
import { resolvePointer } from "./pointer.js";

export type ReceiveEngine = Pick<Engine, "store" | "service" | "clock" | "scripts">;

export type Received =
  | { readonly kind: "started"; readonly process: ProcessRecord }
  | { readonly kind: "repeated"; readonly processId: number }
  | { readonly kind: "invalid"; readonly problems: readonly ParameterProblem[] };

class AlreadyReceived extends NightshiftError {
  constructor() {
    super("event already received", "EVENT_REPEATED");
  }
}

export interface InboundEvent {
  readonly payload: unknown;
  /** The Idempotency-Key header. */
  readonly idempotencyHeader?: string;
  /** `sig:<t>:<v1>` for a signed request: the same signed request again is the same event. */
  readonly signatureKey?: string;
  readonly userId?: string;
}

/** The key an event is known by: the Idempotency-Key header, the payload's key, or the signature. */
export function eventKey(trigger: TriggerDefinition, event: InboundEvent): string | undefined {
  if (event.idempotencyHeader) return `idem:${event.idempotencyHeader}`;
  if (trigger.idempotencyKey) {
    const { found, value } = resolvePointer(event.payload, trigger.idempotencyKey);
    if (found && value !== null && value !== undefined && typeof value !== "object")
      return `idem:${String(value)}`;
  }
  return event.signatureKey;
}

export async function receiveEvent(
  engine: ReceiveEngine,
  trigger: TriggerDefinition,
  event: InboundEvent,
): Promise<Received> {
  const key = eventKey(trigger, event);
  if (key) {
    const seen = await findTriggerEvent(engine.store.db, trigger.name, key);
    if (seen?.process_id != null) return { kind: "repeated", processId: seen.process_id };
  }
  const script = engine.scripts.require(trigger.script);
  const mapped = mapPayload(trigger, script, event.payload);
  if ("problems" in mapped) return { kind: "invalid", problems: mapped.problems };
  if (mapped.parameters.files.length)
    return {
      kind: "invalid",
      problems: mapped.parameters.files.map((f) => ({
        parameter: f,
        message: `a webhook event cannot give files (${f}): use a folder trigger`,
      })),
    };
  try {
    const process = await engine.service.createProcess({
      script: script.name,
      parameters: mapped.parameters,
      startedBy: {
        source: "trigger",
        trigger: trigger.name,
        ...(event.userId ? { userId: event.userId } : {}),
      },
      priority: trigger.priority,
      account: trigger.account,
      ...(key
        ? {
            inTransaction: async (db, row) => {
              const now = isoTime(engine.clock.now());
              if (!(await insertTriggerEvent(db, trigger.name, key, row.id, now)))
                throw new AlreadyReceived();
            },
          }
        : {}),
    });
    return { kind: "started", process };
  } catch (err) {
    if (!(err instanceof AlreadyReceived) || !key) throw err;
    const seen = await findTriggerEvent(engine.store.db, trigger.name, key);
    if (seen?.process_id == null) throw err;
    return { kind: "repeated", processId: seen.process_id };
  }
}
