import type { ChannelConfig } from "../config.js";
import { emailSender } from "./email.js";
import type { Sender, SenderDeps } from "./sender.js";
import { webhookSender } from "./webhook.js";

export type { Sender, SenderDeps };

/** A sender for a configured channel (its secrets read now). */
export function openSender(channel: ChannelConfig, deps: SenderDeps): Sender {
  return channel.type === "email" ? emailSender(channel, deps) : webhookSender(channel, deps);
}
