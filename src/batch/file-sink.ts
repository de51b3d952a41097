/** An append-only text file written in order through a stream, with `close()` waiting until it is on disk. */

import { once } from "node:events";
import { createWriteStream } from "node:fs";

export interface TextSink {
  write(text: string): void;
  close(): Promise<void>;
}

export function createTextSink(path: string): TextSink {
  const stream = createWriteStream(path, { encoding: "utf8" });
  let failure: Error | undefined;
  stream.on("error", (err) => {
    failure = err;
  });
  return {
    write(text) {
      if (!failure) stream.write(text);
    },
    async close() {
      if (!failure) {
        stream.end();
        await Promise.race([once(stream, "close"), once(stream, "error")]).catch(() => undefined);
      }
      if (failure) throw failure;
    },
  };
}
