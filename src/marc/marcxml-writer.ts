/**
 * Streaming MARCXML writer.
 *
 * ```ts
 * const w = createMarcXmlWriter(createWriteStream("out.xml"));
 * for (const r of records) await w.write(r);
 * await w.close(); // writes </collection> and ends the stream
 * ```
 */
import type { Writable } from "node:stream";
import type { MarcWriter } from "./codec.js";
import { recordElement } from "./marcxml-string.js";
import type { MarcRecord } from "./record.js";
import { createBufferedOutput } from "./xml/buffered-output.js";
import type { InvalidCharacterHandler } from "./xml/escape.js";
import { MARC21_SLIM_NS } from "./xml/namespaces.js";

export interface MarcXmlWriterOptions {
  /** Wrap the records in `<collection>` (default true); false writes bare `<record>`s, one per line. */
  readonly collection?: boolean;
  /** Indent elements (default true). */
  readonly indent?: boolean;
  /** Called for each character XML 1.0 cannot carry; it is written as U+FFFD. */
  readonly onInvalidCharacter?: InvalidCharacterHandler;
}

/** A MarcWriter producing MARCXML (MARC 21 slim namespace, UTF-8) on `out`. */
export function createMarcXmlWriter(out: Writable, options: MarcXmlWriterOptions = {}): MarcWriter {
  const collection = options.collection ?? true;
  const indent = options.indent ?? true;
  const nl = indent ? "\n" : "";
  const ind = indent ? "  " : "";
  const output = createBufferedOutput(out);
  let started = false;
  const begin = () => {
    started = true;
    if (collection)
      output.append(`<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARC21_SLIM_NS}">\n`);
  };
  const writer: MarcWriter = {
    async write(record: MarcRecord) {
      if (!started) begin();
      const ns = collection ? "" : ` xmlns="${MARC21_SLIM_NS}"`;
      output.append(
        `${recordElement(record, ns, nl, ind, options.onInvalidCharacter, collection ? ind : "")}\n`,
      );
      await output.flushIfFull();
    },
    async close() {
      if (!started) begin();
      if (collection) output.append("</collection>\n");
      await output.close();
    },
  };
  // Converters encode records the way the default options write them (in a collection, indented).
  if (collection && indent && !options.onInvalidCharacter)
    writer.writeEncoded = async (bytes: Uint8Array) => {
      if (!started) begin();
      output.appendBytes(bytes);
      await output.flushIfFull();
    };
  return writer;
}
