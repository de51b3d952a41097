/**
 * The config file as text and as a YAML document with positions, so any error naming a key path
 * (`scripts.worldcat-holdings.timeout`) can say the line it is on.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError } from "./units.js";

export interface ConfigSource {
  readonly file: string;
  readonly data: Record<string, unknown>;
  /** The 1-based line of the key at `keyPath` (dot-separated; list items by index), if it is in the file. */
  lineOf(keyPath: string): number | undefined;
}

export function parseConfigText(text: string, file: string): ConfigSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError("config", `not valid YAML or JSON: ${first.message.split("\n")[0]}`, file, line);
  }
  const data: unknown = doc.toJS();
  if (data !== null && data !== undefined && (typeof data !== "object" || Array.isArray(data)))
    throw new ConfigError("config", "must be a mapping", file);
  return {
    file,
    data: (data ?? {}) as Record<string, unknown>,
    lineOf(keyPath) {
      const offset = offsetOf(doc.contents, keyPath.split("."));
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

/** Walks the document along `segments`; a key may itself hold dots, so the longest matching key wins. */
function offsetOf(node: Node | null | undefined, segments: readonly string[]): number | undefined {
  if (segments.length === 0) return undefined;
  if (isMap(node)) {
    for (let take = segments.length; take >= 1; take--) {
      const name = segments.slice(0, take).join(".");
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
      if (!pair) continue;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (take === segments.length) return keyOffset;
      return offsetOf(pair.value as Node, segments.slice(take)) ?? keyOffset;
    }
    return undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(segments[0])] as Node | undefined;
    if (!item || !/^\d+$/.test(segments[0])) return undefined;
    return segments.length === 1 ? item.range?.[0] : (offsetOf(item, segments.slice(1)) ?? item.range?.[0]);
  }
  return undefined;
}

/** The same error with the file and, when the key is in the file, its line. */
export function locate(err: ConfigError, source: ConfigSource | undefined): ConfigError {
  if (!source || err.line !== undefined) return err;
  if (err.file && err.file !== source.file) return err;
  return new ConfigError(err.key, err.detail, source.file, source.lineOf(err.key));
}
