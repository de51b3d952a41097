/** Failures of MARC inputs, written back as records through an injected MARC writer (any format). */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import type { MarcWriter } from "../../marc/codec.js";
import type { MarcRecord } from "../../marc/record.js";
import type { FailuresFormat } from "../source.js";

/** Makes a writer of the input's format on a stream (e.g. `(out) => createWriter("iso2709", out)`). */
export type OpenMarcWriter = (out: Writable) => MarcWriter;

export function marcFailures(extension: string, openWriter: OpenMarcWriter): FailuresFormat<MarcRecord> {
  return {
    extension,
    open(path) {
      const stream = createWriteStream(path);
      const writer = openWriter(stream);
      // Writes are chained so they land in input order while the runner goes on.
      let chain: Promise<void> = Promise.resolve();
      let failure: unknown;
      return {
        write(record) {
          chain = chain
            .then(() => writer.write(record))
            .catch((err) => {
              failure ??= err;
            });
        },
        async close() {
          await chain;
          await writer.close();
          if (!stream.writableEnded) stream.end();
          if (!stream.closed) await once(stream, "close");
          if (failure) throw failure;
        },
      };
    },
  };
}
