/** Buffered text output to a Node Writable with backpressure, shared by the text-format writers. */
import type { Writable } from "node:stream";
import { BlockOutput } from "../block-output.js";

export interface BufferedOutput {
  /** Encodes the text into the current block (one record's text at a time: no long strings are built). */
  append(text: string): void;
  /** Appends bytes as they are (UTF-8 already). */
  appendBytes(bytes: Uint8Array): void;
  /** Writes the full blocks, waiting for `drain` when the stream asks to. */
  flushIfFull(): Promise<void>;
  /** Writes what is left and ends the stream (process.stdout/stderr are flushed, not ended). */
  close(): Promise<void>;
}

export function createBufferedOutput(out: Writable): BufferedOutput {
  const output = new BlockOutput(out);
  return {
    append: (text) => output.text(text),
    appendBytes: (bytes) => output.bytes(bytes),
    flushIfFull: () => output.flushFull(),
    close: () => output.close(),
  };
}
