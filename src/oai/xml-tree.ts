/**
 * OAI-PMH response bodies as small element trees, read with src/marc's own XML tokenizer (external entities
 * are never resolved; internal ones are expanded once). Names are namespace-resolved: `ns` is the URI, `name`
 * the local name. A page is parsed whole (one page in memory); the expanded text of a page is capped so a
 * DOCTYPE that declares big entities cannot turn a small body into a huge one.
 *
 * ```ts
 * const root = parseXml("<a xmlns='u'><b>t</b></a>"); // { ns: "u", name: "a", children: [{ name: "b", text: "t" }] }
 * ```
 */
import { EntityLimitError } from "../marc/xml/entities.js";
import { ROOT_SCOPE, type Scope, scopeFor } from "../marc/xml/namespaces.js";
import { type XmlHandler, XmlTokenizer } from "../marc/xml/tokenizer.js";
import { OaiError } from "./errors.js";

export interface XmlNode {
  readonly ns: string;
  readonly name: string;
  /** Attributes by their name as written (`xml:lang`, `status`). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  text: string;
}

/** At most this many characters of text per byte of body, plus a fixed allowance (entity expansion cap). */
const EXPANSION_FACTOR = 2;
const EXPANSION_ALLOWANCE = 1 << 20;

export function parseXml(body: string, what = "the response"): XmlNode {
  const stack: { node: XmlNode; scope: Scope }[] = [];
  let root: XmlNode | undefined;
  let textChars = 0;
  const cap = body.length * EXPANSION_FACTOR + EXPANSION_ALLOWANCE;
  const problems: string[] = [];
  const handler: XmlHandler = {
    startElement(qname, attrs) {
      const parent = stack[stack.length - 1];
      const scope = scopeFor(parent?.scope ?? ROOT_SCOPE, attrs);
      const colon = qname.indexOf(":");
      const prefix = colon < 0 ? "" : qname.slice(0, colon);
      const record: Record<string, string> = {};
      for (let i = 0; i < attrs.length; i += 2) record[attrs[i]] = attrs[i + 1];
      const node: XmlNode = {
        ns: scope.get(prefix) ?? "",
        name: colon < 0 ? qname : qname.slice(colon + 1),
        attrs: record,
        children: [],
        text: "",
      };
      if (parent) parent.node.children.push(node);
      else root ??= node;
      stack.push({ node, scope });
    },
    endElement() {
      stack.pop();
    },
    text(text) {
      textChars += text.length;
      if (textChars > cap) throw new OaiError(`${what}: entity expansion past ${cap} characters refused`);
      const top = stack[stack.length - 1];
      if (top) top.node.text += text;
    },
    problem(message) {
      if (problems.length < 3) problems.push(message);
    },
  };
  const tokenizer = new XmlTokenizer(handler);
  try {
    tokenizer.feed(body);
    tokenizer.end();
  } catch (err) {
    // The tokenizer's own per-document caps (src/marc/xml/entities.ts) may stop it before the cap above.
    if (err instanceof EntityLimitError)
      throw new OaiError(`${what}: entity expansion past ${err.max} ${err.limit} refused (${err.message})`);
    throw err;
  }
  if (problems.length > 0 || !root) {
    throw new OaiError(`${what} is not well-formed XML: ${problems.join("; ") || "no element"}`);
  }
  return root;
}

/** Children with the local name (any namespace unless `ns` is given). */
export function childrenNamed(node: XmlNode | undefined, name: string, ns?: string): XmlNode[] {
  if (!node) return [];
  return node.children.filter((c) => c.name === name && (ns === undefined || c.ns === ns));
}

export function child(node: XmlNode | undefined, name: string, ns?: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name && (ns === undefined || c.ns === ns));
}

/** The element's text and its descendants' text, with white space runs collapsed and trimmed. */
export function textOf(node: XmlNode | undefined): string {
  if (!node) return "";
  const all = (n: XmlNode): string => n.text + n.children.map(all).join(" ");
  return all(node).replace(/\s+/g, " ").trim();
}
