/** Notifications: channels, rules, the outbox and its courier. See README.md in this folder. */
import type { Engine } from "../engine/engine.js";
import { parseNotifyConfig } from "./config.js";
import { type Courier, type CourierOptions, createCourier } from "./courier.js";

export { type NotifyConfig, parseNotifyConfig } from "./config.js";
export type { Courier, DeliveryRound } from "./courier.js";

/** The courier of an engine's outbox; undefined when the config has no channel. */
export function engineCourier(
  engine: Engine,
  options: Partial<Omit<CourierOptions, "store" | "config" | "notify" | "workerId" | "clock">> = {},
): Courier | undefined {
  const notify = parseNotifyConfig(engine.config);
  if (notify.channels.size === 0) return undefined;
  return createCourier({
    store: engine.store,
    config: engine.config,
    notify,
    workerId: engine.workerId,
    clock: engine.clock,
    events: engine.events,
    files: engine.files,
    ...options,
  });
}
