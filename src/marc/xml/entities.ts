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

/**
 * What references to DOCTYPE-declared entities may add up to in one document. A 25 KB file with one entity
 * used 5,000 times would otherwise become 50 MB of text (the "billion laughs" family; nesting is already
 * impossible: replacement text is expanded once). Character references and the five predefined entities are
 * not counted: they never make text longer than the reference.
 */
export interface EntityLimits {
  /** References to declared entities per document. */
  readonly references: number;
  /** Characters those references expand to, in total, per document. */
  readonly characters: number;
}

export const ENTITY_LIMITS: EntityLimits = Object.freeze({ references: 100_000, characters: 1_000_000 });

/** A document went past an EntityLimits cap: reading it stops (it is not a problem of one record). */
export class EntityLimitError extends Error {
  constructor(
    readonly limit: "references" | "characters",
    readonly max: number,
    readonly line?: number,
  ) {
    super(
      `${line === undefined ? "" : `line ${line}: `}${
        limit === "references"
          ? `more than ${max} references to entities declared in the DOCTYPE`
          : `entities declared in the DOCTYPE expand to more than ${max} characters`
      } (the per-document limit on entity expansion); reading stopped`,
    );
    this.name = "EntityLimitError";
  }
}

/** Counts one document's expansions; `spend` throws EntityLimitError past a cap. */
export class EntityBudget {
  private references = 0;
  private characters = 0;

  constructor(readonly limits: EntityLimits = ENTITY_LIMITS) {}

  spend(length: number): void {
    this.references++;
    this.characters += length;
    if (this.references > this.limits.references)
      throw new EntityLimitError("references", this.limits.references);
    if (this.characters > this.limits.characters)
      throw new EntityLimitError("characters", this.limits.characters);
  }
}

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
  budget?: EntityBudget,
): string {
  let amp = text.indexOf("&");
  if (amp < 0) return text;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    out += text.slice(from, amp);
    const semi = text.indexOf(";", amp + 1);
    const ref = semi < 0 || semi - amp > 40 ? undefined : text.slice(amp + 1, semi);
    const value = ref === undefined ? undefined : resolveReference(ref, entities, budget);
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

function resolveReference(ref: string, entities: EntityTable, budget?: EntityBudget): string | undefined {
  if (ref.charCodeAt(0) === 35 /* # */) {
    const hex = ref.charCodeAt(1) === 120; /* x */
    const digits = ref.slice(hex ? 2 : 1);
    if (!(hex ? /^[0-9A-Fa-f]{1,8}$/ : /^[0-9]{1,10}$/).test(digits)) return undefined;
    const cp = Number.parseInt(digits, hex ? 16 : 10);
    return isXmlChar(cp) ? String.fromCodePoint(cp) : undefined;
  }
  const predefined = PREDEFINED.get(ref);
  if (predefined !== undefined) return predefined;
  const declared = entities.get(ref);
  if (declared !== undefined) budget?.spend(declared.length);
  return declared;
}
