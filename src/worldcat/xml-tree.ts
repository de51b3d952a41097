/**
 * A tiny namespace-agnostic XML tree for OCLC's small response bodies (errors, Atom entries, code lists).
 * Element names are local names (prefixes dropped); MARC records are handed to src/marc instead.
 */
import { SaxesParser } from "saxes";

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

function localName(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}

/** Parses `xml`; returns undefined when it is not well-formed. */
export function parseXmlTree(xml: string): XmlElement | undefined {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failed = false;
  parser.on("error", () => {
    failed = true;
  });
  parser.on("opentag", (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[localName(k)] = String(v);
    const el: XmlElement = { name: localName(tag.name), attrs, children: [], text: "" };
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on("text", (t) => {
    if (stack.length > 0) stack[stack.length - 1].text += t;
  });
  parser.on("cdata", (t) => {
    if (stack.length > 0) stack[stack.length - 1].text += t;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch {
    return undefined;
  }
  return failed ? undefined : root;
}

/** Every descendant (and the element itself) with the local name, in document order. */
export function findAll(el: XmlElement | undefined, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    for (const c of e.children) walk(c);
  };
  if (el) walk(el);
  return out;
}

/** The first descendant with the local name. */
export function findFirst(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return findAll(el, name)[0];
}

/** Trimmed text of the first descendant with the local name. */
export function textOf(el: XmlElement | undefined, name: string): string | undefined {
  const t = findFirst(el, name)?.text.trim();
  return t === undefined || t === "" ? undefined : t;
}
