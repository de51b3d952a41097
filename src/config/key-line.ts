/** Where a key of the config file is: its line, so that an error can say `file:line`. */
import { readFileSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";

/**
 * The 1-based line of the value at `path` (keys and list indexes) in a YAML/JSON file; the nearest
 * existing ancestor's line when the path goes further than the file; undefined when unreadable.
 *
 * ```ts
 * lineOf("/etc/nightshift.yaml", ["schedules", "weekly-theses", "cron"]) // 12
 * ```
 */
export function lineOf(file: string, path: readonly (string | number)[]): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => String((p.key as { value?: unknown })?.value ?? p.key) === String(key),
      );
      if (!pair) break;
      offset = (pair.key as { range?: [number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number" && node.items[key] !== undefined) {
      node = node.items[key];
      offset = (node as { range?: [number] } | null)?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

/** `file:line` for an error message (just the file when the line is not known). */
export function whereInFile(file: string, path: readonly (string | number)[]): string {
  const line = lineOf(file, path);
  return line === undefined ? file : `${file}:${line}`;
}
