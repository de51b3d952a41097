/** XML namespace scopes (prefix -> URI) for the MARCXML builder. */

/** The MARC 21 slim schema namespace. */
export const MARC21_SLIM_NS = "http://www.loc.gov/MARC21/slim";

/** Namespaces whose `record` elements are MARC records: MARC 21 slim, MARCXchange (ISO 25577), and none. */
const MARC_NAMESPACES: ReadonlySet<string> = new Set([MARC21_SLIM_NS, "info:lc/xmlns/marcxchange-v1", ""]);

export function isMarcNamespace(uri: string): boolean {
  return MARC_NAMESPACES.has(uri);
}

export type Scope = ReadonlyMap<string, string>;

export const ROOT_SCOPE: Scope = new Map([
  ["", ""],
  ["xml", "http://www.w3.org/XML/1998/namespace"],
]);

/** The scope of an element: its parent's, extended by its `xmlns` / `xmlns:p` attributes. */
export function scopeFor(parent: Scope, attrs: readonly string[]): Scope {
  let scope: Map<string, string> | undefined;
  for (let i = 0; i < attrs.length; i += 2) {
    const name = attrs[i];
    if (!name.startsWith("xmlns")) continue;
    const prefix = name.length === 5 ? "" : name.charCodeAt(5) === 58 /* : */ ? name.slice(6) : undefined;
    if (prefix === undefined) continue;
    scope ??= new Map(parent);
    scope.set(prefix, attrs[i + 1]);
  }
  return scope ?? parent;
}
