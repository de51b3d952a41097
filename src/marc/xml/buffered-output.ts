/** Buffered text output to a Node Writable with backpressure, shared by the text-format writers. */
import { once } from "node:events";
import type { Writable } from "node:stream";

const FLUSH_AT = 64 * 1024;

export interface BufferedOutput {
  append(text: string): void;
  /** Writes the buffer when it is large, waiting for `drain` when the stream asks to. */
  flushIfFull(): Promise<void>;
  /** Writes what is left and ends the stream (process.stdout/stderr are flushed, not ended). */
  close(): Promise<void>;
}

export function createBufferedOutput(out: Writable): BufferedOutput {
  let pending = "";
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending;
    pending = "";
    if (!out.write(text, "utf8")) await once(out, "drain");
  };
  return {
    append(text) {
      pending += text;
    },
    async flushIfFull() {
      if (pending.length >= FLUSH_AT) await flush();
    },
    async close() {
      await flush();
      if (out === process.stdout || out === process.stderr) return;
      const finished = once(out, "finish");
      out.end();
      await finished;
    },
  };
}
