import type { Message } from "../message.js";

/** A channel ready to send: one message to its recipients (or the channel's own when null). */
export interface Sender {
  send(message: Message, recipients: readonly string[] | null, deliveryId: string): Promise<void>;
  close(): void;
}

/** What channels need around them. */
export interface SenderDeps {
  readonly env: NodeJS.ProcessEnv;
  /** Folder of the config file (relative file: references). */
  readonly baseDir: string;
  /** Masks every secret value the config refers to. */
  readonly mask: (text: string) => string;
  readonly now: () => number;
  /** How long one delivery may take. */
  readonly timeoutMs: number;
}
