/**
 * The DOCTYPE declaration: skipped as a unit, keeping only internal general entities
 * (`<!ENTITY name "text">`). External entities (SYSTEM/PUBLIC) are never fetched or resolved:
 * references to them are reported as unknown.
 */
import { decodeEntities, type EntityTable, NO_ENTITIES } from "./entities.js";

export interface Doctype {
  /** Index just after the closing `>`. */
  readonly end: number;
  readonly entities: EntityTable;
  readonly problems: readonly string[];
}

/** Parses the DOCTYPE starting at `pos`; undefined when its end is not in `buf` yet. */
export function parseDoctype(buf: string, pos: number): Doctype | undefined {
  let inSubset = false;
  let subsetStart = -1;
  let subsetEnd = -1;
  let p = pos + 9;
  while (p < buf.length) {
    const c = buf[p];
    if (c === '"' || c === "'") {
      const close = buf.indexOf(c, p + 1);
      if (close < 0) return undefined;
      p = close + 1;
      continue;
    }
    if (inSubset && buf.startsWith("<!--", p)) {
      const close = buf.indexOf("-->", p + 4);
      if (close < 0) return undefined;
      p = close + 3;
      continue;
    }
    if (c === "[" && !inSubset) {
      inSubset = true;
      subsetStart = p + 1;
    } else if (c === "]" && inSubset) {
      inSubset = false;
      subsetEnd = p;
    } else if (c === ">" && !inSubset) {
      const subset = subsetStart >= 0 ? buf.slice(subsetStart, subsetEnd) : "";
      return { end: p + 1, ...internalEntities(subset) };
    }
    p++;
  }
  return undefined;
}

const ENTITY_DECL = /<!ENTITY\s+([^\s%"'>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)[^>]*)\s*>/g;

function internalEntities(subset: string): { entities: EntityTable; problems: string[] } {
  const problems: string[] = [];
  if (!subset.includes("<!ENTITY")) return { entities: NO_ENTITIES, problems };
  const entities = new Map<string, string>();
  for (const m of subset.matchAll(ENTITY_DECL)) {
    const [, name, dq, sq, external] = m;
    if (external) continue; // declared, never resolved: references to it are reported as unknown
    if (entities.has(name)) continue; // the first declaration binds (XML 1.0 §4.2)
    // Replacement text is used as character data: references inside it are expanded once, not recursively.
    entities.set(
      name,
      decodeEntities(dq ?? sq ?? "", NO_ENTITIES, (msg) => problems.push(`entity ${name}: ${msg}`)),
    );
  }
  return { entities, problems };
}
