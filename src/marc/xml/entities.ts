/**
 * Entity and character-reference decoding for XML text and attribute values.
 *
 * ```ts
 * decodeEntities("AT&amp;T &#x1F600;", NO_ENTITIES, onError) // "AT&T 😀"
 * ```
 */

/** Internal general entities declared in the DOCTYPE (name -> replacement text). */
export type EntityTable = ReadonlyMap<string, string>;

export const NO_ENTITIES: EntityTable = new Map();

const PREDEFINED: EntityTable = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** True for code points allowed by the XML 1.0 `Char` production. */
export function isXmlChar(cp: number): boolean {
  if (cp >= 0x20) return cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
  return cp === 0x9 || cp === 0xa || cp === 0xd;
}

/** Literal characters that may never appear in an XML 1.0 document (controls, U+FFFE/U+FFFF, lone surrogates). */
export const NON_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 excludes
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Replaces `&name;`, `&#N;` and `&#xH;` in `text`. A malformed or unknown reference is reported through
 * `onError` (with its index in `text`) and kept literally, so permissive readers lose nothing.
 */
export function decodeEntities(
  text: string,
  entities: EntityTable,
  onError: (message: string, index: number) => void,
): string {
  let amp = text.indexOf("&");
  if (amp < 0) return text;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    out += text.slice(from, amp);
    const semi = text.indexOf(";", amp + 1);
    const ref = semi < 0 || semi - amp > 40 ? undefined : text.slice(amp + 1, semi);
    const value = ref === undefined ? undefined : resolveReference(ref, entities);
    if (value === undefined) {
      onError(
        ref === undefined
          ? "'&' not followed by an entity or character reference (write &amp;)"
          : `unknown or invalid reference &${ref};`,
        amp,
      );
      out += "&";
      from = amp + 1;
    } else {
      out += value;
      from = semi + 1;
    }
    amp = text.indexOf("&", from);
  }
  return out + text.slice(from);
}

function resolveReference(ref: string, entities: EntityTable): string | undefined {
  if (ref.charCodeAt(0) === 35 /* # */) {
    const hex = ref.charCodeAt(1) === 120; /* x */
    const digits = ref.slice(hex ? 2 : 1);
    if (!(hex ? /^[0-9A-Fa-f]{1,8}$/ : /^[0-9]{1,10}$/).test(digits)) return undefined;
    const cp = Number.parseInt(digits, hex ? 16 : 10);
    return isXmlChar(cp) ? String.fromCodePoint(cp) : undefined;
  }
  return PREDEFINED.get(ref) ?? entities.get(ref);
}
