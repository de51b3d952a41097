/**
 * A MARC output file of a batch (records.<ext>) written in completion order while the batch runs: writes
 * are chained so each lands whole, and `close()` waits for all of them.
 */
import { createWriteStream } from "node:fs";
import type { ScriptContext } from "../../engine/script.js";
import { createWriter, type MarcFormat, type MarcRecord } from "../../marc/index.js";
import { extensionOf } from "./formats.js";

export interface RecordSink {
  readonly name: string;
  write(record: MarcRecord): Promise<void>;
  close(): Promise<number>;
}

export function openRecordSink(ctx: ScriptContext, format: MarcFormat): RecordSink {
  const name = `records.${extensionOf(format)}`;
  const writer = createWriter(format, createWriteStream(ctx.output(name, "records")));
  let chain: Promise<void> = Promise.resolve();
  let count = 0;
  return {
    name,
    write(record) {
      chain = chain.then(() => writer.write(record)).then(() => void count++);
      return chain;
    },
    async close() {
      await chain.catch(() => undefined);
      await writer.close();
      return count;
    },
  };
}
