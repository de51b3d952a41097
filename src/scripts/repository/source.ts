/** harvest.jsonl as a batch source: one item per line, the OAI identifier as its input id. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { countTextItems } from "../../batch/count.js";
import { createTextSink } from "../../batch/file-sink.js";
import type { BatchSource } from "../../batch/index.js";
import type { SourceEntry } from "../../batch/item.js";
import type { StagedItem } from "./harvest-file.js";

export function harvestSource(path: string): BatchSource<StagedItem, string> {
  return {
    format: "jsonl",
    entries: () => entries(path),
    count: () => countTextItems(path),
    failures: {
      extension: "jsonl",
      open(out) {
        const sink = createTextSink(out);
        return { write: (line) => sink.write(`${line}\n`), close: () => sink.close() };
      },
    },
  };
}

async function* entries(path: string): AsyncGenerator<SourceEntry<StagedItem, string>> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let position = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    position++;
    let item: StagedItem;
    try {
      item = JSON.parse(line) as StagedItem;
    } catch {
      yield {
        position,
        inputId: `line ${position}`,
        raw: line,
        invalid: `harvest.jsonl line ${position}: not JSON`,
      };
      continue;
    }
    yield { position, inputId: item.identifier, raw: line, payload: item };
  }
}
