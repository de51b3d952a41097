/**
 * JSON Pointer (RFC 6901): `/item/oaiIdentifier` -> event.item.oaiIdentifier; `~1` is `/`, `~0` is `~`.
 *
 * ```ts
 * resolvePointer({ item: { id: "x" } }, "/item/id") // { found: true, value: "x" }
 * ```
 */
export function resolvePointer(doc: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === "") return { found: true, value: doc };
  if (!pointer.startsWith("/")) return { found: false };
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= node.length) return { found: false };
      node = node[Number(key)];
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, key)) {
      node = (node as Record<string, unknown>)[key];
    } else return { found: false };
  }
  return { found: true, value: node };
}

export function isPointer(text: string): boolean {
  return text === "" || text.startsWith("/");
}
